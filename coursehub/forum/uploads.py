"""Checking an uploaded file: allowed by its name's extension AND by what its bytes are.

The allow-list: PDF, Word/Excel/PowerPoint (DOCX, XLSX, PPTX), OpenDocument text (ODT), PNG,
JPEG, plain text and CSV. Nothing a browser would run or render as a page (HTML, SVG, XML) is
allowed, whatever its name says. Office files are zip archives: their [Content_Types].xml (or
ODT's `mimetype` member) must name the kind of document the extension promises.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _

from coursehub.forum.errors import ForumError

_OOXML = "application/vnd.openxmlformats-officedocument."
_MANIFEST_MAX = 512 * 1024  # a [Content_Types].xml is a few kB; more is not a real document


@dataclass(frozen=True)
class Kind:
    content_type: str
    label: str
    matches: Callable[[bytes], bool]


def _starts(*signatures: bytes) -> Callable[[bytes], bool]:
    return lambda data: any(data.startswith(s) for s in signatures)


def _zip_member(data: bytes, name: str) -> bytes | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo(name)
            if info.file_size > _MANIFEST_MAX:
                return None
            return archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, NotImplementedError):
        return None


def _ooxml(main: str) -> Callable[[bytes], bool]:
    def matches(data: bytes) -> bool:
        if not data.startswith(b"PK\x03\x04"):
            return False
        manifest = _zip_member(data, "[Content_Types].xml")
        return manifest is not None and f"{_OOXML}{main}.main+xml".encode() in manifest

    return matches


def _odt(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04") and _zip_member(data, "mimetype") == (
        b"application/vnd.oasis.opendocument.text"
    )


_MARKUP = re.compile(rb"^\s*<", re.S)


def _text(data: bytes) -> bool:
    """UTF-8 text without NUL bytes that does not begin like markup (HTML, SVG, XML)."""
    if b"\x00" in data or _MARKUP.match(data[:1024]):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


KINDS: dict[str, Kind] = {
    "pdf": Kind("application/pdf", "PDF", _starts(b"%PDF-")),
    "docx": Kind(f"{_OOXML}wordprocessingml.document", "Word", _ooxml("wordprocessingml.document")),
    "xlsx": Kind(f"{_OOXML}spreadsheetml.sheet", "Excel", _ooxml("spreadsheetml.sheet")),
    "pptx": Kind(f"{_OOXML}presentationml.presentation", "PowerPoint", _ooxml("presentationml.presentation")),
    "odt": Kind("application/vnd.oasis.opendocument.text", "OpenDocument", _odt),
    "png": Kind("image/png", "PNG", _starts(b"\x89PNG\r\n\x1a\n")),
    "jpg": Kind("image/jpeg", "JPEG", _starts(b"\xff\xd8\xff")),
    "jpeg": Kind("image/jpeg", "JPEG", _starts(b"\xff\xd8\xff")),
    "txt": Kind("text/plain; charset=utf-8", "text", _text),
    "csv": Kind("text/csv; charset=utf-8", "CSV", _text),
}
ALLOWED_LABEL = "PDF, Word, Excel, PowerPoint, OpenDocument-text, PNG, JPEG, text och CSV"
_UNSAFE = re.compile(r"[^\w.()\- ]+", re.UNICODE)


def clean_filename(name: str, *, limit: int) -> str:
    """Return a harmless file name to show and to send: no path, no markup, no control characters."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" ._") or "dokument"
    stem, dot, extension = name.rpartition(".")
    if not dot:
        return name[:limit]
    return f"{stem[: limit - len(extension) - 1]}.{extension.lower()}"


def check_upload(filename: str, data: bytes, *, max_bytes: int) -> tuple[str, Kind]:
    """Return the cleaned file name and its kind, or raise a ForumError for the file field."""
    if not data:
        raise ForumError(_("Filen är tom. Välj en fil med innehåll."), field="file")
    if len(data) > max_bytes:
        raise ForumError(too_large_message(max_bytes), field="file")
    from coursehub.forum.models import FILENAME_MAX

    name = clean_filename(filename, limit=FILENAME_MAX)
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    kind = KINDS.get(extension)
    if kind is None:
        raise ForumError(
            _("Den filtypen tas inte emot. Tillåtna är %(kinds)s.", kinds=ALLOWED_LABEL), field="file"
        )
    if not kind.matches(data):
        raise ForumError(
            _(
                "Filens innehåll stämmer inte med namnet: den är inte en %(kind)s-fil. "
                "Kontrollera filen och försök igen.",
                kind=kind.label,
            ),
            field="file",
        )
    return name, kind


def too_large_message(max_bytes: int) -> str:
    """Return the message for a file over the limit, naming the limit in MB."""
    megabytes = max(1, max_bytes // (1024 * 1024))
    return _("Filen är för stor. Den får vara högst %(mb)s MB.", mb=megabytes)
