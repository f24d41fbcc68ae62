"""Writes for an idea's attachments: attaching a file and removing one.

**What may be attached.** The files contract managers exchange about an idea: PDF,
Word, Excel, PowerPoint (and their OpenDocument equivalents), plain text and CSV,
PNG and JPEG pictures, and e-mails (Outlook ``.msg``, ``.eml``). Anything else is
refused, naming the file and the accepted types; so is a file whose content does not
match its name (a ``.pdf`` that is not a PDF), an empty file, a file larger than
``ATTACHMENT_BYTES_MAX`` and a file beyond ``ATTACHMENTS_MAX`` for the idea. Nothing
is stored when a file is refused.

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

import unicodedata
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.innovation.idea_services import side_of
from samverkan.innovation.models import Attachment, Idea
from samverkan.lib import limits

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old Office formats and Outlook's .msg
_ZIP = b"PK\x03\x04"  # Office Open XML and OpenDocument are zip archives
_HEAD = 8192  # bytes read to recognise a file


@dataclass(frozen=True)
class FileKind:
    """An accepted type of file: what it is served as, its name in a message, and what
    its content starts with (empty: text, which may not hold NUL bytes)."""

    content_type: str
    label: str
    starts: tuple[bytes, ...] = ()


_OOXML = "application/vnd.openxmlformats-officedocument"
KINDS: dict[str, FileKind] = {
    "pdf": FileKind("application/pdf", "PDF", (b"%PDF-",)),
    "docx": FileKind(f"{_OOXML}.wordprocessingml.document", "Word", (_ZIP,)),
    "doc": FileKind("application/msword", "Word", (_OLE,)),
    "xlsx": FileKind(f"{_OOXML}.spreadsheetml.sheet", "Excel", (_ZIP,)),
    "xls": FileKind("application/vnd.ms-excel", "Excel", (_OLE,)),
    "pptx": FileKind(f"{_OOXML}.presentationml.presentation", "PowerPoint", (_ZIP,)),
    "ppt": FileKind("application/vnd.ms-powerpoint", "PowerPoint", (_OLE,)),
    "odt": FileKind("application/vnd.oasis.opendocument.text", "OpenDocument", (_ZIP,)),
    "ods": FileKind("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument", (_ZIP,)),
    "odp": FileKind("application/vnd.oasis.opendocument.presentation", "OpenDocument", (_ZIP,)),
    "txt": FileKind("text/plain", ""),
    "csv": FileKind("text/csv", ""),
    "png": FileKind("image/png", "PNG", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": FileKind("image/jpeg", "JPEG", (b"\xff\xd8\xff",)),
    "jpeg": FileKind("image/jpeg", "JPEG", (b"\xff\xd8\xff",)),
    "msg": FileKind("application/vnd.ms-outlook", "Outlook", (_OLE,)),
    "eml": FileKind("message/rfc822", ""),
}
ACCEPT = ",".join(f".{extension}" for extension in KINDS)  # the file input's accept=
SERVED_AS_DEFAULT = "application/octet-stream"


def accepted_types() -> str:
    """The accepted types as a person reads them: ".pdf, .docx, … and .eml"."""
    names = [f".{extension}" for extension in KINDS]
    return _("%(list)s and %(last)s") % {"list": ", ".join(names[:-1]), "last": names[-1]}


def size_limit() -> str:
    """The largest file, as a person reads it ("10 MB")."""
    return f"{limits.ATTACHMENT_BYTES_MAX // (1024 * 1024)} MB"


def too_large(name: str) -> str:
    """The refusal of a file above the limit (also said by the page's upload guard)."""
    return _(
        "“%(name)s” is larger than %(limit)s, the most one file may be; it has not been attached."
    ) % {"name": name, "limit": size_limit()}


def clean_name(raw: str) -> str:
    """The file's own name without any folder, in composed form (macOS sends "å" as two
    characters), without control characters, at most the model's 200 characters with the
    extension kept."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    most = Attachment._meta.get_field("name").max_length or 200
    if len(name) > most:
        _stem, dot, extension = name.rpartition(".")
        keep = f"{dot}{extension}" if dot and len(extension) < 10 else ""
        name = name[: most - len(keep)].rstrip() + keep
    return name


def extension_of(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def _matches(kind: FileKind, head: bytes) -> bool:
    if kind.starts:
        return head.startswith(kind.starts)
    # Text: no NUL bytes, unless it is UTF-16 with its byte-order mark (Excel's "Unicode text").
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in head


def _problems(name: str, upload: File[bytes], count: int) -> list[str]:
    if not name:
        return [_("The file has no name; give it one and attach it again.")]
    kind = KINDS.get(extension_of(name))
    if kind is None:
        return [
            _("“%(name)s” cannot be attached: the types of file accepted are %(types)s.")
            % {"name": name, "types": accepted_types()}
        ]
    if count >= limits.ATTACHMENTS_MAX:
        return [
            _(
                "An idea may have at most %(most)s attachments; remove one before attaching "
                "“%(name)s”."
            )
            % {"most": limits.ATTACHMENTS_MAX, "name": name}
        ]
    size = upload.size or 0
    if size > limits.ATTACHMENT_BYTES_MAX:
        return [too_large(name)]
    if size == 0:
        return [_("“%(name)s” is empty; it has not been attached.") % {"name": name}]
    upload.seek(0)
    head = upload.read(_HEAD)
    upload.seek(0)
    if not _matches(kind, head):
        return [
            _(
                "“%(name)s” does not contain what its name says (%(kind)s); it has not been attached."
            )
            % {"name": name, "kind": kind.label or _("text")}
        ]
    return []


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
    kind = KINDS[extension_of(clean)]
    attachment = Attachment(
        idea=idea,
        agreement_id=idea.agreement_id,
        name=clean,
        content_type=kind.content_type,
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
