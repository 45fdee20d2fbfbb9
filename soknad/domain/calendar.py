"""The round's calendar (årshjul): which dates, whom they concern, what is left to do before
each, and when a reminder is due. Pure: dates and counts in, dates and text out; the clock, the
database and the mail server stay outside (``soknad.services.calendar`` / ``.reminders``).

Which year each date falls in, for round Y (a round is named after the year whose 15 January is
its joint deadline, DESIGN.md "The round and its states"; dates from DOMAIN.md "The calendar"):

- the RHF's internal deadline: set by each region's coordinator (``RegionRound``), before
  15 January Y (002 ch. II.1: «interne frister m.m.»); an extension the coordinator granted to
  one application is a date of its own for that health trust;
- 15 January Y: the RHFs' joint, prioritised submission to Hdir, copy to HOD («innen 15. januar
  hvert år», 002 ch. II.1, 004 ch. 4.1);
- 15 March Y: complete annual reports from the region's national services to the RHF (004 ch. 4.4);
- 1 June Y: Hdir's assessment of the annual reports (002 ch. IV, 004 ch. 3);
- 1 September Y: supplementary reporting Hdir asked for in its assessment (002 ch. IV); the
  three report dates concern the reports on Y-1 (``domain.reports``: due, assessment and
  supplement dates), and what is left to do before them counts those reports (``ReportStage``);
- 1 December Y: Hdir's decisions on the round's applications («innen 1. desember hvert år»: the
  same year as the 15 January deadline, 002 ch. II.1, 004 ch. 3);
- 1 January Y+1: approvals take effect («med virkning fra 1. januar påfølgende år», 002 ch. II.1);
- 30 May Y+1: final decision where Hdir postponed it («til 30. mai påfølgende år», 002 ch. II.1);
- 1 June Y+1: approvals after an extended assessment take effect («eller fra 1. juni påfølgende
  år ved en utvidet vurdering», 002 ch. II.1);
- approval + 1 year: the service must be established (002, 004 ch. 4.1), per application;
- approval + 5 / 10 years: a competence service's term ends, «opplæring» / «kompetanseoppbygging»
  (004 ch. 2 and 4.5), per application; and for the registry's existing competence services,
  counted from their approval dates (``lifecycle.term_end``), those that end in Y or Y+1;
- by kind (``lifecycle``): only an establishment is «established within» a year and has a term;
  an approved change of name or content takes effect 1 January Y+1; an approved termination
  ends the service from its day (f.o.m.), 1 January Y+1 unless Helsedirektoratet chose later.

Times: every date is an Oslo date. A deadline «innen 15. januar» holds until 23:59:59 Oslo time
that day (``end_of_day``). A date on a Saturday, a Sunday or a Norwegian public holiday is
flagged (``day_note``), never moved: the regulation names the date, not a working day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from soknad.domain import decisions
from soknad.domain.dates import WEEKDAYS, long_date
from soknad.domain.decisions import FUNCTION_NAMES, TERM_YEARS
from soknad.domain.organisations import Region
from soknad.domain.permissions import Actor
from soknad.domain.reports import ReportState, assessment_date, due_date, supplement_date
from soknad.domain.roles import Role
from soknad.domain.service_types import ApplicationKind
from soknad.domain.words import amount
from soknad.domain.workflow import State

OSLO = ZoneInfo("Europe/Oslo")
#: The guide (the newer one wins over the older, DOMAIN.md), cited by its title.
GUIDE = "Veileder for nasjonale tjenester i spesialisthelsetjenesten"
END_OF_DAY = time(23, 59, 59)




class DeadlineKind(StrEnum):
    INTERNAL = "internal"
    EXTENSION = "extension"  # one application's extended internal deadline
    JOINT_SUBMISSION = "joint_submission"
    ANNUAL_REPORTS = "annual_reports"
    REPORT_ASSESSMENT = "report_assessment"
    REPORT_SUPPLEMENTS = "report_supplements"
    DECISIONS = "decisions"
    APPROVALS_EFFECTIVE = "approvals_effective"
    POSTPONED_DECISIONS = "postponed_decisions"
    EXTENDED_START = "extended_start"
    ESTABLISH_BY = "establish_by"
    TERM_ENDS = "term_ends"
    CHANGE_EFFECTIVE = "change_effective"  # an approved change of name or content
    SERVICE_ENDS = "service_ends"  # an approved termination takes effect
    ROUND_DATE = "round_date"  # added by an administrator for one round


#: Dates by which something must be done («innen»). The others are dates on which something
#: happens (an approval takes effect, a term ends, a meeting): they pass, they are never overdue.
DEADLINE_KINDS = frozenset({
    DeadlineKind.INTERNAL, DeadlineKind.EXTENSION, DeadlineKind.JOINT_SUBMISSION,
    DeadlineKind.ANNUAL_REPORTS, DeadlineKind.REPORT_ASSESSMENT,
    DeadlineKind.REPORT_SUPPLEMENTS, DeadlineKind.DECISIONS,
    DeadlineKind.POSTPONED_DECISIONS, DeadlineKind.ESTABLISH_BY,
})

REGIONAL_ROLES = frozenset({Role.APPLICANT, Role.COORDINATOR})


# --------------------------------------------------------------------------- who it concerns


@dataclass(frozen=True)
class Audience:
    """Who a date concerns: users with one of ``roles``; ``region`` narrows the regional roles
    (applicants and coordinators) to one health region, ``organisation_id`` narrows applicants
    to one health trust. The directorate is never narrowed by region."""

    roles: frozenset[Role]
    region: Region | None = None
    organisation_id: int | None = None

    def includes(self, actor: Actor) -> bool:
        if actor.role not in self.roles:
            return False
        if actor.role in REGIONAL_ROLES and self.region is not None \
                and actor.region != self.region:
            return False
        return not (actor.role is Role.APPLICANT and self.organisation_id is not None
                    and actor.organisation_id != self.organisation_id)

    def describe(self) -> str:
        """"søkere og RHF-koordinatorer i Helse Vest" (for the command line and admin pages)."""
        names = [ROLE_PLURALS[role] for role in Role if role in self.roles]
        text = " og ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        if self.organisation_id is not None:
            text += " i helseforetaket"
        if self.region is not None:
            text += f" i {self.region.label}"
        return text


ROLE_PLURALS = {
    Role.APPLICANT: "søkere",
    Role.COORDINATOR: "RHF-koordinatorer",
    Role.DIRECTORATE: "Helsedirektoratet",
    Role.ADMIN: "administratorer",
}


# --------------------------------------------------------------------------- the dates


@dataclass(frozen=True)
class Deadline:
    """One date of a round. ``key`` is stable while the date may move (an RHF moves its internal
    deadline): it names the event in calendar feeds. ``reminder_key`` includes the date, so a
    moved deadline gets its own reminders."""

    key: str
    kind: DeadlineKind
    day: date
    title: str
    meaning: str
    source: str
    audience: Audience
    #: For dates of one application (establish by, term ends): its state now.
    application_state: State | None = None
    #: Admin-added dates: whether everyone concerned is reminded (there is no count of what is
    #: left to do for such a date).
    remind_everyone: bool = False

    @property
    def is_deadline(self) -> bool:
        return self.kind in DEADLINE_KINDS

    @property
    def reminder_key(self) -> str:
        return f"{self.key}@{self.day.isoformat()}"

    @property
    def note(self) -> str:
        return day_note(self.day)

    def visible_to(self, actor: Actor) -> bool:
        """Administrators oversee the whole round and see every date; others see theirs."""
        return actor.role is Role.ADMIN or self.audience.includes(actor)


@dataclass(frozen=True)
class Approval:
    """An approved application of the round, as the calendar needs it."""

    application_id: int
    organisation_id: int
    region: Region
    title: str
    approved_on: date  # Oslo date of Helsedirektoratet's approval
    state: State  # APPROVED or ESTABLISHED
    function: str | None = None  # competence services: "opplaering" | "kompetanseoppbygging"
    after_postponement: bool = False  # approved after an extended assessment (takes effect 1 June)
    kind: ApplicationKind = ApplicationKind.ESTABLISHMENT
    terminated_from: date | None = None  # an approved termination: the service ends f.o.m.


@dataclass(frozen=True)
class ServiceTerm:
    """An existing competence service in the registry and the last day of its term."""

    service_id: int
    name: str
    region: Region | None
    ends: date


@dataclass(frozen=True)
class Extension:
    """An application the region's coordinator let its health trust submit after the internal
    deadline, until the end of ``day``."""

    application_id: int
    organisation_id: int
    region: Region
    title: str
    day: date
    state: State


@dataclass(frozen=True)
class OwnDate:
    """A date an administrator added to one round (a region's extra deadline, a meeting)."""

    id: int
    day: date
    title: str
    description: str
    roles: frozenset[Role]
    region: Region | None = None
    remind: bool = True


#: The roles that work in a round (administrators see every date anyway: ``visible_to``).
ROUND_ROLES = frozenset({Role.APPLICANT, Role.COORDINATOR, Role.DIRECTORATE})
RHF_AND_HDIR = frozenset({Role.COORDINATOR, Role.DIRECTORATE})


def round_calendar(year: int, internal_deadlines: Mapping[Region, date | None],
                   approvals: Iterable[Approval] = (),
                   own_dates: Iterable[OwnDate] = (), *,
                   extensions: Iterable[Extension] = (),
                   service_terms: Iterable[ServiceTerm] = ()) -> list[Deadline]:
    """Every date of round ``year``, in date order (see the table at the top for the years)."""
    following = year + 1
    items: list[Deadline] = []
    for region in Region:
        day = internal_deadlines.get(region)
        if day is None:
            continue
        items.append(Deadline(
            f"internal:{region.value}", DeadlineKind.INTERNAL, day,
            f"Intern frist i {region.label}: søknader fra helseforetakene til RHF",
            f"Helseforetakene i {region.label} sender søknadene om nasjonale tjenester til "
            f"{region.label} RHF innen denne fristen, som RHF-et har satt (interne frister i "
            "egen region). RHF-et behandler og prioriterer søknadene før den samlede søknaden "
            f"går til Helsedirektoratet 15. januar {year}.",
            "Veilederen kap. II.1", Audience(REGIONAL_ROLES, region=region)))
    items += [
        Deadline(
            "joint_submission", DeadlineKind.JOINT_SUBMISSION, date(year, 1, 15),
            "Samlet søknad fra RHF-ene til Helsedirektoratet (kopi til HOD)",
            "Den samlede søknaden fra de regionale helseforetakene om opprettelse eller endring "
            "av nasjonale tjenester, med prioritering av forslagene, sendes Helsedirektoratet "
            "med kopi til Helse- og omsorgsdepartementet innen 15. januar.",
            f"{GUIDE}, kap. 4.1", Audience(RHF_AND_HDIR)),
        Deadline(
            "annual_reports", DeadlineKind.ANNUAL_REPORTS, due_date(year - 1),
            "Årsrapporter fra de nasjonale tjenestene til RHF",
            "Fullstendig samlet årlig rapportering fra alle nasjonale tjenester i regionen skal "
            "foreligge hos det regionale helseforetaket innen 15. mars.",
            f"{GUIDE}, kap. 4.4", Audience(REGIONAL_ROLES | {Role.DIRECTORATE})),
        Deadline(
            "report_assessment", DeadlineKind.REPORT_ASSESSMENT, assessment_date(year - 1),
            "Helsedirektoratets vurdering av årsrapporteringen",
            "Helsedirektoratet gir innen 1. juni sin vurdering av de nasjonale tjenestenes "
            "årsrapportering og varsler de regionale helseforetakene om forslag til endring "
            "eller avvikling av tjenester.",
            f"{GUIDE}, kap. 3", Audience(ROUND_ROLES)),
        Deadline(
            "report_supplements", DeadlineKind.REPORT_SUPPLEMENTS, supplement_date(year - 1),
            "Tilleggsrapportering til årsrapportene",
            "Ved mangelfull rapportering kan Helsedirektoratet be de regionale "
            "helseforetakene om tilleggsrapportering, med frist innen 1. september.",
            "Veilederen kap. IV", Audience(ROUND_ROLES)),
        Deadline(
            "decisions", DeadlineKind.DECISIONS, date(year, 12, 1),
            "Helsedirektoratets vedtak om søknadene",
            "Helsedirektoratet fatter vedtak om etablering, endring eller avvikling av "
            "nasjonale tjenester og gir sin samlede tilbakemelding til de regionale "
            "helseforetakene (kopi til departementet) innen 1. desember. Helsedirektoratet "
            "kan utsette en endelig beslutning til 30. mai året etter.",
            f"{GUIDE}, kap. 3", Audience(ROUND_ROLES)),
        Deadline(
            "approvals_effective", DeadlineKind.APPROVALS_EFFECTIVE, date(following, 1, 1),
            "Godkjenninger får virkning",
            f"Nasjonale tjenester som ble godkjent i søknadsrunden {year}, får virkning fra "
            "1. januar året etter vedtaket.",
            "Veilederen kap. II.1", Audience(ROUND_ROLES)),
        Deadline(
            "postponed_decisions", DeadlineKind.POSTPONED_DECISIONS, date(following, 5, 30),
            "Endelig vedtak om søknader med utsatt behandling",
            "Når Helsedirektoratet har utsatt beslutningen for videre utredning, skal endelig "
            "vedtak om godkjenning eller avslag foreligge innen 30. mai året etter.",
            "Veilederen kap. II.1", Audience(ROUND_ROLES)),
        Deadline(
            "extended_start", DeadlineKind.EXTENDED_START, date(following, 6, 1),
            "Godkjenninger etter utvidet vurdering får virkning",
            "Tjenester som godkjennes etter en utvidet vurdering, får virkning fra 1. juni året "
            "etter søknadsfristen.",
            "Veilederen kap. II.1", Audience(ROUND_ROLES)),
    ]
    items += [_extension_date(extension, year) for extension in extensions]
    items += [item for approval in approvals for item in _approval_dates(approval, year)]
    items += [_service_term(term) for term in service_terms
              if term.ends.year in {year, following}]
    items += [_own_date(own) for own in own_dates]
    return sorted(items, key=lambda item: (item.day, _ORDER.index(item.kind), item.key))


_ORDER = list(DeadlineKind)


def _extension_date(extension: Extension, year: int) -> Deadline:
    region = extension.region
    return Deadline(
        f"extension:{extension.application_id}", DeadlineKind.EXTENSION, extension.day,
        f"Utsatt frist: {extension.title}",
        f"{region.label} RHF har gitt helseforetaket utsatt frist for å sende inn denne "
        "søknaden, etter den interne fristen i regionen. Den kan sendes inn til og med denne "
        f"dagen, slik at RHF-et rekker å behandle den før 15. januar {year}.",
        "Veilederen kap. II.1",
        Audience(REGIONAL_ROLES, region=region, organisation_id=extension.organisation_id),
        application_state=extension.state)


def _approval_dates(approval: Approval, year: int) -> list[Deadline]:
    """The approval's own dates, by the one rule of ``domain.decisions``: they follow from the
    round and the day the approval takes effect, not from the day it was recorded."""
    audience = Audience(REGIONAL_ROLES | {Role.DIRECTORATE}, region=approval.region,
                        organisation_id=approval.organisation_id)
    postponed = approval.after_postponement
    effective = decisions.takes_effect(year, after_postponement=postponed)
    if approval.kind is ApplicationKind.TERMINATION:
        ends = approval.terminated_from or effective
        return [Deadline(
            f"service_ends:{approval.application_id}", DeadlineKind.SERVICE_ENDS, ends,
            f"Tjenesten avvikles: {approval.title}",
            "Helsedirektoratet har godkjent avviklingen. Tjenesten er ikke lenger en nasjonal "
            f"tjeneste fra og med {format_date(ends)}; ved avvikling må de alminnelige regler "
            "i arbeidslivet følges i forhold til personell.",
            "Veilederen kap. II.1", audience, application_state=approval.state)]
    if approval.kind is not ApplicationKind.ESTABLISHMENT:
        return [Deadline(
            f"change_effective:{approval.application_id}", DeadlineKind.CHANGE_EFFECTIVE,
            effective, f"{approval.kind.label} får virkning: {approval.title}",
            "Helsedirektoratet har godkjent endringen av en eksisterende nasjonal tjeneste. "
            "Tjenesten beholder sin godkjenning og sin virketid.",
            "Veilederen kap. II.1", audience, application_state=approval.state)]
    found = [Deadline(
        f"establish_by:{approval.application_id}", DeadlineKind.ESTABLISH_BY,
        decisions.establish_by(year, after_postponement=postponed),
        f"Tjenesten skal være etablert: {approval.title}",
        f"En godkjent nasjonal tjeneste skal etableres senest innen ett år etter godkjenningen, "
        f"som får virkning fra {format_date(effective)}.",
        f"{GUIDE}, kap. 4.1", audience,
        application_state=approval.state)]
    years = TERM_YEARS.get(approval.function or "")
    ends = decisions.term_ends(year, approval.function, after_postponement=postponed)
    if years and ends:
        found.append(Deadline(
            f"term_ends:{approval.application_id}", DeadlineKind.TERM_ENDS, ends,
            f"Virketiden går ut: {approval.title}",
            f"En nasjonal kompetansetjeneste med funksjonen "
            f"«{FUNCTION_NAMES[approval.function or ''].lower()}» har en virketid på "
            f"{years} år fra godkjenningen får virkning ({format_date(effective)}). En "
            "videreføring må søkes i god tid: endring eller avvikling tar minst 18 måneder.",
            f"{GUIDE}, kap. 2 og 4.5", audience, application_state=approval.state))
    return found


def _service_term(term: ServiceTerm) -> Deadline:
    return Deadline(
        f"service_term:{term.service_id}", DeadlineKind.TERM_ENDS, term.ends,
        f"Virketiden går ut: {term.name}",
        "Virketiden til den nasjonale kompetansetjenesten går ut, regnet fra godkjenningen "
        "(ti år når funksjonen ikke er registrert). Kompetansetjenesten skal deretter avvikles "
        "som nasjonal tjeneste, med mindre de regionale helseforetakene viderefører den i "
        "en annen form. Endring eller avvikling tar minst 18 måneder.",
        f"{GUIDE}, kap. 4.1", Audience(RHF_AND_HDIR, region=term.region))


def _own_date(own: OwnDate) -> Deadline:
    return Deadline(
        f"own:{own.id}", DeadlineKind.ROUND_DATE, own.day, own.title,
        own.description or own.title, "Lagt til av administrator for søknadsrunden",
        Audience(own.roles, region=own.region), remind_everyone=own.remind)


# --------------------------------------------------------------------------- time


def end_of_day(day: date) -> datetime:
    """The last moment a deadline «innen ``day``» holds: 23:59:59 Oslo time, in UTC."""
    return datetime.combine(day, END_OF_DAY, OSLO).astimezone(UTC)


def has_passed(day: date, now: datetime) -> bool:
    return now > end_of_day(day)


def oslo_date(moment: datetime) -> date:
    return moment.astimezone(OSLO).date()


def days_left(day: date, now: datetime) -> int:
    """Whole days from today (in Oslo) to ``day``: 0 on the day, negative after it."""
    return (day - oslo_date(now)).days


def reminder_moment(day: date, offset_days: int, hour: int) -> datetime:
    """When the reminder ``offset_days`` before ``day`` is due: at ``hour`` o'clock Oslo time
    (08:00 is 07:00 UTC in winter, 06:00 UTC in summer), in UTC."""
    return datetime.combine(day - timedelta(days=offset_days), time(hour), OSLO).astimezone(UTC)


@dataclass(frozen=True)
class DueReminder:
    offset_days: int  # the reminder to send now
    moment: datetime
    superseded: tuple[int, ...]  # earlier offsets also overdue: recorded, not sent


def due_reminder(day: date, offsets: Sequence[int], hour: int, now: datetime,
                 not_before: datetime) -> DueReminder | None:
    """The reminder due now for a deadline on ``day``, if any.

    Every offset whose moment lies between ``not_before`` (when the person's account was made:
    no reminder is owed for a moment before they existed) and ``now`` is owed, as long as the
    deadline has not passed. Only the nearest of them is sent; the earlier ones it supersedes
    (a scheduler that was down for two weeks catches up with one message, not three)."""
    if has_passed(day, now):
        return None
    owed = sorted(offset for offset in set(offsets)
                  if not_before <= reminder_moment(day, offset, hour) <= now)
    if not owed:
        return None
    return DueReminder(owed[0], reminder_moment(day, owed[0], hour), tuple(owed[1:]))


# --------------------------------------------------------------------------- flags and words


@lru_cache(maxsize=64)
def _holidays(year: int) -> Mapping[date, str]:
    return dict(holidays.country_holidays("NO", years=year, language="no"))


def holiday_name(day: date) -> str | None:
    return _holidays(day.year).get(day)


def day_note(day: date) -> str:
    """"lørdag", "søndag", the public holiday's name, or both; "" on an ordinary working day."""
    parts = []
    if day.weekday() >= 5:
        parts.append(WEEKDAYS[day.weekday()])
    name = holiday_name(day)
    if name:
        parts.append(f"helligdag ({name.lower()})")
    return " og ".join(parts)


def format_date(day: date, *, weekday: bool = False) -> str:
    """"15. januar 2027", or "fredag 15. januar 2027" (``dates.long_date``)."""
    return long_date(day, weekday=weekday)


def days_text(days: int) -> str:
    """"i dag", "i morgen", "om 14 dager", "i går", "for 3 dager siden"."""
    if days == 0:
        return "i dag"
    if days == 1:
        return "i morgen"
    if days == -1:
        return "i går"
    return f"om {days} dager" if days > 0 else f"for {-days} dager siden"


# --------------------------------------------------------------------------- what is left to do


class ReportStage(StrEnum):
    """Where an owed annual report stands, as the calendar counts it: not started yet, or in
    one of its states (``domain.reports.ReportState``). Its own values, so that a report's
    count never mixes with an application's."""

    NOT_STARTED = "rapport_ikke_startet"
    DRAFT = "rapport_utkast"
    SENT = "rapport_sendt_rhf"
    RETURNED = "rapport_returnert"
    FORWARDED = "rapport_videresendt"
    SUPPLEMENT_REQUESTED = "rapport_tillegg_etterspurt"
    ASSESSED = "rapport_vurdert"


def report_stage(state: ReportState | None) -> ReportStage:
    return ReportStage.NOT_STARTED if state is None else ReportStage[state.name]


#: What the to-do counts count: applications by state, owed annual reports by stage.
Counted = State | ReportStage


@dataclass(frozen=True)
class TodoRule:
    """Applications (or reports) in ``states`` are still to be dealt with before the
    deadline."""

    states: frozenset[Counted]
    one: str  # "søknad venter på behandling"
    many: str  # "søknader venter på behandling"


@dataclass(frozen=True)
class Task:
    count: int
    text: str  # "2 søknader venter på behandling"


def _todo(states: set[State] | set[ReportStage], one: str, many: str) -> TodoRule:
    return TodoRule(frozenset(states), one, many)


_AWAITING_TREATMENT = _todo({State.SUBMITTED}, "søknad venter på behandling",
                            "søknader venter på behandling")
_THEN_ROUND_LETTER = "før den samlede tilbakemeldingen til RHF-ene"
_NOT_ESTABLISHED = _todo({State.APPROVED}, "godkjent tjeneste er ikke registrert som etablert",
                         "godkjente tjenester er ikke registrert som etablert")

_REPORTS_NOT_SENT = _todo({ReportStage.NOT_STARTED, ReportStage.DRAFT, ReportStage.RETURNED},
                         "årsrapport er ikke sendt til RHF", "årsrapporter er ikke sendt til RHF")
_REPORTS_NOT_RECEIVED = _todo(
    {ReportStage.NOT_STARTED, ReportStage.DRAFT, ReportStage.RETURNED},
    "årsrapport er ikke mottatt fra helseforetakene",
    "årsrapporter er ikke mottatt fra helseforetakene")
_REPORTS_TO_FORWARD = _todo({ReportStage.SENT},
                            "årsrapport er ikke sendt videre til Helsedirektoratet",
                            "årsrapporter er ikke sendt videre til Helsedirektoratet")
_REPORTS_TO_ASSESS = _todo({ReportStage.FORWARDED}, "årsrapport venter på vurdering",
                           "årsrapporter venter på vurdering")
_SUPPLEMENTS_NOT_SENT = _todo({ReportStage.SUPPLEMENT_REQUESTED},
                              "årsrapport venter på tilleggsrapportering",
                              "årsrapporter venter på tilleggsrapportering")

#: The one table of what is left to do, per date and role. The counts come from the
#: applications of the round within the person's reach: their health trust (applicant), their
#: region (coordinator), all (directorate). A postponement is itself a decision by 1 December
#: (002 ch. II.1: Hdir «kan utsette en endelig beslutning ... til 30. mai påfølgende år»), so
#: postponed applications count towards 30 May, not towards 1 December.
TODO_RULES: Mapping[tuple[DeadlineKind, Role], tuple[TodoRule, ...]] = {
    (DeadlineKind.INTERNAL, Role.APPLICANT): (
        _todo({State.DRAFT}, "utkast er ikke sendt til RHF", "utkast er ikke sendt til RHF"),
        _todo({State.RETURNED}, "returnert søknad er ikke sendt inn på nytt",
              "returnerte søknader er ikke sendt inn på nytt"),
    ),
    (DeadlineKind.INTERNAL, Role.COORDINATOR): (_AWAITING_TREATMENT,),
    (DeadlineKind.EXTENSION, Role.APPLICANT): (
        _todo({State.DRAFT, State.RETURNED}, "søknad er ikke sendt til RHF",
              "søknader er ikke sendt til RHF"),
    ),
    (DeadlineKind.JOINT_SUBMISSION, Role.COORDINATOR): (
        _AWAITING_TREATMENT,
        _todo({State.ACCEPTED, State.IN_JOINT_SUBMISSION},
              "godtatt søknad er ikke sendt til Helsedirektoratet",
              "godtatte søknader er ikke sendt til Helsedirektoratet"),
    ),
    (DeadlineKind.DECISIONS, Role.DIRECTORATE): (
        # The decisions go into the round's overall feedback letter to the RHFs, copy to the
        # ministry, by 1 December (guide ch. 3; web.advisory.letter).
        _todo({State.SENT_TO_DIRECTORATE, State.INFORMATION_REQUESTED},
              f"søknad venter på vedtak {_THEN_ROUND_LETTER}",
              f"søknader venter på vedtak {_THEN_ROUND_LETTER}"),
    ),
    (DeadlineKind.POSTPONED_DECISIONS, Role.DIRECTORATE): (
        _todo({State.POSTPONED}, "utsatt søknad venter på endelig vedtak",
              "utsatte søknader venter på endelig vedtak"),
    ),
    (DeadlineKind.ESTABLISH_BY, Role.APPLICANT): (_NOT_ESTABLISHED,),
    (DeadlineKind.ESTABLISH_BY, Role.COORDINATOR): (_NOT_ESTABLISHED,),
    # The annual reports on the year before the round (``ReportStage``): the health trust
    # sends them to its RHF by 15 March, the RHF forwards them, Helsedirektoratet assesses
    # them by 1 June and may ask for supplements by 1 September. A role with nothing to do
    # before a report date has an empty row: the portal follows the date, nothing is left.
    (DeadlineKind.ANNUAL_REPORTS, Role.APPLICANT): (_REPORTS_NOT_SENT,),
    (DeadlineKind.ANNUAL_REPORTS, Role.COORDINATOR): (_REPORTS_NOT_RECEIVED,
                                                      _REPORTS_TO_FORWARD),
    (DeadlineKind.ANNUAL_REPORTS, Role.DIRECTORATE): (),
    (DeadlineKind.REPORT_ASSESSMENT, Role.APPLICANT): (),
    (DeadlineKind.REPORT_ASSESSMENT, Role.COORDINATOR): (_REPORTS_TO_FORWARD,),
    (DeadlineKind.REPORT_ASSESSMENT, Role.DIRECTORATE): (_REPORTS_TO_ASSESS,),
    (DeadlineKind.REPORT_SUPPLEMENTS, Role.APPLICANT): (_SUPPLEMENTS_NOT_SENT,),
    (DeadlineKind.REPORT_SUPPLEMENTS, Role.COORDINATOR): (
        _todo({ReportStage.SUPPLEMENT_REQUESTED}, "tilleggsrapport er ikke mottatt",
              "tilleggsrapporter er ikke mottatt"),
        _REPORTS_TO_FORWARD),
    (DeadlineKind.REPORT_SUPPLEMENTS, Role.DIRECTORATE): (_REPORTS_TO_ASSESS,),
}


def tasks(deadline: Deadline, role: Role, counts: Mapping[Counted, int]) -> list[Task]:
    """What is left to do before ``deadline`` for someone with ``role``. ``counts`` are the
    round's applications per state, and the owed reports per stage, within their reach; a date
    of one application counts that application only."""
    if deadline.application_state is not None:
        counts = {deadline.application_state: 1}
    found = []
    for rule in TODO_RULES.get((deadline.kind, role), ()):
        count = sum(counts.get(state, 0) for state in rule.states)
        if count:
            found.append(Task(count, amount(count, rule.one, rule.many)))
    return found


OrganisationCounts = Mapping[tuple[int, Region | None], Mapping[Counted, int]]


def counts_within_reach(actor: Actor, counts: OrganisationCounts) -> dict[Counted, int]:
    """Add up per-organisation counts (keyed by organisation id and region) to what ``actor``
    is responsible for: their health trust, their region, or everything (directorate)."""
    total: dict[Counted, int] = {}
    for (organisation_id, region), by_state in counts.items():
        match actor.role:
            case Role.APPLICANT:
                mine = organisation_id == actor.organisation_id
            case Role.COORDINATOR:
                mine = region is not None and region == actor.region
            case Role.DIRECTORATE:
                mine = True
            case _:
                mine = False
        if mine:
            for state, count in by_state.items():
                total[state] = total.get(state, 0) + count
    return total


# --------------------------------------------------------------------------- views


class Status(StrEnum):
    UPCOMING = "upcoming"
    TODAY = "today"
    OVERDUE = "overdue"
    PASSED = "passed"

    @property
    def label(self) -> str:
        return {"upcoming": "Kommer", "today": "I dag", "overdue": "Forfalt",
                "passed": "Passert"}[self.value]


@dataclass(frozen=True)
class DeadlineView:
    """A date as one person sees it at one moment."""

    deadline: Deadline
    round_year: int
    days_left: int
    status: Status
    tasks: tuple[Task, ...] = field(default=())
    #: Whether the portal can tell what is left to do before this date for this person.
    tracked: bool = False

    @property
    def when_text(self) -> str:
        if self.status is Status.OVERDUE:
            return f"Forfalt {days_text(self.days_left)}"
        if self.status is Status.PASSED:
            return "Passert"
        return days_text(self.days_left).capitalize()


def view(deadline: Deadline, round_year: int, role: Role, counts: Mapping[Counted, int],
         now: datetime) -> DeadlineView:
    left = days_left(deadline.day, now)
    found = tuple(tasks(deadline, role, counts))
    if has_passed(deadline.day, now):
        status = Status.OVERDUE if deadline.is_deadline and found else Status.PASSED
    else:
        status = Status.TODAY if left == 0 else Status.UPCOMING
    return DeadlineView(deadline, round_year, left, status, found,
                        (deadline.kind, role) in TODO_RULES)


def on_dashboard(item: DeadlineView) -> bool:
    """A start page shows the dates the portal follows for the person (``TODO_RULES``; the
    calendar page shows every date): what is ahead, and what is overdue with something still
    to do."""
    return item.tracked and item.status is not Status.PASSED


def reminder_recipient(deadline: Deadline, actor: Actor, found: Sequence[Task]) -> bool:
    """Reminders go to the people who still have something to do before the deadline, and for
    an administrator's own dates marked so, to everyone they concern."""
    if not deadline.audience.includes(actor):
        return False
    return bool(found) or deadline.remind_everyone
