"""Writes for the documents of a case's preparation: adding a file and removing one.

The same files as an idea's attachments are accepted (``core.files``: the usual office,
text, picture and e-mail types, checked against their content, at most 10 MiB), and at
most ``DOCUMENTS_MAX`` a case; a refusal names the file and stores nothing. A file is
stored through Django's storage API under a random name (``models.document_path``),
its own name kept in ``Document.name`` and given back only in a download through the
case's access module. Every member of the case adds and removes documents (all members
work on its content); the stored file is deleted when the removal is committed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.core import files
from samverkan.lib import limits
from samverkan.negotiation.models import Case, Document

DOCUMENTS_MAX = limits.CASE_DOCUMENTS_MAX


def _problem(name: str, upload: File[bytes], count: int) -> str:
    wrong = files.unnamed_or_wrong_type(name)
    if wrong:
        return wrong
    if count >= DOCUMENTS_MAX:
        return _(
            "A case may have at most %(most)s documents; remove one before adding “%(name)s”."
        ) % {"most": DOCUMENTS_MAX, "name": name}
    return files.content_problem(name, upload)


@transaction.atomic
def document_add(*, case: Case, actor: User | None, upload: File[bytes]) -> Document:
    """Add ``upload`` to the case's documents under its own (cleaned) name.

    Refused with a ``ValidationError`` on ``file`` naming the file and the limit or the
    accepted types; nothing is stored then. The caller has asked the access module
    whether ``actor`` is on the case."""
    # Lock the case so that two files added at once cannot pass the count together.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    name = files.clean_name(upload.name or "", Document._meta.get_field("name").max_length or 200)
    problem = _problem(name, upload, Document.objects.filter(case=case).count())
    if problem:
        raise ValidationError({"file": [problem]}, code="refused")
    document = Document(
        case=case,
        name=name,
        content_type=files.content_type_of(name),
        size=upload.size or 0,
        uploaded_by=actor,
        position=Document.objects.filter(case=case).count(),
    )
    document.full_clean(exclude=["file", "uploaded_by"])
    document.file.save(name, upload, save=False)  # a random name (models.document_path)
    stored = document.file.name
    try:
        document.save()
    except BaseException:
        document.file.storage.delete(stored)
        raise
    return document


@transaction.atomic
def document_remove(*, document: Document) -> None:
    """Remove the document; its stored file is deleted once the removal is committed."""
    stored, storage = document.file.name, document.file.storage
    document.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
