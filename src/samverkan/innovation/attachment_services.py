"""Writes for an idea's attachments: attaching a file and removing one.

**What may be attached.** The files ``core.files`` accepts (PDF, Word, Excel,
PowerPoint, OpenDocument, text and CSV, PNG and JPEG, e-mails), checked against their
content, none empty or larger than ``ATTACHMENT_BYTES_MAX``; and at most
``ATTACHMENTS_MAX`` for the idea. A refusal names the file and the limit or the accepted
types. Nothing is stored when a file is refused.

**How it is stored.** Through Django's storage API (``default_storage``), under a
random name (``Attachment.file``); the name the person gave it is kept in
``Attachment.name`` and given back only when the file is downloaded through the access
module. The content type served is the one of the accepted type, never the one the
browser sent.

**Who.** Editors and owners of either side attach files (the views and the API ask the
access module). A file is removed by the person who attached it or by an editor of
that person's side; when that person no longer takes part in the agreement, by an
editor of either side. The stored file is deleted when the removal is committed.
Both are told by the agreement's history.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.core import files
from samverkan.innovation.idea_services import side_of
from samverkan.innovation.models import Attachment, Idea
from samverkan.lib import limits

ACCEPT = files.ACCEPT
SERVED_AS_DEFAULT = files.SERVED_AS_DEFAULT
accepted_types = files.accepted_types
size_limit = files.size_limit
too_large = files.too_large


def clean_name(raw: str) -> str:
    """The file's own name, cleaned (``core.files.clean_name``) to the model's length."""
    return files.clean_name(raw, Attachment._meta.get_field("name").max_length or 200)


def _problems(name: str, upload: File[bytes], count: int) -> list[str]:
    wrong = files.unnamed_or_wrong_type(name)
    if wrong:
        return [wrong]
    if count >= limits.ATTACHMENTS_MAX:
        return [
            _(
                "An idea may have at most %(most)s attachments; remove one before attaching "
                "“%(name)s”."
            )
            % {"most": limits.ATTACHMENTS_MAX, "name": name}
        ]
    problem = files.content_problem(name, upload)
    return [problem] if problem else []


@transaction.atomic
def attachment_add(
    *, idea: Idea, actor: User | None, upload: File[bytes], name: str | None = None
) -> Attachment:
    """Attach ``upload`` to the idea under ``name`` (default: the upload's own name).

    Refused with a ``ValidationError`` on ``file`` that names the file and the limit or
    the accepted types (see the module's docstring); nothing is stored then. The caller
    has asked the access module whether ``actor`` may edit the agreement.
    """
    if actor is not None and side_of(idea.agreement, actor) is None:
        raise PermissionDenied(_("Only participants of the agreement attach files."))
    # Lock the idea so that two files attached at once cannot pass the count together.
    Idea.objects.select_for_update().filter(pk=idea.pk).first()
    clean = clean_name(name if name is not None else upload.name or "")
    count = Attachment.objects.filter(idea=idea).count()
    problems = _problems(clean, upload, count)
    if problems:
        raise ValidationError({"file": problems}, code="refused")
    attachment = Attachment(
        idea=idea,
        agreement_id=idea.agreement_id,
        name=clean,
        content_type=files.content_type_of(clean),
        size=upload.size or 0,
        uploaded_by=actor,
    )
    attachment.full_clean(exclude=["file", "uploaded_by"])
    attachment.file.save(clean, upload, save=False)  # a random name (models.attachment_path)
    stored = attachment.file.name
    try:
        attachment.save()
    except BaseException:
        attachment.file.storage.delete(stored)
        raise
    return attachment


def uploader_side(attachment: Attachment) -> str | None:
    """The side the person who attached the file takes part for now (None: nobody)."""
    return side_of(attachment.idea.agreement, attachment.uploaded_by)


def may_remove(
    *, actor_id: int | None, actor_side: str | None, uploader_id: int | None, side: str | None
) -> bool:
    """Whether an editor (``actor_side`` the side they edit for) may remove a file attached
    by ``uploader_id``, who takes part for ``side`` (None: no longer takes part)."""
    if actor_id is not None and actor_id == uploader_id:
        return True
    return side is None or side == actor_side


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: User | None) -> None:
    """Remove the attachment; its stored file is deleted once the removal is committed.

    Refused (``PermissionDenied``) to anyone but the person who attached it and editors
    of that person's side (either side's, when that person takes part no more).
    ``actor=None`` (the system) may always.
    """
    if actor is not None and not may_remove(
        actor_id=actor.pk,
        actor_side=side_of(attachment.idea.agreement, actor),
        uploader_id=attachment.uploaded_by_id,
        side=uploader_side(attachment),
    ):
        who = attachment.uploaded_by
        raise PermissionDenied(
            _("“%(name)s” was attached by %(who)s: only they or an editor of their side remove it.")
            % {"name": attachment.name, "who": who.get_full_name() or who.email if who else "–"}
        )
    stored, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
