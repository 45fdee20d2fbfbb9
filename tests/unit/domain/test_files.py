"""Attachments: the type read from the bytes, the extension check and the display name."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable

import docx
import pytest

from soknad.domain import files
from soknad.domain.errors import AttachmentError
from soknad.domain.files import (
    ACCEPTED_LABEL,
    DOCX,
    JPEG,
    ODT,
    PDF,
    PNG,
    XLSX,
    FileType,
    check_extension,
    detect,
    display_name,
)

# --------------------------------------------------------------------------- real small files


def pdf() -> bytes:
    return (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
            b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")


def png() -> bytes:
    """A real 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def word_document() -> bytes:
    document = docx.Document()
    document.add_paragraph("Søknad om nasjonal behandlingstjeneste")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def archive(*members: tuple[str, bytes | str], stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for index, (name, content) in enumerate(members):
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            zipped.writestr(zipfile.ZipInfo(name), content, compress_type=method)
    return buffer.getvalue()


def spreadsheet() -> bytes:
    return archive(("[Content_Types].xml", "<Types/>"), ("_rels/.rels", "<Relationships/>"),
                   ("xl/workbook.xml", "<workbook/>"), ("xl/worksheets/sheet1.xml", "<x/>"))


def open_document(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    return archive(("mimetype", mimetype), ("content.xml", "<office:document-content/>"),
                   ("META-INF/manifest.xml", "<manifest/>"), stored_first=True)


def word_with_macros() -> bytes:
    buffer = io.BytesIO(word_document())
    with zipfile.ZipFile(buffer, "a") as zipped:
        zipped.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    return buffer.getvalue()


def spreadsheet_with_macros() -> bytes:
    return archive(("xl/workbook.xml", "<workbook/>"), ("xl/VBAPROJECT.BIN", b"macro"))


def many_entries(count: int) -> bytes:
    return archive(("word/document.xml", "<document/>"),
                   *((f"word/media/{n}.xml", "") for n in range(count - 1)))


def declared_huge() -> bytes:
    """A Word file whose directory claims 600 MB unpacked (the classic zip bomb's lie)."""
    data = bytearray(archive(("word/document.xml", "<document/>")))
    directory = data.index(b"PK\x01\x02")
    data[directory + 24:directory + 28] = struct.pack("<I", 600 * 1024 * 1024)
    return bytes(data)


def exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


# --------------------------------------------------------------------------- detect

TOO_BIG = "Filen pakker seg ut til mer enn 500 MB eller over 5 000 deler og kan ikke tas imot."
MACROS = ("Filen inneholder makroer. Lagre den uten makroer (som .docx eller .xlsx) og last den "
          "opp på nytt.")


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        pytest.param(pdf, PDF, id="pdf"),
        pytest.param(png, PNG, id="png"),
        pytest.param(jpeg, JPEG, id="jpeg"),
        pytest.param(word_document, DOCX, id="docx-from-python-docx"),
        pytest.param(spreadsheet, XLSX, id="xlsx"),
        pytest.param(open_document, ODT, id="odt"),
        pytest.param(lambda: many_entries(files.MAX_ZIP_ENTRIES), DOCX, id="5000-entries"),
    ],
)
def test_detect_accepted_types_by_content(make: Callable[[], bytes], expected: FileType) -> None:
    assert detect(io.BytesIO(make())) == expected


def test_detect_reads_from_the_start_of_the_stream() -> None:
    stream = io.BytesIO(pdf())
    stream.read(5)
    assert detect(stream) == PDF


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(bytes, "Filen er tom.", id="empty"),
        pytest.param(exe, f"Filen er en EXE-fil. Bare {ACCEPTED_LABEL} tas imot.", id="exe"),
        pytest.param(lambda: b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
                     f"Filen er en GIF-fil. Bare {ACCEPTED_LABEL} tas imot.", id="gif"),
        pytest.param("Bare tekst, æøå.".encode,
                     f"Filen er en filtype vi ikke kjenner igjen. Bare {ACCEPTED_LABEL} tas imot.",
                     id="plain-text"),
        pytest.param(word_with_macros, MACROS, id="docx-with-macros"),
        pytest.param(spreadsheet_with_macros, MACROS, id="xlsx-with-macros-any-case"),
        pytest.param(lambda: many_entries(files.MAX_ZIP_ENTRIES + 1), TOO_BIG,
                     id="too-many-entries"),
        pytest.param(declared_huge, TOO_BIG, id="declared-600-mb"),
        pytest.param(lambda: archive(("notater.txt", "hei")),
                     f"Filen er et ZIP-arkiv. Bare {ACCEPTED_LABEL} tas imot.", id="plain-zip"),
        pytest.param(lambda: open_document("application/vnd.oasis.opendocument.spreadsheet"),
                     f"Filen er et ZIP-arkiv. Bare {ACCEPTED_LABEL} tas imot.", id="ods"),
        pytest.param(lambda: b"PK\x03\x04" + b"\x00" * 200, "Filen er skadet og kan ikke leses.",
                     id="broken-zip"),
    ],
)
def test_detect_refuses_with_a_message(make: Callable[[], bytes], message: str) -> None:
    with pytest.raises(AttachmentError) as error:
        detect(io.BytesIO(make()))
    assert str(error.value) == message


