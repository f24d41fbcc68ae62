"""Files people attach (to an idea, to a negotiation case): what is accepted, how a
file's name is cleaned, and how a stored file is served.

**What is accepted.** The files contract managers exchange: PDF, Word, Excel,
PowerPoint (and their OpenDocument equivalents), plain text and CSV, PNG and JPEG
pictures, and e-mails (Outlook ``.msg``, ``.eml``). Anything else is refused, naming
the file and the accepted types; so is a file whose content does not match its name
(a ``.pdf`` that is not a PDF), an empty file and a file larger than
``limits.ATTACHMENT_BYTES_MAX``. How many files a thing may hold is its owner's rule.

**How it is served.** Always as a download under its own name (RFC 5987 for åäö),
with the content type of its accepted kind (never the one the browser sent),
``nosniff`` and a sandboxing Content-Security-Policy.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

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


def clean_name(raw: str, most: int) -> str:
    """The file's own name without any folder, in composed form (macOS sends "å" as two
    characters), without control characters, at most ``most`` characters with the
    extension kept."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
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


def unnamed_or_wrong_type(name: str) -> str:
    """Why a file of this (cleaned) name cannot be attached, or "" when its type is accepted."""
    if not name:
        return _("The file has no name; give it one and attach it again.")
    if extension_of(name) not in KINDS:
        return _("“%(name)s” cannot be attached: the types of file accepted are %(types)s.") % {
            "name": name,
            "types": accepted_types(),
        }
    return ""


def content_problem(name: str, upload: File[bytes]) -> str:
    """Why the accepted-type file ``name`` cannot be attached (too large, empty, not what
    its name says), or ""."""
    kind = KINDS[extension_of(name)]
    size = upload.size or 0
    if size > limits.ATTACHMENT_BYTES_MAX:
        return too_large(name)
    if size == 0:
        return _("“%(name)s” is empty; it has not been attached.") % {"name": name}
    upload.seek(0)
    head = upload.read(_HEAD)
    upload.seek(0)
    if not _matches(kind, head):
        return _(
            "“%(name)s” does not contain what its name says (%(kind)s); it has not been attached."
        ) % {"name": name, "kind": kind.label or _("text")}
    return ""


def content_type_of(name: str) -> str:
    """The content type a file of an accepted type is stored and served as."""
    return KINDS[extension_of(name)].content_type


def download_response(file: FieldFile, *, name: str, content_type: str) -> FileResponse:
    """The stored file as a download under ``name``; 404 when the stored file is gone (a
    restore without files)."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=content_type or SERVED_AS_DEFAULT,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
