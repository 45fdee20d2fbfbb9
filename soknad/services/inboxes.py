"""The two inboxes of applications as searchable, sortable, paged lists, filtered and sorted
in SQL: the RHF coordinator's (the region's submitted applications in the current round) and
Helsedirektoratet's (every application in a sent joint submission, with its case handler).

A list's filters are choices from the sets below; its sort keys are the keys of the
``*_SORTS`` maps, each an SQL expression written here (nothing of the address reaches SQL but
bound values)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import selectinload

from soknad.domain.organisations import Region
from soknad.domain.search import ListQuery
from soknad.domain.service_types import ApplicationKind, ServiceType
from soknad.domain.workflow import VISIBLE_TO_DIRECTORATE, VISIBLE_TO_REGION, State
from soknad.extensions import db
from soknad.models import Application, NationalList, Organisation, Round, Submission, User
from soknad.models.directorate import InformationRequest, JointSubmission
from soknad.services.listing import Page, page_of, sort_key, words_match

MINE, NOBODY = "mine", "ingen"  # the case handler filter's two words

_STATE_ORDER = case({state.value: number for number, state in enumerate(State)},
                    value=Application.state)


@dataclass(frozen=True)
class Row:
    """One application in an inbox, with what its columns show besides the application."""

    application: Application
    sent_at: datetime | None  # to the RHF (its latest version) or to Helsedirektoratet
    answer_due: date | None  # the open question's due date


def _sent_to_region() -> Any:
    return (select(Submission.application_id, func.max(Submission.submitted_at).label("at"))
            .group_by(Submission.application_id).subquery())


def _open_question() -> Any:
    return (select(InformationRequest.application_id,
                   func.min(InformationRequest.due_date).label("due"))
            .where(InformationRequest.answered_at.is_(None))
            .group_by(InformationRequest.application_id).subquery())


def _text(query: ListQuery) -> list[ColumnElement[bool]]:
    """Every word in the title or the health trust's name; a number is also a «søknad nr.»."""
    conditions = []
    for word, condition in zip(query.text.split(), words_match(
            query.text, [Application.title, Organisation.name]), strict=True):
        number = word.removeprefix("nr.").removeprefix("#")
        conditions.append(or_(condition, Application.id == int(number))
                          if number.isdigit() and len(number) < 10 else condition)
    return conditions


def _common_filters(statement: Select[Any], query: ListQuery) -> Select[Any]:
    statement = statement.where(*_text(query))
    if query.get("status"):
        statement = statement.where(Application.state == query.get("status"))
    if query.get("type"):
        statement = statement.where(Application.service_type == query.get("type"))
    if query.get("gjelder"):
        statement = statement.where(Application.kind == query.get("gjelder"))
    return statement


def _ordered(statement: Select[Any], sorts: dict[str, ColumnElement[Any]],
             query: ListQuery) -> Select[Any]:
    key = sorts[query.sort]
    first = key.desc() if query.descending else key.asc()
    # Rows without the value (no question open) come last either way; then by title and nr.
    return statement.order_by(key.is_(None), first, sort_key(Application.title), Application.id)


# --------------------------------------------------------------------------- the RHF's inbox

REGION_STATES = [state for state in State if state in VISIBLE_TO_REGION]


def region_filters(region: Region) -> dict[str, set[str]]:
    return {
        "status": {state.value for state in REGION_STATES},
        "helseforetak": {str(item.id) for item in region_trusts(region)},
        "type": {item.value for item in ServiceType},
        "gjelder": {item.value for item in ApplicationKind},
    }


def region_trusts(region: Region) -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).where(
        Organisation.region == region.value, Organisation.kind == "hf")
        .order_by(sort_key(Organisation.name))))


REGION_SORT_KEYS = ("tittel", "sendt", "status", "frist")