def test_detect_refuses_a_real_deflate_bomb(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten MB of zeros packs to a few kB; with the limit at 1 MB it is refused unread."""
    bomb = archive(("word/document.xml", "<document/>"), ("word/media/zeros.bin",
                                                         b"\x00" * (10 * 1024 * 1024)))
    assert len(bomb) < 64 * 1024
    monkeypatch.setattr(files, "MAX_ZIP_UNCOMPRESSED", 1024 * 1024)
    with pytest.raises(AttachmentError, match="mer enn 500 MB"):
        detect(io.BytesIO(bomb))


# --------------------------------------------------------------------------- check_extension


@pytest.mark.parametrize(
    ("name", "file_type"),
    [
        ("rapport.pdf", PDF), ("RAPPORT.PDF", PDF), ("rapport", PDF), ("bilde.png", PNG),
        ("bilde.jpg", JPEG), ("bilde.jpeg", JPEG), ("bilde.JPG", JPEG), ("søknad.docx", DOCX),
        ("budsjett.xlsx", XLSX), ("tekst.odt", ODT), ("  rapport.pdf  ", PDF),
    ],
)
def test_check_extension_accepts_a_matching_name(name: str, file_type: FileType) -> None:
    check_extension(name, file_type)


@pytest.mark.parametrize(
    ("name", "file_type", "message"),
    [
        ("bilde.pdf", PNG, "Filnavnet slutter på .pdf, men innholdet er PNG-bilde. Sjekk at du "
                           "har valgt riktig fil."),
        ("rapport.png", PDF, "Filnavnet slutter på .png, men innholdet er PDF."),
        ("program.exe.pdf", JPEG, "Filnavnet slutter på .pdf, men innholdet er JPEG-bilde."),
        ("søknad.doc", DOCX, "Filnavnet slutter på .doc, men innholdet er Word."),
        ("budsjett.xlsx", DOCX, "Filnavnet slutter på .xlsx, men innholdet er Word."),
        ("tekst.docx", ODT, "Filnavnet slutter på .docx, men innholdet er OpenDocument-tekst."),
    ],
)
def test_check_extension_refuses_a_name_that_promises_another_type(
        name: str, file_type: FileType, message: str) -> None:
    with pytest.raises(AttachmentError) as error:
        check_extension(name, file_type)
    assert str(error.value).startswith(message)


def test_check_extension_png_named_pdf_is_refused_end_to_end() -> None:
    file_type = detect(io.BytesIO(png()))
    with pytest.raises(AttachmentError, match="innholdet er PNG-bilde"):
        check_extension("skannet-vedtak.pdf", file_type)


# --------------------------------------------------------------------------- display_name


@pytest.mark.parametrize(
    ("raw", "file_type", "name"),
    [
        pytest.param("../../x.pdf", PDF, "x.pdf", id="parent-folders"),
        pytest.param("..\\..\\x.pdf", PDF, "x.pdf", id="windows-parent-folders"),
        pytest.param("C:\\Users\\kari\\Rapport 2026.pdf", PDF, "Rapport 2026.pdf",
                     id="windows-path"),
        pytest.param("/etc/passwd", PDF, "passwd.pdf", id="absolute-path"),
        pytest.param("Søknad æøå.pdf", PDF, "Søknad æøå.pdf", id="norwegian-letters"),
        pytest.param("So\u0308knad.pdf", PDF, "Söknad.pdf", id="nfd-becomes-nfc"),
        pytest.param("rapport\r\nmed linjeskift.pdf", PDF, "rapport med linjeskift.pdf",
                     id="crlf"),
        pytest.param("tab\tinne.pdf", PDF, "tab inne.pdf", id="tab"),
        pytest.param("null\x00byte.pdf", PDF, "nullbyte.pdf", id="nul"),
        pytest.param("faktura\u202egpj.pdf", PDF, "fakturagpj.pdf", id="bidi-override"),
        pytest.param("faktura\u202efdp.exe", PDF, "fakturafdp.exe.pdf", id="bidi-hiding-exe"),
        pytest.param("\u2067rapport\u2069.pdf", PDF, "rapport.pdf", id="bidi-isolates"),
        pytest.param("rap\u200bport.pdf", PDF, "rapport.pdf", id="zero-width-space"),
        pytest.param("rapport", PDF, "rapport.pdf", id="no-extension-pdf"),
        pytest.param("rapport", DOCX, "rapport.docx", id="no-extension-docx"),
        pytest.param("Referat 01.09.2026", PDF, "Referat 01.09.2026.pdf", id="dots-in-name"),
        pytest.param("bilde.JPEG", JPEG, "bilde.jpeg", id="upper-case-extension"),
        pytest.param("bilde.jpg", JPEG, "bilde.jpg", id="jpg"),
        pytest.param("rapport.pdf.", PDF, "rapport.pdf", id="trailing-dot"),
        pytest.param("  rapport.pdf  ", PDF, "rapport.pdf", id="spaces"),
        pytest.param("..", PDF, "vedlegg.pdf", id="dot-dot"),
        pytest.param("", PDF, "vedlegg.pdf", id="empty"),
        pytest.param("mappe/", PNG, "vedlegg.png", id="folder-only"),
        pytest.param("\u202e", PDF, "vedlegg.pdf", id="only-bidi"),
        pytest.param("x" * 300 + ".pdf", PDF, "x" * 190 + ".pdf", id="long"),
    ],
)
def test_display_name_is_safe_and_keeps_what_it_can(raw: str, file_type: FileType,
                                                   name: str) -> None:
    assert display_name(raw, file_type) == name


@pytest.mark.parametrize(
    ("make", "raw", "name"),
    [
        (pdf, "Rapport.pdf", "Rapport.pdf"),
        (word_document, "CV-er", "CV-er.docx"),
        (spreadsheet, "Budsjett 2027.xlsx", "Budsjett 2027.xlsx"),
        (open_document, "../Referat.odt", "Referat.odt"),
        (jpeg, "Foto.jpeg", "Foto.jpeg"),
    ],
)
def test_display_name_gets_the_detected_extension(make: Callable[[], bytes], raw: str,
                                                 name: str) -> None:
    file_type = detect(io.BytesIO(make()))
    check_extension(raw, file_type)
    assert display_name(raw, file_type) == name
