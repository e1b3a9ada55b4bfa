"""Uploads are checked by their content (issue 14, "Input"): ``cte_portal.core.uploads`` reads
the magic bytes, refuses executables and web pages whatever their name, and a declared
extension that does not match the content."""

import io
import zipfile

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from cte_portal.core.uploads import (
    DOCUMENT_EXTENSIONS,
    SPREADSHEET_EXTENSIONS,
    UploadValidator,
    check_upload,
    detect_kind,
)

PDF = b"%PDF-1.7\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


def _zip(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
ODT = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})


def _file(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPEG, "jpeg"),
        (b"GIF89a....", "gif"),
        (DOCX, "docx"),
        (_xlsx(), "xlsx"),
        (ODT, "odt"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32, "ole"),
        (b"indicateur;valeur\nretours;12\n", "text"),
        ("\ufeffCommune;Été\n".encode(), "text"),
        (EXE, "executable"),
        (ELF, "executable"),
        (HTML, "html"),
        (SVG, "html"),
        (b"\x00\x01\x02binary", None),
        (_zip({"payload.exe": "x"}), None),
    ],
)
def test_the_kind_is_read_from_the_content(content, kind):
    assert detect_kind(_file("x", content)) == kind


@pytest.mark.parametrize(
    ("name", "content"),
    [("avis.pdf", PDF), ("photo.png", PNG), ("photo.jpg", JPEG), ("note.docx", DOCX)],
)
def test_a_document_whose_content_matches_its_extension_is_accepted(name, content):
    file = _file(name, content)
    check_upload(file, extensions=DOCUMENT_EXTENSIONS)
    assert file.read() == content  # the position is back at the start: the file saves whole


@pytest.mark.parametrize(
    ("name", "content"),
    [("avis.pdf", EXE), ("photo.png", ELF), ("avis.pdf", HTML), ("photo.png", SVG)],
)
def test_an_executable_or_a_web_page_renamed_is_refused(name, content):
    with pytest.raises(ValidationError, match="programme ou une page web"):
        check_upload(_file(name, content), extensions=DOCUMENT_EXTENSIONS)


@pytest.mark.parametrize(
    ("name", "content"),
    [("avis.pdf", PNG), ("photo.png", PDF), ("note.docx", _xlsx()), ("note.odt", DOCX)],
)
def test_a_content_that_does_not_match_its_extension_is_refused(name, content):
    with pytest.raises(ValidationError, match="ne correspond pas à son extension"):
        check_upload(_file(name, content), extensions=DOCUMENT_EXTENSIONS)


def test_an_extension_outside_the_list_is_refused_naming_the_formats():
    with pytest.raises(ValidationError, match="formats acceptés : CSV, XLSX"):
        check_upload(_file("valeurs.ods", ODT), extensions=SPREADSHEET_EXTENSIONS)


def test_a_csv_must_be_text():
    check_upload(_file("valeurs.csv", b"a;b\n1;2\n"), extensions=SPREADSHEET_EXTENSIONS)
    with pytest.raises(ValidationError):
        check_upload(_file("valeurs.csv", EXE), extensions=SPREADSHEET_EXTENSIONS)
    with pytest.raises(ValidationError):
        check_upload(_file("valeurs.csv", PNG), extensions=SPREADSHEET_EXTENSIONS)


class DocumentForm(forms.Form):
    file = forms.FileField(validators=[UploadValidator(DOCUMENT_EXTENSIONS)])


def test_the_validator_refuses_on_a_form_field():
    form = DocumentForm(files={"file": _file("avis.pdf", EXE)})
    assert not form.is_valid()
    assert "programme ou une page web" in form.errors["file"][0]
    assert DocumentForm(files={"file": _file("avis.pdf", PDF)}).is_valid()
