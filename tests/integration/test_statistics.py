"""The statistics Helsedirektoratet reads: the round's figures by service type and region match
the applications and decisions, the reports on time by region match the reports, and a
service's page shows its reports year over year."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

from flask import Flask
from sqlalchemy import select

from soknad import clock
from soknad.domain.decisions import DecisionKind
from soknad.domain.organisations import Region
from soknad.domain.reports import AssessmentOutcome, ReportState
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import AnnualReport, ReportAssessment
from soknad.services import directorate, reports
from tests.factories import (
    REPORT_YEAR,
    client_for,
    decided_at_the_directorate,
    page,
    recommend,
    report_with_goals,
    sent_in_joint_submission,
    started_report,
    user,
)

HDIR = "hdir@demo.no"


class _Tables(HTMLParser):
    """The cells' text of every table, by the table's id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table = self.tables.setdefault(dict(attrs).get("id") or "", [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in {"td", "th"} and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._cell is not None and self._table is not None:
            self._table[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table(html: str, table_id: str) -> dict[str, list[str]]:
    """A table's rows by their first cell."""
    reader = _Tables()
    reader.feed(html)
    return {row[0]: row[1:] for row in reader.tables[table_id] if row}


def test_the_round_figures_match_the_applications_and_decisions(app: Flask) -> None:
    competence, treatment = ServiceType.NATIONAL_COMPETENCE, ServiceType.NATIONAL_TREATMENT
    decided_at_the_directorate("soker.bergen@demo.no", competence, DecisionKind.APPROVED, 30)
    decided_at_the_directorate("soker.ous@demo.no", competence, DecisionKind.REJECTED, 90)
    decided_at_the_directorate("soker.ous@demo.no", treatment, DecisionKind.POSTPONED)
    decided_at_the_directorate("soker.ous@demo.no", treatment, None)

    html = page(client_for(app, HDIR).get("/hdir/statistikk?runde=2027"))

    assert "<h1>Statistikk for søknadsrunde 2027</h1>" in html
    # Sent, approved, rejected, postponed, undecided, median days, longest.
    by_type = table(html, "tabell-typer")
    assert by_type["Nasjonal kompetansetjeneste"] == ["2", "1", "1", "0", "0", "60", "90"]
    assert by_type["Nasjonal behandlingstjeneste"] == ["2", "0", "0", "1", "1", "–", "–"]
    assert by_type["Flerregional behandlingstjeneste"] == ["0", "0", "0", "0", "0", "–", "–"]
    assert by_type["Alle"] == ["4", "1", "1", "1", "1", "60", "90"]
    by_region = table(html, "tabell-regioner")
    assert by_region["Helse Vest"] == ["1", "1", "0", "0", "0", "30", "30"]
    assert by_region["Helse Sør-Øst"] == ["3", "0", "1", "1", "1", "90", "90"]
    assert by_region["Helse Nord"] == ["0", "0", "0", "0", "0", "–", "–"]
    # The chart says the same in its description, and is an image with a name.
    assert 'role="img" aria-labelledby="figur-typer-title"' in html
    assert ("Nasjonal kompetansetjeneste: godkjent 1, avslått 1, utsatt 0, ikke avgjort 0."
            in html)
    assert ">1 godkjent</text>" in html  # each bar says its figure and series
    assert 'fill="url(#figur-typer-m1)"' in html  # the series differ by pattern too


def test_time_to_decision_counts_from_the_joint_submission(app: Flask) -> None:
    application, _ = sent_in_joint_submission(user("soker.ous@demo.no"))
    recommend(application, DecisionKind.REJECTED)
    decision = directorate.decide(application, DecisionKind.REJECTED, "Oppfyller ikke kravene.",
                                  None, user(HDIR))
    decision.decided_on = clock.today() + timedelta(days=45)
    db.session.commit()

    html = page(client_for(app, HDIR).get("/hdir/statistikk"))

    assert table(html, "tabell-typer")["Nasjonal behandlingstjeneste"] == [
        "1", "0", "1", "0", "0", "45", "45"]


def test_reports_on_time_by_region_match_the_reports(app: Flask) -> None:
    on_time = started_report("soker.ous@demo.no", ServiceType.NATIONAL_COMPETENCE,
                             complete=True, state=ReportState.FORWARDED)
    late = started_report("soker.ous@demo.no", ServiceType.NATIONAL_TREATMENT,
                          complete=True, state=ReportState.SENT)
    late.first_sent_at = datetime(REPORT_YEAR + 1, 3, 16, 9, tzinfo=UTC)
    db.session.commit()
    owed_south_east = len(reports.owed(REPORT_YEAR, region=Region.SOR_OST))
    owed_west = len(reports.owed(REPORT_YEAR, region=Region.VEST))
    assert on_time.first_sent_at is not None

    html = page(client_for(app, HDIR).get("/hdir/statistikk?runde=2027"))

    assert "Årsrapporter for 2026 per helseregion" in html
    rows = table(html, "tabell-rapporter")
    # Owed, on time, late, not sent.
    assert rows["Helse Sør-Øst"] == [str(owed_south_east), "1", "1", str(owed_south_east - 2)]
    assert rows["Helse Vest"] == [str(owed_west), "0", "0", str(owed_west)]


def test_an_unknown_round_is_said_so(app: Flask) -> None:
    response = client_for(app, HDIR).get("/hdir/statistikk?runde=1999")
    assert response.status_code == 404
    assert "Fant ingen søknadsrunde «1999»." in page(response)


def test_the_service_page_shows_the_reports_year_over_year(app: Flask) -> None:
    first = report_with_goals(2025, ReportState.ASSESSED, ["naadd", "delvis", "ikke_naadd"], "3")
    db.session.add(ReportAssessment(report_id=first.id, outcome=AssessmentOutcome.FINE,
                                    assessed_by_id=user(HDIR).id))
    db.session.add(ReportAssessment(report_id=first.id, outcome=AssessmentOutcome.FOLLOW_UP,
                                    points="Følg opp kursene.", assessed_by_id=user(HDIR).id,
                                    assessed_at=clock.now() + timedelta(minutes=1)))
    second = report_with_goals(2026, ReportState.FORWARDED, ["naadd", "naadd"], "1 200")
    assert second.service_id == first.service_id
    db.session.commit()

    html = page(client_for(app, HDIR).get(f"/tjenester/{first.service_id}"))

    assert "<h2 id=\"arsrapporter\">Årsrapporter år for år</h2>" in html
    rows = table(html, "arsrapporter-tall")
    assert rows["Rapportår"] == ["2025", "2026"]
    assert rows["Resultatmål nådd"] == ["1 av 3", "2 av 2"]
    assert rows["Kurs, seminarer og møter tjenesten har holdt (stk.)"] == ["3", "1 200"]
    assert rows["Helsedirektoratets vurdering"] == [
        "Oppfyller kravene, med punkter til oppfølging", "Ikke vurdert ennå"]
    assert f'href="/rapporter/{first.id}/les"' in html


def test_a_report_not_yet_with_helsedirektoratet_is_not_shown(app: Flask) -> None:
    report = started_report("soker.ous@demo.no", ServiceType.NATIONAL_COMPETENCE,
                            complete=True, state=ReportState.SENT)
    html = page(client_for(app, "soker.bergen@demo.no").get(f"/tjenester/{report.service_id}"))
    assert "Helsedirektoratet har ikke fått noen årsrapporter fra tjenesten" in html
    assert db.session.scalar(select(AnnualReport.id).where(AnnualReport.id == report.id))
