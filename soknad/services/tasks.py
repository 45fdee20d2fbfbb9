"""The start page's task list for the signed-in user: one query per kind of task, never one
per application. The wording, grouping and order are in ``soknad.domain.tasks``; this module
gathers the rows and says on which page each task is done."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, exists, func, select

from soknad import clock
from soknad.domain import coordination as coordination_rules
from soknad.domain import tasks as rules
from soknad.domain.decisions import DecisionKind
from soknad.domain.organisations import Region
from soknad.domain.roles import Role
from soknad.domain.tasks import Due, Link, Task, TaskKind
from soknad.domain.workflow import State
from soknad.extensions import db
from soknad.models import (
    Application,
    Consent,
    Decision,
    NationalList,
    Organisation,
    OutboxMessage,
    RegionRound,
    Round,
    User,
)
from soknad.models.directorate import InformationRequest, JointSubmission
from soknad.services import report_tasks

#: The administrator's page of the e-mail outbox (its «Feilet» part).
OUTBOX_ENDPOINT = "admin.outbox"


def for_user(user: User, today: date | None = None) -> list[Task]:
    """What ``user`` has to do now, nearest deadline first."""
    today = today or clock.today()
    region = user.organisation.region_enum
    match user.role_enum:
        case Role.APPLICANT:
            found = _applicant(user.organisation_id, region, today)
        case Role.COORDINATOR if region is not None:
            found = _coordinator(region, today)
        case Role.DIRECTORATE:
            found = _directorate(today)
        case Role.ADMIN:
            found = _admin()
        case _:
            found = []
    return rules.ordered(found)


# --------------------------------------------------------------------------- health trust


def _applicant(organisation_id: int, region: Region | None, today: date) -> list[Task]:
    return [*_unsent(organisation_id, region, today),
            *_questions(Application.organisation_id == organisation_id, today,
                        one=lambda item: Link("applicant.overview",
                                              {"application_id": item.item_id}, "sporsmal"),
                        many=lambda item: Link("applicant.dashboard")),
            *report_tasks.for_health_trust(organisation_id, today)]


def _unsent(organisation_id: int, region: Region | None, today: date) -> list[Task]:
    """Drafts and returned applications, each due by its last submit day (one query)."""
    rows = db.session.execute(
        select(Application.id, Application.state, Application.submit_extended_to,
               Round.year, RegionRound.internal_deadline)
        .join(Round, Application.round_id == Round.id)
        .outerjoin(RegionRound, and_(RegionRound.round_id == Application.round_id,
                                     RegionRound.region == (region.value if region else None)))
        .where(Application.organisation_id == organisation_id, Round.is_open.is_(True),
               Application.state.in_([State.DRAFT.value, State.RETURNED.value]))
        .order_by(Application.id)).all()
    by_state: dict[State, list[Due]] = {State.DRAFT: [], State.RETURNED: []}
    for application_id, state, extended_to, year, internal in rows:
        by_state[State(state)].append(Due(
            application_id, coordination_rules.last_submit_day(internal, extended_to), year))
    return [
        *rules.grouped(TaskKind.DRAFT, by_state[State.DRAFT], today,
                       one=lambda item: Link("applicant.overview",
                                             {"application_id": item.item_id}),
                       many=lambda item: Link("applicant.dashboard", anchor="mine-soknader")),
        *rules.grouped(TaskKind.RETURNED, by_state[State.RETURNED], today,
                       one=lambda item: Link("applicant.overview",
                                             {"application_id": item.item_id}, "sendt-tilbake"),
                       many=lambda item: Link("applicant.dashboard", anchor="mine-soknader")),
    ]


def _questions(within: ColumnElement[bool], today: date, *, one: rules.LinkOf,
               many: rules.LinkOf) -> list[Task]:
    """Helsedirektoratet's open questions on applications ``within`` reach (one query)."""
    rows = db.session.execute(
        select(Application.id, InformationRequest.due_date, Round.year)
        .join(InformationRequest, InformationRequest.application_id == Application.id)
        .join(Round, Application.round_id == Round.id)
        .join(Organisation, Application.organisation_id == Organisation.id)
        .where(within, Application.state == State.INFORMATION_REQUESTED.value,
               InformationRequest.answered_at.is_(None))
        .order_by(InformationRequest.due_date, Application.id)).all()
    return rules.grouped(TaskKind.QUESTION, [Due(*row) for row in rows], today, one=one,
                         many=many)


# --------------------------------------------------------------------------- RHF


def _coordinator(region: Region, today: date) -> list[Task]:
    of_region = Organisation.region == region.value
    return [
        *_awaiting_review(of_region, today),
        *_questions(of_region, today,
                    one=lambda item: Link("coordinator.review",
                                          {"application_id": item.item_id}, "sporsmal"),
                    many=lambda item: Link("coordinator.inbox")),
        *_to_propose(region, today),
        *_national_list(region, today),
        *_not_established(region, of_region, today),
        *report_tasks.for_region(region, today),
    ]


def _awaiting_review(of_region: ColumnElement[bool], today: date) -> list[Task]:
    rows = db.session.execute(
        select(Application.id, Round.year)
        .join(Round, Application.round_id == Round.id)
        .join(Organisation, Application.organisation_id == Organisation.id)
        .where(of_region, Round.is_open.is_(True),
               Application.state == State.SUBMITTED.value)
        .order_by(Application.id)).all()
    return rules.grouped(
        TaskKind.REVIEW, [Due(item_id, rules.joint_deadline(year), year)
                          for item_id, year in rows], today,
        one=lambda item: Link("coordinator.review", {"application_id": item.item_id},
                              "behandle"),
        many=lambda item: Link("coordinator.inbox"))


