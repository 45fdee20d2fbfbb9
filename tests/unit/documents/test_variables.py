"""An uploaded template is taken into use only if the data can fill it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from soknad.documents import TemplateKind, check_template
from soknad.documents.variables import VARIABLE_HELP, variable_names
from tests.unit.documents.helpers import TEMPLATES


def template_with(*paragraphs: str, footer: str = "") -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if footer:
        document.sections[0].footer.paragraphs[0].text = footer
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", list(TemplateKind))
def test_the_bundled_templates_pass(kind: TemplateKind) -> None:
    assert check_template(kind, (TEMPLATES / kind.filename).read_bytes()) == []


@pytest.mark.parametrize("kind", list(TemplateKind))
def test_every_variable_is_documented_for_the_admin(kind: TemplateKind) -> None:
    assert list(VARIABLE_HELP[kind]) == variable_names(kind)


@pytest.mark.parametrize(
    ("kind", "data", "problems"),
    [
        (TemplateKind.DECISION_LETTER,
         template_with("Vedtak om {{ tjenestenavn }}", "{%p if godkjent %}",
                       "Fra {{ gjelder_fra }}", "{%p endif %}"), []),
        (TemplateKind.DECISION_LETTER, template_with("Kjære {{ mottaker }}"),
         ["Malen bruker variabelen «mottaker», som ikke finnes i dataene for vedtaksbrev."]),
        (TemplateKind.DECISION_LETTER, template_with("Hei", footer="Side {{ sidetall }}"),
         ["Malen bruker variabelen «sidetall», som ikke finnes i dataene for vedtaksbrev."]),
        (TemplateKind.APPLICATION,
         template_with("{%p for punkt in punkter %}", "{{ punkt.undertittel }}",
                       "{%p endfor %}"),
         ["Malen bruker «punkt.undertittel», som ikke finnes i dataene for søknaden som "
          "word-dokument."]),
        (TemplateKind.COVER_LETTER,
         template_with("{%p for s in soknader %}", "{{ s.rang }}. {{ s.navn }}",
                       "{%p endfor %}"), []),
        (TemplateKind.COVER_LETTER, template_with("{{ runde.aar }}"),
         ["Malen bruker «aar», som ikke finnes i dataene for følgebrev til samlet søknad."]),
    ],
)
def test_variables_are_checked(kind: TemplateKind, data: bytes, problems: list[str]) -> None:
    assert check_template(kind, data) == problems


NOT_DOCX = ("Filen er ikke et gyldig Word-dokument (.docx). Lagre malen som «Word-dokument "
            "(*.docx)» i Word eller LibreOffice og last den opp igjen.")


def zip_with(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name.replace("__", "/"), data)
    return buffer.getvalue()


def as_dotx(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "[Content_Types].xml":
                content = content.replace(b"document.main+xml", b"template.main+xml")
            archive.writestr(info, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7 not a word file", NOT_DOCX),
        (b"", NOT_DOCX),
        (zip_with(hello=b"world"), NOT_DOCX),
        (zip_with(**{"[Content_Types].xml": b"<Types/>", "word__document.xml": b"<nope"}),
         NOT_DOCX),
        (as_dotx(template_with("Hei")),
         "Filen er en Word-mal (.dotx). Lagre den som «Word-dokument (*.docx)» og last den opp "
         "igjen."),
    ],
    ids=["pdf", "empty", "zip", "broken-xml", "dotx"],
)
def test_a_file_that_is_not_a_docx_is_refused(data: bytes, message: str) -> None:
    assert check_template(TemplateKind.DECISION_LETTER, data) == [message]


def test_a_syntax_error_in_a_tag_is_refused_with_a_hint() -> None:
    problems = check_template(TemplateKind.DECISION_LETTER,
                              template_with("{%p if godkjent %}", "Ja"))
    assert len(problems) == 1
    assert problems[0].startswith("Malen har en feil i en flettekode:")


def test_a_template_for_another_kind_is_refused_variable_by_variable(tmp_path: Path) -> None:
    problems = check_template(TemplateKind.DECISION_LETTER,
                              (TEMPLATES / "soknad.docx").read_bytes())
    assert "Malen bruker variabelen «punkter», som ikke finnes i dataene for vedtaksbrev." in (
        problems)
