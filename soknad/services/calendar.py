"""The calendar from the database: each round's dates, the counts that say what is left to do,
what one user sees (start page, ``/kalender``, the iCal feed, ``soknad calendar``), the
administrator's own dates and the private feed addresses.

The rules (which dates, whom they concern, what counts as left to do) are in
``soknad.domain.calendar``; this module only gathers their input and stores what people add.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from icalendar import Calendar, Event
from sqlalchemy import func, select

from soknad import clock
from soknad.domain import calendar as cal
from soknad.domain import coordination
from soknad.domain.decisions import DecisionKind
from soknad.domain.errors import DomainError
from soknad.domain.lifecycle import ServiceStatus
from soknad.domain.organisations import Region
from soknad.domain.roles import Role
from soknad.domain.service_types import ServiceType
from soknad.domain.workflow import EDITABLE, State
from soknad.extensions import db
from soknad.models import (
    Application,
    CalendarFeed,
    Decision,
    NationalService,
    Organisation,
    RegionRound,
    Round,
    RoundDate,
    User,
)
from soknad.services import audit
from soknad.services import reports as report_service

# --------------------------------------------------------------------------- a round's dates


@dataclass
class RoundCalendar:
    round: Round
    deadlines: list[cal.Deadline]
    #: Applications of the round per (organisation id, region) and state, and the owed
    #: annual reports on the year before per hosting health trust and stage.
    counts: dict[tuple[int, Region | None], dict[cal.Counted, int]]
    #: Regions that have not set their internal deadline for this round.
    without_internal: list[Region] = field(default_factory=list)

    def counts_for(self, user: User) -> dict[cal.Counted, int]:
        return cal.counts_within_reach(user.actor(), self.counts)


def rounds() -> list[Round]:
    return list(db.session.scalars(select(Round).order_by(Round.year)))


def round_by_year(year: int) -> Round | None:
    return db.session.scalar(select(Round).where(Round.year == year))


def internal_deadlines(round_: Round) -> dict[Region, date | None]:
    """The regions' internal deadlines (``RegionRound``, set by each coordinator; read only)."""
    rows = db.session.execute(select(RegionRound.region, RegionRound.internal_deadline)
                              .where(RegionRound.round_id == round_.id)).all()
    found = {Region(region): day for region, day in rows}
    return {region: found.get(region) for region in Region}


def approvals(round_: Round) -> list[cal.Approval]:
    """The round's approved applications, with the day of Helsedirektoratet's approval and,
    for a competence service, the function it decided (``Decision``)."""
    rows = db.session.execute(
        select(Application, Decision)
        .join(Decision, Decision.application_id == Application.id)
        .where(Application.round_id == round_.id,
               Application.state.in_([State.APPROVED.value, State.ESTABLISHED.value]),
               Decision.kind == DecisionKind.APPROVED.value)
        .order_by(Application.id)).all()
    found = []
    for application, decision in rows:
        region = application.organisation.region_enum
        if region is None:
            continue
        found.append(cal.Approval(
            application.id, application.organisation_id, region, application.display_title,
            decision.decided_on, application.state_enum, decision.function,
            decision.after_postponement, application.kind_enum, decision.terminated_from))
    return found


def service_terms() -> list[cal.ServiceTerm]:
    """The registry's active competence services and the last day of their terms, counted
    from their approval dates when no decision recorded one (``lifecycle.term_end``)."""
    rows = db.session.scalars(select(NationalService).where(
        NationalService.service_type == ServiceType.NATIONAL_COMPETENCE.value,
        NationalService.status == ServiceStatus.ACTIVE).order_by(NationalService.id))
    found = []
    for row in rows:
        ends = row.term_end
        if ends is not None:
            region = Region(row.regions[0]) if row.regions else None
            found.append(cal.ServiceTerm(row.id, row.name_nb, region, ends))
    return found


def extensions(round_: Round,
               internal: Mapping[Region, date | None]) -> list[cal.Extension]:
    """The round's applications whose extension reaches past their region's internal deadline
    (an extension never shortens it: ``coordination.last_submit_day``)."""
    rows = db.session.scalars(select(Application).where(
        Application.round_id == round_.id, Application.submit_extended_to.is_not(None),
    ).order_by(Application.id))
    found = []
    for row in rows:
        region = row.organisation.region_enum
        day = row.submit_extended_to
        if region is None or day is None:
            continue
        if coordination.last_submit_day(internal.get(region), day) == day:
            found.append(cal.Extension(row.id, row.organisation_id, region, row.display_title,
                                       day, row.state_enum))
    return found


def own_dates(round_: Round) -> list[RoundDate]:
    return list(db.session.scalars(select(RoundDate).where(RoundDate.round_id == round_.id)
                                   .order_by(RoundDate.day, RoundDate.id)))


