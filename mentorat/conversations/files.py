"""Checks of the files sent with a message: how many, how big, and what they really are.

A file's type is decided by its extension, which must be on the allow-list, and is then
confirmed by its first bytes (its "magic number"): a program renamed `cv.pdf` is refused.
The content type stored (and served) is the one of the extension, never the one the
browser claimed."""

import codecs
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorat.lib.errors import Problems

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
FIELD = "attachments"

ODF = "application/vnd.oasis.opendocument."
OOXML = "application/vnd.openxmlformats-officedocument."
CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "txt": "text/plain",
    "odt": ODF + "text",
    "ods": ODF + "spreadsheet",
    "docx": OOXML + "wordprocessingml.document",
    "xlsx": OOXML + "spreadsheetml.sheet",
    "pptx": OOXML + "presentationml.presentation",
}
# Office Open XML documents are zip files holding this folder.
_OOXML_FOLDER = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
ALLOWED_LABEL = "PDF, PNG, JPEG, WebP, TXT, ODT, ODS, DOCX, XLSX, PPTX"


class UploadedFileLike(Protocol):
    name: str | None
    size: int | None

    def seek(self, _offset: int, _whence: int = 0, /) -> int: ...
    def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class CheckedFile:
    file: UploadedFileLike
    name: str
    extension: str
    content_type: str
    size: int


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _zip_names(file: UploadedFileLike) -> list[str]:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return []


def content_matches(file: UploadedFileLike, extension: str) -> bool:
    """Whether the first bytes of `file` are those of a file of `extension`."""
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if extension == "txt":
        return _looks_like_text(head)
    if extension in ("odt", "ods"):
        # OpenDocument: a zip whose first entry, stored uncompressed, is `mimetype`.
        return (
            head.startswith(b"PK\x03\x04")
            and head[30:38] == b"mimetype"
            and (CONTENT_TYPES[extension].encode() in head[38:120])
        )
    if extension in _OOXML_FOLDER:
        if not head.startswith(b"PK\x03\x04"):
            return False
        names = _zip_names(file)
        file.seek(0)
        folder = _OOXML_FOLDER[extension]
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
    return False


def check_files(files: Sequence[UploadedFileLike]) -> list[CheckedFile]:
    """The files, checked; raises DomainError (on the `attachments` field) naming each
    file refused and why, all at once."""
    problems = Problems()
    if len(files) > MAX_FILES:
        problems.add(
            FIELD,
            ngettext(
                "You can send at most %(n)s file with a message.",
                "You can send at most %(n)s files with a message.",
                MAX_FILES,
            )
            % {"n": MAX_FILES},
        )
        problems.raise_if_any()
    checked = []
    for file in files:
        name = PurePath(file.name or "").name[:200] or _("file")
        extension = extension_of(name)
        size = int(file.size or 0)
        if extension not in CONTENT_TYPES:
            problems.add(
                FIELD,
                _("“%(name)s”: this type of file cannot be sent (allowed: %(types)s).")
                % {"name": name, "types": ALLOWED_LABEL},
            )
        elif size == 0:
            problems.add(FIELD, _("“%(name)s” is empty.") % {"name": name})
        elif size > MAX_FILE_BYTES:
            problems.add(
                FIELD,
                _("“%(name)s” is larger than %(mb)s MB.")
                % {"name": name, "mb": MAX_FILE_BYTES // (1024 * 1024)},
            )
        elif not content_matches(file, extension):
            problems.add(
                FIELD,
                _("“%(name)s”: its content is not that of a .%(extension)s file.")
                % {"name": name, "extension": extension},
            )
        else:
            checked.append(CheckedFile(file, name, extension, CONTENT_TYPES[extension], size))
    problems.raise_if_any()
    return checked


def safe_content_type(content_type: str) -> str:
    """The type a download is served with: one of ours, else a plain download."""
    if content_type == "text/plain":
        return "text/plain; charset=utf-8"
    if content_type in CONTENT_TYPES.values():
        return content_type
    return "application/octet-stream"
