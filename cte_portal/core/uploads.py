"""Uploaded files are checked by what they contain, not by the name they were given.

A file's kind is read from its first bytes (its "magic" signature) and, for the zipped office
formats, from the names inside the archive. A field accepts a list of extensions; the file is
refused, in French and before anything is saved, when:

- its extension is not one of them;
- its content is an executable (Windows ``MZ``, Linux ``ELF``, Mach-O, script ``#!``) or an HTML
  / SVG page, whatever its name;
- its content is not the kind its extension announces (an HTML page renamed ``.pdf``, a PNG
  named ``.docx``…).

No dependency: the signatures are checked here. Use ``UploadValidator(extensions)`` as a
validator of a ``forms.FileField`` or of a DRF ``serializers.FileField``.
"""

import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

PDF = "pdf"
DOCX, XLSX, PPTX = "docx", "xlsx", "pptx"
ODT, ODS, ODP = "odt", "ods", "odp"
OLE = "ole"  # legacy .doc / .xls / .ppt (Compound File Binary)
PNG, JPEG, GIF, WEBP = "png", "jpeg", "gif", "webp"
TEXT = "text"
EXECUTABLE = "executable"
HTML = "html"

# What the content of a file with this extension must be.
KIND_BY_EXTENSION = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".pptx": PPTX,
    ".odt": ODT,
    ".ods": ODS,
    ".odp": ODP,
    ".doc": OLE,
    ".xls": OLE,
    ".ppt": OLE,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".gif": GIF,
    ".webp": WEBP,
    ".csv": TEXT,
    ".txt": TEXT,
}

DOCUMENT_EXTENSIONS = (".pdf", ".odt", ".ods", ".odp", ".docx", ".xlsx", ".pptx", ".png", ".jpg")
SPREADSHEET_EXTENSIONS = (".csv", ".xlsx")

_HEAD_BYTES = 4096
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
    b"application/vnd.oasis.opendocument.presentation": ODP,
}
_OOXML_FOLDERS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
_EXECUTABLE_SIGNATURES = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",  # Linux
    b"\xcf\xfa\xed\xfe",  # Mach-O 64
    b"\xce\xfa\xed\xfe",  # Mach-O 32
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"#!",  # script
)
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe")


def _read_head(file) -> bytes:
    file.seek(0)
    head = file.read(_HEAD_BYTES)
    file.seek(0)
    return head or b""


def _zip_kind(file) -> str | None:
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = archive.read("mimetype").strip()
                return _ODF_MIMETYPES.get(mimetype)
            if "[Content_Types].xml" in names:
                for folder, kind in _OOXML_FOLDERS:
                    if any(name.startswith(folder) for name in names):
                        return kind
            return None
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        return None
    finally:
        file.seek(0)


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    sample = head.removeprefix(b"\xef\xbb\xbf")
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The sample may cut a multi-byte character at its end.
        if exc.start < len(sample) - 3:
            try:
                sample.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True


def detect_kind(file) -> str | None:
    """The kind of ``file`` read from its content, or None when it is none we know."""
    head = _read_head(file)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(file)
    if head.startswith(_EXECUTABLE_SIGNATURES):
        return EXECUTABLE
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith(_HTML_MARKERS):
        return HTML
    if _is_text(head):
        return TEXT
    return None


def _extensions_label(extensions) -> str:
    return ", ".join(e.lstrip(".").upper() for e in extensions)


def check_upload(file, *, extensions, extension_message: str | None = None) -> None:
    """Refuse ``file`` (French ``ValidationError``) unless its extension is one of
    ``extensions`` and its content is what that extension announces."""
    extension = Path(file.name or "").suffix.lower()
    if extension not in extensions:
        if extension_message:
            raise ValidationError(extension_message, code="extension")
        raise ValidationError(
            "Ce type de fichier n'est pas accepté (formats acceptés : %(formats)s).",
            code="extension",
            params={"formats": _extensions_label(extensions)},
        )
    kind = detect_kind(file)
    if kind in (EXECUTABLE, HTML):
        raise ValidationError(
            "Ce fichier est un programme ou une page web : il n'est pas accepté.",
            code="dangerous_content",
        )
    if kind != KIND_BY_EXTENSION.get(extension):
        raise ValidationError(
            "Le contenu de ce fichier ne correspond pas à son extension « %(extension)s » : "
            "il n'est pas accepté.",
            code="content_mismatch",
            params={"extension": extension},
        )


@deconstructible
class UploadValidator:
    """Validator of an upload field: ``forms.FileField(validators=[UploadValidator((".pdf",))])``."""

    def __init__(self, extensions=DOCUMENT_EXTENSIONS, *, extension_message: str | None = None):
        self.extensions = tuple(extensions)
        self.extension_message = extension_message

    def __call__(self, file) -> None:
        if file:
            check_upload(file, extensions=self.extensions, extension_message=self.extension_message)

    def __eq__(self, other):
        return (
            isinstance(other, UploadValidator)
            and self.extensions == other.extensions
            and self.extension_message == other.extension_message
        )