def state_counts(round_: Round, leave_out: Iterable[int] = ()
                 ) -> dict[tuple[int, Region | None], dict[cal.Counted, int]]:
    """The round's applications per health trust and state, without those in ``leave_out``."""
    rows = db.session.execute(
        select(Application.organisation_id, Organisation.region, Application.state,
               func.count(Application.id))
        .join(Organisation, Application.organisation_id == Organisation.id)
        .where(Application.round_id == round_.id, Application.id.not_in(list(leave_out)))
        .group_by(Application.organisation_id, Organisation.region, Application.state)).all()
    counts: dict[tuple[int, Region | None], dict[cal.Counted, int]] = {}
    for organisation_id, region, state, count in rows:
        key = (organisation_id, Region(region) if region else None)
        counts.setdefault(key, {})[State(state)] = count
    return counts


def report_counts(year: int) -> dict[tuple[int, Region | None], dict[cal.Counted, int]]:
    """The reports owed on ``year`` per hosting health trust and stage (not started, or the
    report's state). A service whose registry place names no health trust has no one to remind
    and is left out here (the RHF's inbox lists it)."""
    counts: dict[tuple[int, Region | None], dict[cal.Counted, int]] = {}
    for item in report_service.owed(year):
        if item.host is None:
            continue
        stage = cal.report_stage(item.report.state if item.report else None)
        by_stage = counts.setdefault((item.host.id, item.region), {})
        by_stage[stage] = by_stage.get(stage, 0) + 1
    return counts


def _merged(*parts: Mapping[tuple[int, Region | None], Mapping[cal.Counted, int]]
            ) -> dict[tuple[int, Region | None], dict[cal.Counted, int]]:
    merged: dict[tuple[int, Region | None], dict[cal.Counted, int]] = {}
    for part in parts:
        for key, by_state in part.items():
            merged.setdefault(key, {}).update(by_state)
    return merged


def load(round_: Round) -> RoundCalendar:
    deadlines_by_region = internal_deadlines(round_)
    own = [cal.OwnDate(row.id, row.day, row.title, row.description, row.role_set,
                       row.region_enum, row.remind) for row in own_dates(round_)]
    extended = extensions(round_, deadlines_by_region)
    return RoundCalendar(
        round_, cal.round_calendar(round_.year, deadlines_by_region, approvals(round_), own,
                                   extensions=extended, service_terms=service_terms()),
        # An extended draft is the health trust's to do before its own date, not the region's;
        # once sent, it counts like any other application (the coordinator's to-dos).
        _merged(state_counts(round_, leave_out=[item.application_id for item in extended
                                                if item.state in EDITABLE]),
                # the round's report dates concern the reports on the year before it
                report_counts(round_.year - 1)),
        [region for region, day in deadlines_by_region.items() if day is None])


def load_all() -> list[RoundCalendar]:
    return [load(round_) for round_ in rounds()]


# --------------------------------------------------------------------------- one user's view


def views_for(user: User, now: datetime | None = None,
              calendars: Sequence[RoundCalendar] | None = None) -> list[cal.DeadlineView]:
    """Every date of every round that concerns ``user``, as they see it now, in date order."""
    now = now or clock.now()
    actor = user.actor()
    found = []
    for calendar in load_all() if calendars is None else calendars:
        counts = calendar.counts_for(user)
        found += [cal.view(deadline, calendar.round.year, actor.role, counts, now)
                  for deadline in calendar.deadlines if deadline.visible_to(actor)]
    return sorted(found, key=lambda item: (item.deadline.day, item.round_year))


@dataclass
class Panel:
    """What a start page shows: the dates ahead and the overdue ones with something to do."""

    items: list[cal.DeadlineView]
    notices: list[str]


def dashboard(user: User, now: datetime | None = None) -> Panel:
    now = now or clock.now()
    calendars = load_all()
    items = [item for item in views_for(user, now, calendars) if cal.on_dashboard(item)]
    return Panel(items, notices(user, now, calendars))


def notices(user: User, now: datetime, calendars: Sequence[RoundCalendar]) -> list[str]:
    """Tell a health trust and its RHF when the region's internal deadline is not set yet."""
    region = user.organisation.region_enum
    if user.role_enum not in cal.REGIONAL_ROLES or region is None:
        return []
    return [
        f"{region.label} RHF har ikke satt intern frist for søknadsrunden "
        f"{calendar.round.year} ennå. Den samlede søknaden fra RHF-ene skal til "
        f"Helsedirektoratet innen {cal.format_date(date(calendar.round.year, 1, 15))}."
        for calendar in calendars
        if calendar.round.is_open and region in calendar.without_internal
        and not cal.has_passed(date(calendar.round.year, 1, 15), now)
    ]


