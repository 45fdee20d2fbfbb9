"""The application as Word, read back with python-docx as Helsedirektoratet's Word would."""

from __future__ import annotations

import io
import zipfile

import pytest

from soknad.documents.context import application_context
from soknad.documents.render import render_docx, render_docx_plain
from soknad.domain.findings import Finding, Severity
from soknad.domain.service_types import ServiceType
from tests.unit.documents.helpers import (
    APPLICATION_TEMPLATE,
    SHA,
    SUBMITTED_AT,
    application,
    full_text,
    open_docx,
    render_application,
    spec_for,
    table_rows,
)

WARNING = Finding(rule="patient_volume", section="p2", severity=Severity.WARNING, point=2,
                  message="Under 20 nye pasienter i året: vurder en overnasjonal løsning.",
                  source="Veilederen (003)", quote="20–200 nye pasienter")
BLOCKING = Finding(rule="x", section="p7", severity=Severity.BLOCKING, point=7,
                   message="Dette er et blokkerende funn.")


@pytest.mark.parametrize("service_type", list(ServiceType))
def test_every_point_title_in_order(service_type: ServiceType) -> None:
    document = application(service_type)
    spec = spec_for(service_type)
    headings = [p.text for p in open_docx(render_application(document)).paragraphs
                if p.style.name == "Heading 1"]
    expected = [section.heading for section in spec.sections_for(document.kind)]
    assert headings[: len(expected)] == expected
    assert headings[len(expected):] == ["Merknader fra kontrollen", "Vedlegg"]
    assert any(title.startswith("Punkt 12: ") for title in expected) is service_type.is_treatment


def test_tables_have_their_rows() -> None:
    tables = [table_rows(table) for table in
              open_docx(render_application(application())).tables]
    professionals = next(rows for rows in tables if rows[0][0] == "Navn")
    assert professionals[1:] == [
        ["Ola Lege", "Lege", "Ortoped", "100 %"],
        ["Eva Sykepleier", "Sykepleier", "Barn", "50 %"],
        ["Per Fysio", "Fysioterapeut", "Rehabilitering", "20,5 %"],
    ]
    anchoring = next(rows for rows in tables if rows[0][0] == "Helseregion")
    assert [row[0] for row in anchoring[1:]] == ["Helse Sør-Øst", "Helse Vest",
                                                 "Helse Midt-Norge", "Helse Nord"]
    assert anchoring[1][2:] == ["01.09.2026", "Ja"]
    plan = next(rows for rows in tables if rows[0][0] == "Hvilken kompetanse")
    assert plan[1] == ["Diagnostikk", "Barneleger", "Kurs", "01.06.2028"]
    goals = next(rows for rows in tables if rows[0][0] == "Mål")
    assert goals[1] == ["Kortere ventetid", "Dager til utredning", "Under 30 dager",
                        "31.12.2029"]


def test_evidence_warnings_form_version_and_checksum() -> None:
    data = render_application(application(), findings=[WARNING, BLOCKING.to_dict()])
    document = open_docx(data)
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "Norsk pasientregister 2025" in bullets
    assert "Vedlegg: Registerdata æøå.pdf (1,2 MB)" in bullets
    assert ("Punkt 2: Under 20 nye pasienter i året: vurder en overnasjonal løsning. "
            "(Veilederen (003): «20–200 nye pasienter»)") in bullets
    assert not any("blokkerende" in bullet for bullet in bullets)
    facts = dict(map(tuple, table_rows(document.tables[0])))
    assert facts["Skjema"] == "Søknad om nasjonal behandlingstjeneste, versjon 2"
    assert facts["SHA-256"] == SHA
    assert facts["Sendt inn"] == "02.11.2026 kl. 10:15 av Kari Nordmann (innsending 1)"
    attachments = table_rows(document.tables[-1])
    assert attachments[1] == ["Registerdata æøå.pdf",
                              "Punkt 2: Dokumentasjon av pasientvolum og insidens", "1,2 MB",
                              "ab" * 32]
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Nasjonal behandlingstjeneste for sjeldne beinsykdommer – Oslo "
                             "universitetssykehus HF – side ")


def test_no_warnings_says_so() -> None:
    assert "Kontrollene ga ingen advarsler." in full_text(render_application(application()))


def test_a_missing_required_answer_is_shown_as_missing_not_hidden() -> None:
    text = full_text(render_application(application(tverrfaglig="", fagpersoner=[])))
    assert "Ikke besvart." in text
    assert "Ingen rader er fylt ut." in text


def test_same_data_gives_the_same_bytes_with_fixed_dates() -> None:
    first = render_application(application(), findings=[WARNING])
    assert render_application(application(), findings=[WARNING]) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.testzip() is None
    properties = open_docx(first).core_properties
    assert properties.created.isoformat() == "2026-11-02T09:15:00+00:00"
    assert properties.title == "Nasjonal behandlingstjeneste for sjeldne beinsykdommer"


def test_fast_path_reads_the_same_as_docxtpls_own_render() -> None:
    document = application(beskrivelse="To\x0blinjer & <tegn> {_{ }_}")
    context = application_context(document, spec_for(ServiceType.NATIONAL_TREATMENT),
                                  [WARNING], SHA, SUBMITTED_AT)
    from datetime import UTC, datetime

    moment = datetime(2026, 11, 2, tzinfo=UTC)
    fast = render_docx(APPLICATION_TEMPLATE, context, title="T", moment=moment)
    plain = render_docx_plain(APPLICATION_TEMPLATE, context, title="T", moment=moment)
    assert full_text(fast) == full_text(plain)
    assert "To\nlinjer & <tegn> {_{ }_}" in full_text(fast)


@pytest.mark.parametrize(
    ("section", "place"),
    [pytest.param("om", "Om søknaden", id="general-part"),
     pytest.param("referansegruppe", "Faglig referansegruppe", id="a-part-without-a-number")],
)
def test_a_warning_outside_the_points_names_its_part(section: str, place: str) -> None:
    warning = Finding(rule="reference_group_chair_region", section=section,
                      severity=Severity.WARNING, message="Lederen bør komme fra en annen region.")
    document = open_docx(render_application(application(), findings=[warning.to_dict()]))
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert f"{place}: Lederen bør komme fra en annen region." in bullets