def region_inbox(round_: Round, region: Region, query: ListQuery) -> Page[Row]:
    """The region's submitted applications (never drafts) that match ``query``."""
    sent, due = _sent_to_region(), _open_question()
    sorts: dict[str, ColumnElement[Any]] = {
        "tittel": sort_key(Application.title), "sendt": sent.c.at, "status": _STATE_ORDER,
        "frist": due.c.due}
    base = (select(Application, sent.c.at, due.c.due)
            .join(Organisation, Application.organisation_id == Organisation.id)
            .outerjoin(sent, sent.c.application_id == Application.id)
            .outerjoin(due, due.c.application_id == Application.id)
            .where(Application.round_id == round_.id, Organisation.region == region.value,
                   Application.state.in_([state.value for state in REGION_STATES])))
    of = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    statement = _common_filters(base, query)
    if query.get("helseforetak"):
        statement = statement.where(Application.organisation_id == int(query.get("helseforetak")))
    statement = statement.options(selectinload(Application.submissions))  # the version column
    found = page_of(_ordered(statement, sorts, query), query.page, of=of, scalars=False)
    return Page(rows=[Row(*row) for row in found.rows], total=found.total, number=found.number,
                pages=found.pages, of=found.of)


# --------------------------------------------------------------------------- Helsedirektoratet's

DIRECTORATE_STATES = [state for state in State if state in VISIBLE_TO_DIRECTORATE]
DIRECTORATE_SORT_KEYS = ("tittel", "mottatt", "status", "frist", "saksbehandler")


def directorate_filters(handlers: list[User]) -> dict[str, set[str]]:
    years = db.session.scalars(select(Round.year).join(
        NationalList, NationalList.round_id == Round.id).join(
        JointSubmission, JointSubmission.national_list_id == NationalList.id))
    return {
        "runde": {str(year) for year in years},
        "status": {state.value for state in DIRECTORATE_STATES},
        "region": {item.value for item in Region},
        "type": {item.value for item in ServiceType},
        "gjelder": {item.value for item in ApplicationKind},
        "saksbehandler": {MINE, NOBODY} | {str(person.id) for person in handlers},
    }


def directorate_inbox(query: ListQuery, user: User) -> Page[Row]:
    """Every application in a sent joint submission that matches ``query``; «mine» in the
    case handler filter means ``user``'s."""
    due = _open_question()
    handler = select(User.id, User.name).subquery()
    sorts: dict[str, ColumnElement[Any]] = {
        "tittel": sort_key(Application.title), "mottatt": JointSubmission.sent_at,
        "status": _STATE_ORDER, "frist": due.c.due, "saksbehandler": sort_key(handler.c.name)}
    base = (select(Application, JointSubmission.sent_at, due.c.due)
            .join(Organisation, Application.organisation_id == Organisation.id)
            .join(Round, Application.round_id == Round.id)
            .join(NationalList, NationalList.round_id == Round.id)
            .join(JointSubmission, JointSubmission.national_list_id == NationalList.id)
            .outerjoin(due, due.c.application_id == Application.id)
            .outerjoin(handler, handler.c.id == Application.case_handler_id)
            .where(Application.state.in_([state.value for state in DIRECTORATE_STATES])))
    of = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    statement = _common_filters(base, query)
    if query.get("runde"):
        statement = statement.where(Round.year == int(query.get("runde")))
    if query.get("region"):
        statement = statement.where(Organisation.region == query.get("region"))
    chosen = query.get("saksbehandler")
    if chosen == NOBODY:
        statement = statement.where(Application.case_handler_id.is_(None))
    elif chosen:
        statement = statement.where(Application.case_handler_id == (
            user.id if chosen == MINE else int(chosen)))
    statement = statement.options(selectinload(Application.case_handler))
    found = page_of(_ordered(statement, sorts, query), query.page, of=of, scalars=False)
    return Page(rows=[Row(*row) for row in found.rows], total=found.total, number=found.number,
                pages=found.pages, of=found.of)