# --------------------------------------------------------------------------- the iCal feed


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def live_feed(user: User) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(
        CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None)))


def create_feed(user: User) -> str:
    """A new private feed address for ``user`` (the old one stops working). Returns the token,
    which is shown once: only its SHA-256 is kept."""
    _revoke(user)
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarFeed(user_id=user.id, token_hash=_hash(token)))
    audit.record(user.id, "calendar_feed_created", "user", user.id)
    db.session.commit()
    return token


def revoke_feed(user: User) -> bool:
    revoked = _revoke(user)
    if revoked:
        audit.record(user.id, "calendar_feed_revoked", "user", user.id)
    db.session.commit()
    return revoked


def _revoke(user: User) -> bool:
    feed = live_feed(user)
    if feed is None:
        return False
    feed.revoked_at = clock.now()
    db.session.flush()
    return True


def user_for_token(token: str) -> User | None:
    """The active user whose live feed ``token`` opens, or None (unknown, revoked, inactive)."""
    if not token or len(token) > 100:
        return None
    feed = db.session.scalar(select(CalendarFeed).where(
        CalendarFeed.token_hash == _hash(token), CalendarFeed.revoked_at.is_(None)))
    if feed is None or not feed.user.active:
        return None
    return feed.user


def event_description(item: cal.DeadlineView) -> str:
    deadline = item.deadline
    lines = [deadline.meaning, ""]
    if deadline.is_deadline:
        lines.append(f"Frist: innen {cal.format_date(deadline.day, weekday=True)} "
                     "(fristen gjelder til kl. 23.59 norsk tid).")
    else:
        lines.append(f"Dato: {cal.format_date(deadline.day, weekday=True)}.")
    if deadline.note:
        lines.append(f"Merk: datoen er {deadline.note}.")
    if item.tasks:
        lines.append("Gjenstår: " + "; ".join(task.text for task in item.tasks) + ".")
    lines += [f"Søknadsrunde {item.round_year}. Kilde: {deadline.source}."]
    return "\n".join(lines)


def event_uid(item: cal.DeadlineView) -> str:
    """Stable while a date moves, so that calendar programs update the event."""
    return f"{item.round_year}-{item.deadline.key.replace(':', '-')}@soknadsportal"


def ical(user: User, now: datetime | None = None) -> bytes:
    """The user's dates as an iCalendar (RFC 5545) file of all-day events."""
    now = now or clock.now()
    calendar = Calendar()
    calendar.add("prodid", "-//Søknadsportal for nasjonale tjenester//Frister//NB")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Frister – nasjonale tjenester")
    calendar.add("x-wr-timezone", "Europe/Oslo")
    link = current_app.config["BASE_URL"].rstrip("/") + "/kalender"
    for item in views_for(user, now):
        deadline = item.deadline
        event = Event()
        event.add("uid", event_uid(item))
        event.add("dtstamp", now)
        event.add("dtstart", deadline.day)
        event.add("dtend", deadline.day + timedelta(days=1))
        event.add("summary", f"Frist: {deadline.title}" if deadline.is_deadline
                  else deadline.title)
        event.add("description", event_description(item))
        event.add("categories", [f"Søknadsrunde {item.round_year}"])
        event.add("transp", "TRANSPARENT")
        event.add("url", link)
        calendar.add_component(event)
    return calendar.to_ical()


# --------------------------------------------------------------------------- the admin's dates


def add_round_date(round_: Round, day: date, title: str, *, description: str = "",
                   roles: Sequence[Role], region: Region | None = None, remind: bool = True,
                   actor: User) -> RoundDate:
    title = " ".join(title.split())
    if not title:
        raise DomainError("Skriv hva datoen gjelder.")
    if not roles:
        raise DomainError("Velg hvem datoen gjelder for.")
    if not date(round_.year - 1, 1, 1) <= day <= date(round_.year + 1, 12, 31):
        raise DomainError(f"Datoen må ligge mellom 1. januar {round_.year - 1} og "
                          f"31. desember {round_.year + 1}.")
    row = RoundDate(round_id=round_.id, day=day, title=title[:200],
                    description=description.strip(), roles=[role.value for role in roles],
                    region=region.value if region else None, remind=remind,
                    created_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record(actor.id, "round_date_added", "round", round_.id, date_id=row.id,
                 day=day.isoformat(), title=row.title)
    db.session.commit()
    return row


def delete_round_date(row: RoundDate, actor: User) -> None:
    audit.record(actor.id, "round_date_deleted", "round", row.round_id, date_id=row.id,
                 day=row.day.isoformat(), title=row.title)
    db.session.delete(row)
    db.session.commit()