def _to_propose(region: Region, today: date) -> list[Task]:
    """The coordinating RHF's proposal, while there is no list and something is accepted."""
    rows = db.session.execute(
        select(Round.year, func.count(Application.id))
        .join(Application, Application.round_id == Round.id)
        .outerjoin(NationalList, NationalList.round_id == Round.id)
        .where(Round.is_open.is_(True), Round.coordinating_region == region.value,
               NationalList.id.is_(None), Application.state == State.ACCEPTED.value)
        .group_by(Round.year)).all()
    return [Task(TaskKind.PROPOSE, count, Link("coordinator.national_list"),
                 rules.joint_deadline(year), rules.joint_deadline(year) < today)
            for year, count in rows]


def _national_list(region: Region, today: date) -> list[Task]:
    """The list waiting for this region's consent, and the locked list waiting to be sent by
    the coordinating RHF (one query: each open round's list, this region's answer to its
    current version, and whether the joint submission has been sent)."""
    rows = db.session.execute(
        select(Round.year, Round.coordinating_region, NationalList.version,
               NationalList.locked_at, Consent.id, JointSubmission.id)
        .join(NationalList, NationalList.round_id == Round.id)
        .outerjoin(Consent, and_(Consent.national_list_id == NationalList.id,
                                 Consent.region == region.value,
                                 Consent.list_version == NationalList.version))
        .outerjoin(JointSubmission, JointSubmission.national_list_id == NationalList.id)
        .where(Round.is_open.is_(True))).all()
    found = []
    for year, coordinating, version, locked_at, consent_id, sent_id in rows:
        deadline = rules.joint_deadline(year)
        late = deadline < today
        if locked_at is None and consent_id is None:
            found.append(Task(TaskKind.CONSENT, 1,
                              Link("coordinator.national_list", anchor="samtykker"), deadline,
                              late, fixed_text=rules.consent_text(region.label, year, version)))
        if locked_at is not None and sent_id is None and coordinating == region.value:
            found.append(Task(TaskKind.SEND_JOINT, 1,
                              Link("coordinator.national_list", anchor="send"), deadline, late,
                              fixed_text=rules.send_joint_text(year)))
    return found


# --------------------------------------------------------------------------- Helsedirektoratet


def _directorate(today: date) -> list[Task]:
    return [*_awaiting_decision(today), *report_tasks.for_directorate(today)]


def _awaiting_decision(today: date) -> list[Task]:
    """Received applications without a decision, and those among them whose question has been
    answered (one query: the answer is a column of the same rows)."""
    answered = exists().where(InformationRequest.application_id == Application.id,
                              InformationRequest.answered_at.is_not(None))
    postponed_until = (select(func.max(Decision.final_decision_by))
                       .where(Decision.application_id == Application.id)
                       .scalar_subquery())
    rows = db.session.execute(
        select(Application.id, Application.state, Round.year, answered, postponed_until)
        .join(Round, Application.round_id == Round.id)
        .where(Application.state.in_([State.SENT_TO_DIRECTORATE.value,
                                      State.POSTPONED.value]))
        .order_by(Round.year, Application.id)).all()
    waiting, postponed, answers = [], [], []
    for application_id, state, year, has_answer, until in rows:
        if state == State.POSTPONED.value:
            postponed.append(Due(application_id, until, year))
            continue
        waiting.append(Due(application_id, rules.decision_deadline(year), year))
        if has_answer:
            answers.append(Due(application_id, rules.decision_deadline(year), year))

    def joint(item: Due) -> Link:
        return Link("directorate.joint_submission", {"year": item.round_year})

    def decide(item: Due) -> Link:
        return Link("directorate.application", {"application_id": item.item_id}, "nytt-vedtak")

    return [
        *rules.grouped(TaskKind.DECIDE, waiting, today, one=decide, many=joint, by_round=True),
        *rules.grouped(TaskKind.DECIDE_POSTPONED, postponed, today, one=decide, many=joint,
                       by_round=True),
        *rules.grouped(TaskKind.ANSWER_RECEIVED, answers, today,
                       one=lambda item: Link("directorate.application",
                                             {"application_id": item.item_id}, "sporsmal"),
                       many=joint, by_round=True),
    ]


def _not_established(region: Region, of_region: ColumnElement[bool],
                     today: date) -> list[Task]:
    """Approved services of the region not yet recorded as established: the region's RHF
    records it (``permissions.can_record_establishment``) on the service's registry page."""
    rows = db.session.execute(
        select(Application.id, func.max(Decision.establish_by), Round.year)
        .join(Decision, Decision.application_id == Application.id)
        .join(Round, Application.round_id == Round.id)
        .join(Organisation, Application.organisation_id == Organisation.id)
        .where(of_region, Application.state == State.APPROVED.value,
               Decision.kind == DecisionKind.APPROVED.value)
        .group_by(Application.id, Round.year)
        .order_by(Application.id)).all()
    return rules.grouped(
        TaskKind.NOT_ESTABLISHED, [Due(*row) for row in rows], today,
        one=lambda item: Link("registry.for_application", {"application_id": item.item_id}),
        many=lambda item: Link("registry.index", {"region": region.value}),
        by_round=True)


# --------------------------------------------------------------------------- administrator


def _admin() -> list[Task]:
    failed = db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.sent_at.is_(None), OutboxMessage.last_error.is_not(None))) or 0
    found = [Task(TaskKind.FAILED_MAIL, failed, Link(OUTBOX_ENDPOINT, anchor="feilet"))
             ] if failed else []
    years = db.session.scalars(select(Round.year).where(
        Round.is_open.is_(True), Round.coordinating_region.is_(None)).order_by(Round.year))
    found += [Task(TaskKind.NO_COORDINATING_REGION, 1, Link("admin.rounds"),
                   fixed_text=rules.no_coordinating_region_text(year)) for year in years]
    return found
