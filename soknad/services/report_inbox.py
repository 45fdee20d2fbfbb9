"""The RHF's side of the annual reports: the region's inbox (who has reported, on time or
late), returning a report to its health trust for revision, and forwarding the region's
reports to Helsedirektoratet («fullstendig samlet årlig rapportering fra alle nasjonale
tjenester innen eget regionalt helseforetak innen fristen 15. mars», 004 kap. 4.4).

Every change names the version of the report it was based on (a compare-and-swap on
``AnnualReport.version``), so two coordinators working at once never overwrite each other: the
second is told, and nothing of what they typed is lost. This module owns the transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update

from soknad import clock
from soknad.domain import reports as rules
from soknad.domain.calendar import oslo_date
from soknad.domain.errors import DomainError
from soknad.domain.organisations import Region
from soknad.domain.reports import ReportAction, ReportState
from soknad.domain.roles import Role
from soknad.extensions import db
from soknad.models import AnnualReport, User
from soknad.models.types import utcnow
from soknad.services import audit, mail, organisations, users
from soknad.services import reports as report_service

NOTE_LIMIT = 10_000
NOT_STARTED = "Ikke påbegynt"
NOT_SENT = "Under arbeid, ikke sendt"


class StaleError(DomainError):
    """Someone changed the report after this person loaded it."""


# --------------------------------------------------------------------------- the inbox


@dataclass(frozen=True)
class Row:
    """One service of the region that owes a report, and where its report stands."""

    owed: report_service.Owed
    year: int
    today: date

    @property
    def report(self) -> AnnualReport | None:
        return self.owed.report

    @property
    def reported(self) -> bool:
        return self.owed.reported

    @property
    def readable(self) -> bool:
        """Sent at least once: the RHF may read it (``domain.reports.VISIBLE_TO_REGION``)."""
        return self.report is not None and self.report.state in rules.VISIBLE_TO_REGION

    @property
    def state_label(self) -> str:
        if self.report is None:
            return NOT_STARTED
        if self.report.state is ReportState.DRAFT:
            return NOT_SENT
        return self.report.state.label

    @property
    def sent_on(self) -> date | None:
        """The Oslo date it first reached the RHF (a return does not make it late)."""
        sent = self.report.first_sent_at if self.report else None
        return oslo_date(sent) if sent else None

    @property
    def on_time(self) -> bool | None:
        """True or False once sent; None while not sent and the deadline holds."""
        if self.sent_on is not None:
            return rules.on_time(self.sent_on, self.year)
        return None if self.today <= rules.due_date(self.year) else False

    @property
    def timeliness(self) -> str:
        match self.on_time:
            case True:
                return "I tide"
            case False if self.sent_on is not None:
                return "For sent"
            case False:
                return "Fristen er passert"
            case _:
                return "Frist ikke passert"


@dataclass(frozen=True)
class Inbox:
    region: Region
    year: int
    due: date
    rows: list[Row]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def reported(self) -> list[Row]:
        return [row for row in self.rows if row.reported]

    @property
    def missing(self) -> list[Row]:
        return [row for row in self.rows if not row.reported]

    @property
    def late(self) -> list[Row]:
        return [row for row in self.rows if row.on_time is False]

    @property
    def to_forward(self) -> list[AnnualReport]:
        """The reports with the RHF, not yet forwarded to Helsedirektoratet."""
        return [row.report for row in self.rows
                if row.report is not None and row.report.state is ReportState.SENT]


def inbox(region: Region, year: int) -> Inbox:
    """Every service of the region that owes a report on ``year``, in name order."""
    today = clock.today()
    return Inbox(region, year, rules.due_date(year),
                 [Row(item, year, today) for item in report_service.owed(year, region=region)])


def report_for_review(report_id: int, user: User) -> AnnualReport | None:
    """The report if the user may return it (``domain.reports.can_review``), else None."""
    found = report_service.get(report_id)
    if found is None or not rules.can_review(user.actor(), found.facts()):
        return None
    return found


# --------------------------------------------------------------------------- changes


def _swap(report: AnnualReport, expected_version: int, **values: object) -> None:
    """Change the report only if it is still at ``expected_version`` (compare-and-swap)."""
    done = db.session.execute(
        update(AnnualReport)
        .where(AnnualReport.id == report.id, AnnualReport.version == expected_version)
        .values(version=expected_version + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise StaleError(f"Årsrapporten for {report.service.name_nb} ble endret av noen andre "
                         "etter at du åpnet siden. Se hvordan den står nå, og prøv igjen.")


def return_for_revision(report: AnnualReport, note: str, user: User,
                        expected_version: int | None = None) -> None:
    """Send the report back to its health trust with a note on what to revise."""
    note = note.strip()
    if not note:
        raise DomainError("Skriv hva helseforetaket må rette før du returnerer rapporten.")
    if len(note) > NOTE_LIMIT:
        raise DomainError(f"Merknaden kan ikke være lengre enn {NOTE_LIMIT:,} tegn "
                          f"(den har {len(note):,}).".replace(",", " "))
    before = report.state
    after = rules.next_state(before, ReportAction.RETURN)
    version = report.version if expected_version is None else expected_version
    _swap(report, version, state=after, return_note=note, updated_by_id=user.id)
    audit.record(user.id, "report_returned", "annual_report", report.id,
                 from_state=before.value, to_state=after.value, year=report.year)
    rhf = organisations.rhf_of(report.region)
    for person in applicant_people(report):
        mail.queue(person.email, "report_returned", report=report, note=note, person=person,
                   rhf_name=rhf.name if rhf else report.region.label, sender=user)
    db.session.commit()
    db.session.refresh(report)


def forward(region: Region, year: int, user: User,
            expected: Mapping[int, int] | None = None) -> list[AnnualReport]:
    """Forward the region's reports on ``year`` that are with the RHF to Helsedirektoratet.

    ``expected`` (report id → version) are the reports the coordinator confirmed on the
    confirmation page: exactly those are forwarded, and if one of them changed since, nothing
    is. Without it, every report in the state «Sendt til RHF» goes."""
    found = inbox(region, year)
    ready = found.to_forward
    if expected is not None:
        by_id = {report.id: report for report in ready}
        if set(expected) - set(by_id):
            raise StaleError("En av rapportene er ikke lenger klar til å sendes videre (den kan "
                             "være returnert eller sendt av noen andre). Se over listen på nytt.")
        ready = [by_id[report_id] for report_id in expected]
    if not ready:
        raise DomainError("Ingen årsrapporter venter på å bli sendt til Helsedirektoratet.")
    moment = clock.now()
    for report in ready:
        after = rules.next_state(report.state, ReportAction.FORWARD)
        version = expected[report.id] if expected is not None else report.version
        _swap(report, version, state=after, forwarded_at=moment, updated_by_id=user.id)
        audit.record(user.id, "report_forwarded", "annual_report", report.id,
                     from_state=ReportState.SENT.value, to_state=after.value, year=year,
                     region=region.value)
    rhf = organisations.rhf_of(region)
    for person in users.directorate_users():
        mail.queue(person.email, "reports_forwarded", reports=ready, year=year, region=region,
                   rhf_name=rhf.name if rhf else region.label, sender=user, person=person,
                   missing=found.missing, total=found.total)
    db.session.commit()
    for report in ready:
        db.session.refresh(report)
    return ready


def applicant_people(report: AnnualReport) -> list[User]:
    """The active applicant users of the health trust that writes the report."""
    return list(db.session.scalars(select(User).where(
        User.organisation_id == report.organisation_id, User.role == Role.APPLICANT.value,
        User.active.is_(True)).order_by(User.email)))


def versions(reports: Sequence[AnnualReport]) -> dict[int, int]:
    return {report.id: report.version for report in reports}
