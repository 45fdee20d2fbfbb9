"""Any text a user can type reads back from every document exactly as typed, after the
documented cleaning (``soknad.documents.text``): nothing is dropped silently."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soknad.documents import DecisionKind, cover_letter_docx, decision_letter_docx
from soknad.documents.text import clean_text
from tests.unit.documents.helpers import (
    COVER_TEMPLATE,
    DECISION_TEMPLATE,
    application,
    cover_data,
    decision_data,
    open_docx,
    render_application,
    texts,
)

START, END = "[[«", "»]]"
PROPERTY = settings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
# Any Unicode text (st.text() leaves out only lone surrogates, which Python strings from a
# form or JSON cannot hold either), with the control characters Word and browsers produce.
TEXT = st.text(max_size=120) | st.text(alphabet=st.sampled_from(
    "a\x00\x01\x08\x0b\x0c\r\n\t\x1f\x7f\x85\u00ad\u00a0\u2028\u2029\ufeff\ufffe\uffff&<>{_}%"),
    max_size=40)


def wrapped(text: str) -> str:
    return START + text + END


def expected(text: str) -> str:
    return START + clean_text(text) + END


@PROPERTY
@given(text=TEXT)
def test_application_text_reads_back_as_typed(text: str) -> None:
    row = {"navn": wrapped(text), "yrke": "Lege", "kompetanse": "x", "stillingsandel": "100"}
    document = open_docx(render_application(application(
        navn_nb=wrapped(text), beskrivelse=wrapped(text), p2_dokumentasjon=[wrapped(text)],
        fagpersoner=[row] * 3,
    )))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert paragraphs.count(expected(text)) == 4  # subtitle, name, description, evidence
    assert list(texts(document)).count(expected(text)) == 7  # and 3 table rows
    footer = document.sections[0].footer.paragraphs[0].text
    # python-docx leaves out the page number: it is a field.
    assert footer == f"{expected(text)} – Oslo universitetssykehus HF – side "


@PROPERTY
@given(text=TEXT)
def test_decision_letter_text_reads_back_as_typed(text: str) -> None:
    data = decision_data(DecisionKind.REJECTED, reasons=wrapped(text),
                         application_name=wrapped(text))
    document = open_docx(decision_letter_docx(data, DECISION_TEMPLATE))
    assert expected(text) in [paragraph.text for paragraph in document.paragraphs]
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer == f"Vedtak: {expected(text)} – side "


@PROPERTY
@given(text=TEXT)
def test_cover_letter_text_reads_back_as_typed(text: str) -> None:
    first, second = cover_data().entries
    entries = [type(first)(**{**first.__dict__, "description": wrapped(text),
                              "health_trust": wrapped(text)}), second]
    document = open_docx(cover_letter_docx(cover_data(entries=entries), COVER_TEMPLATE))
    assert expected(text) in [paragraph.text for paragraph in document.paragraphs]
    assert expected(text) in [paragraph.text for row in document.tables[0].rows
                              for cell in row.cells for paragraph in cell.paragraphs]
