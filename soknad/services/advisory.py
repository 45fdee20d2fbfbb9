"""Rådgivingsgruppen's recommendations as Helsedirektoratet records them, and the check that
``services.directorate.decide`` makes before a decision (``soknad.domain.advisory``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from soknad import clock
from soknad.domain import advisory as rules
from soknad.domain.decisions import DecisionKind
from soknad.domain.errors import DomainError
from soknad.domain.workflow import State
from soknad.extensions import db
from soknad.models import Application, User
from soknad.models.advisory import AdvisoryRecommendation
from soknad.models.directorate import Decision
from soknad.services import audit, joint

#: The states in which Helsedirektoratet records a recommendation: those awaiting a decision.
OPEN_STATES = frozenset({State.SENT_TO_DIRECTORATE, State.INFORMATION_REQUESTED,
                         State.POSTPONED})


class RecommendationRefused(DomainError):  # noqa: N818 - reads as what happened
    """The recommendation as typed cannot be recorded; ``problems`` by form field."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(next(iter(problems.values())))
        self.problems = problems


def recommendations_for(application: Application) -> list[AdvisoryRecommendation]:
    return list(db.session.scalars(select(AdvisoryRecommendation).where(
        AdvisoryRecommendation.application_id == application.id)
        .order_by(AdvisoryRecommendation.recorded_at, AdvisoryRecommendation.id)))


def current(application: Application) -> AdvisoryRecommendation | None:
    """The recommendation the next decision rests on (``domain.advisory.current``)."""
    rows = recommendations_for(application)
    found = rules.current([row.recorded() for row in rows])
    return next(row for row in rows if row.recorded() == found) if found else None


def may_record(application: Application) -> bool:
    return application.state_enum in OPEN_STATES


def _sent_on(application: Application) -> date | None:
    sent = joint.sent_for(application.round)
    return sent.sent_at.astimezone(clock.OSLO).date() if sent else None


def record(application: Application, recommendation: str, meeting_date: date | None,
           justification: str, user: User) -> AdvisoryRecommendation:
    """Record the group's recommendation (audited). Refused with problems by form field."""
    if not may_record(application):
        raise RecommendationRefused({"anbefaling": "Søknaden venter ikke på vedtak, så "
                                                   "anbefalingen kan ikke registreres."})
    problems = rules.check_input(recommendation, meeting_date, justification,
                                 today=clock.today(), submitted_on=_sent_on(application))
    if problems:
        raise RecommendationRefused(problems)
    assert meeting_date is not None
    row = AdvisoryRecommendation(application_id=application.id, recommendation=recommendation,
                                 meeting_date=meeting_date, justification=justification.strip(),
                                 recorded_by_id=user.id)
    db.session.add(row)
    db.session.flush()
    audit.record(user.id, "advisory_recommendation", "application", application.id,
                 recommendation=recommendation, meeting_date=meeting_date.isoformat())
    db.session.commit()
    return row


def check_decision(application: Application, kind: DecisionKind, reasons: str) -> None:
    """Refuse a decision without the recommendation it needs, or one that differs from it
    without reasons (the hook ``services.directorate`` calls)."""
    found = current(application)
    rules.check_decision(kind, application.kind_enum, reasons,
                         found.recorded() if found else None,
                         after_postponement=application.state_enum is State.POSTPONED)


def rest_on(application: Application, decision: Decision) -> None:
    """The decision uses up the current recommendation (in the decision's transaction)."""
    found = current(application)
    if found is not None:
        db.session.flush()  # the decision's id
        found.decision_id = decision.id


def problems(application: Application, kind: DecisionKind, reasons: str) -> dict[str, str]:
    """The same check by form field: ``anbefaling`` when none is recorded, ``begrunnelse``
    when the decision differs without reasons."""
    try:
        check_decision(application, kind, reasons)
    except DomainError as error:
        if current(application) is None:
            return {"anbefaling": str(error)}
        if kind is DecisionKind.APPROVED:  # a rejection's or postponement's reasons are
            return {"begrunnelse": str(error)}  # asked for by the decision's own rule
    return {}


def rested_on(decision: Decision) -> AdvisoryRecommendation | None:
    """The recommendation ``decision`` rested on, if any."""
    return db.session.scalar(select(AdvisoryRecommendation).where(
        AdvisoryRecommendation.decision_id == decision.id))


def sentence(row: AdvisoryRecommendation | None) -> str:
    """«Rådgivingsgruppen anbefalte godkjenning (møte 12. november 2027)», or empty."""
    return rules.sentence(row.recommendation_enum, row.meeting_date) if row else ""
