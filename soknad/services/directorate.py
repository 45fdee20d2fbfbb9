"""Helsedirektoratet's work on a sent joint submission: questions to the RHFs, their answers,
and the decisions (approve, reject, postpone) with the dates that follow. An approval enters
the service in the registry of national services."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import docx
from sqlalchemy import select

from soknad import clock
from soknad.domain import decisions as rules
from soknad.domain import lifecycle as life
from soknad.domain.decisions import DecisionKind
from soknad.domain.errors import DomainError
from soknad.domain.lifecycle import EventKind
from soknad.domain.registry import service_key
from soknad.domain.service_types import ApplicationKind
from soknad.domain.values import text_of
from soknad.domain.workflow import Action, State
from soknad.extensions import db
from soknad.models import Application, NationalService, Organisation, User
from soknad.models.directorate import Decision, InformationRequest
from soknad.models.types import utcnow
from soknad.services import advisory, applications, coordination, joint, lifecycle, mail, users

ACTIONS = {DecisionKind.APPROVED: Action.APPROVE, DecisionKind.REJECTED: Action.REJECT,
           DecisionKind.POSTPONED: Action.POSTPONE}


# --------------------------------------------------------------------------- questions


def requests_for(application: Application) -> list[InformationRequest]:
    return list(db.session.scalars(select(InformationRequest).where(
        InformationRequest.application_id == application.id).order_by(InformationRequest.id)))


def open_request(application: Application) -> InformationRequest | None:
    return next((item for item in requests_for(application) if item.answered_at is None), None)


def ask(application: Application, question: str, due: date | None, user: User) -> None:
    """Ask the application's RHF (and through it the health trust) for more information."""
    question = question.strip()
    if not question:
        raise DomainError("Skriv spørsmålet til det regionale helseforetaket.")
    if due is None:
        raise DomainError("Skriv en gyldig svarfrist, for eksempel 2027-10-01.")
    if due < clock.today():
        raise DomainError("Svarfristen kan ikke være en dag som har vært.")
    applications.change_state(application, Action.REQUEST_INFORMATION, user, question)
    db.session.add(InformationRequest(application_id=application.id, question=question,
                                      due_date=due, asked_by_id=user.id))
    region = application.organisation.region_enum
    assert region is not None
    for coordinator in users.coordinators(region):
        mail.queue(coordinator.email, "information_requested", application=application,
                   question=question, due=due, person=coordinator)
    db.session.commit()


def answer(application: Application, text: str, user: User) -> None:
    """The RHF or the health trust answers the open question; the answer joins the
    application's history and the application goes back to Helsedirektoratet."""
    found = open_request(application)
    text = text.strip()
    if found is None:
        raise DomainError("Helsedirektoratet har ikke noe ubesvart spørsmål om søknaden.")
    if not text:
        raise DomainError("Skriv et svar før du sender det.")
    applications.change_state(application, Action.ANSWER_INFORMATION, user)
    found.answer, found.answered_by_id, found.answered_at = text, user.id, utcnow()
    for person in users.directorate_users():
        mail.queue(person.email, "information_answered", application=application,
                   request=found, answered_by=user, person=person)
    db.session.commit()


# --------------------------------------------------------------------------- decisions


def decisions_for(application: Application) -> list[Decision]:
    return list(db.session.scalars(select(Decision).where(
        Decision.application_id == application.id).order_by(Decision.id)))


@dataclass(frozen=True)
class Proposal:
    """A decision as typed, before it is confirmed (nothing is stored)."""

    kind: DecisionKind
    reasons: str
    function: str | None
    people: rules.LetterPeople
    #: A termination: the day Helsedirektoratet chose (None: the earliest, ``lifecycle``).
    terminated_from: date | None = None


def people_for(user: User, phone: str, signatory_name: str, signatory_title: str
               ) -> rules.LetterPeople:
    """The letter's people: the deciding case handler is the contact person."""
    return rules.LetterPeople(user.name, user.email, phone, signatory_name,
                              signatory_title).cleaned()


def last_signatory() -> tuple[str, str]:
    """The signatory of the latest decision with one, to fill in the next (name, title)."""
    row = db.session.execute(
        select(Decision.signatory_name, Decision.signatory_title)
        .where(Decision.signatory_name != "").order_by(Decision.id.desc()).limit(1)).first()
    return (row[0], row[1]) if row else ("", "")


def check(application: Application, proposal: Proposal) -> dict[str, str]:
    """What must be fixed before the decision can be confirmed, by form field."""
    problems = {}
    try:
        _check_outcome(application, proposal.kind, proposal.reasons, proposal.function)
    except DomainError as error:
        problems["vedtak"] = str(error)
    if proposal.kind is DecisionKind.APPROVED and (
            application.kind_enum is ApplicationKind.TERMINATION):
        try:
            termination_day(application, proposal.terminated_from)
        except DomainError as error:
            problems["avvikles_fra"] = str(error)
    problems |= advisory.problems(application, proposal.kind, proposal.reasons)
    return problems | rules.check_letter_people(proposal.people)


def _check_outcome(application: Application, kind: DecisionKind, reasons: str,
                   function: str | None) -> None:
    """The decision's own checks, by the application's kind: the function only for a new
    competence service; a change or termination needs its service in the registry."""
    rules.check_decision(kind, reasons,
                         competence=life.needs_function(application.kind_enum,
                                                        application.service_type_enum),
                         function=function, application_kind=application.kind_enum)
    if kind is DecisionKind.APPROVED and application.kind_enum is not (
            ApplicationKind.ESTABLISHMENT):
        target = lifecycle.target_service(application)
        if target is None:
            raise DomainError("Fant ikke tjenesten søknaden gjelder i registeret over "
                              "nasjonale tjenester, så den kan ikke godkjennes. Be "
                              "helseforetaket velge den godkjente tjenesten.")
        if target.status is life.ServiceStatus.TERMINATED:
            raise DomainError(f"«{target.name_nb}» er allerede avviklet.")


def termination_day(application: Application, chosen: date | None) -> date:
    return life.termination_day(application.round.year, chosen,
                                after_postponement=application.state_enum is State.POSTPONED)


def _decision_row(application: Application, proposal: Proposal, user: User) -> Decision:
    kind = proposal.kind
    after_postponement = application.state_enum is State.POSTPONED
    ends = None
    if kind is DecisionKind.APPROVED and application.kind_enum is ApplicationKind.TERMINATION:
        ends = termination_day(application, proposal.terminated_from)
    dates = outcome_dates(application, proposal.kind, proposal.function, ends)
    people = proposal.people
    return Decision(application_id=application.id, kind=kind.value, decided_on=clock.today(),
                    reasons=proposal.reasons.strip(), terminated_from=dates.terminated_from,
                    function=proposal.function if kind is DecisionKind.APPROVED else None,
                    after_postponement=after_postponement,
                    effective_from=dates.effective_from, establish_by=dates.establish_by,
                    term_years=dates.term_years, term_ends=dates.term_ends,
                    final_decision_by=dates.final_decision_by, decided_by_id=user.id,
                    contact_name=people.contact_name, contact_email=people.contact_email,
                    contact_phone=people.contact_phone, signatory_name=people.signatory_name,
                    signatory_title=people.signatory_title)


def outcome_dates(application: Application, kind: DecisionKind, function: str | None,
                  terminated_from: date | None = None) -> rules.DecisionDates:
    """The dates of a decision on this application, by its kind (``domain.decisions``)."""
    return rules.decision_dates(
        kind, application.round.year,
        after_postponement=application.state_enum is State.POSTPONED, function=function,
        application_kind=application.kind_enum, terminated_from=terminated_from)


def preview(application: Application, proposal: Proposal, user: User) -> list[str]:
    """The decision letter's text as it will be sent, paragraph by paragraph, rendered from
    the template in use; nothing is stored."""
    letter = joint.decision_document(application, _decision_row(application, proposal, user))
    document = docx.Document(io.BytesIO(letter))
    return [paragraph.text for paragraph in document.paragraphs if paragraph.text.strip()]


def decide(application: Application, kind: DecisionKind, reasons: str, function: str | None,
           user: User, *, people: rules.LetterPeople | None = None,
           terminated_from: date | None = None) -> Decision:
    """Record Helsedirektoratet's decision with its dates (``domain.decisions``) and the
    letter's contact person and signatory; an approval changes the registry by the
    application's kind (``enter_registry``)."""
    function = function or None
    _check_outcome(application, kind, reasons, function)
    advisory.check_decision(application, kind, reasons)  # Rådgivingsgruppen first
    if people is None:  # demo data and older callers: the case handler as contact only
        people = rules.LetterPeople(user.name, user.email)
    elif problems := rules.check_letter_people(people):
        raise DomainError(next(iter(problems.values())))
    row = _decision_row(application, Proposal(kind, reasons, function, people,
                                              terminated_from), user)
    applications.change_state(application, ACTIONS[kind], user, reasons.strip())
    db.session.add(row)
    advisory.rest_on(application, row)  # the recommendation it rests on
    if kind is DecisionKind.APPROVED:
        db.session.flush()
        enter_registry(application, row)
    _tell_about_decision(application, row)
    db.session.commit()
    return row


def enter_registry(application: Application, decision: Decision) -> NationalService:
    """The approval's effect on the registry, by the application's kind: a new service joins
    it with its dates; a change of content, a change of name or a termination changes the one
    service it is about (``services.lifecycle.apply_change``)."""
    if application.kind_enum is not ApplicationKind.ESTABLISHMENT:
        return lifecycle.apply_change(application, decision)
    latest = application.latest_submission
    answers = latest.data()["answers"] if latest else application.answers()
    region = application.organisation.region_enum
    assert region is not None
    regions = [region.value]
    partner = text_of(answers.get("partner_hf"))
    if partner:
        found = db.session.scalar(select(Organisation).where(Organisation.name == partner))
        if found is not None and found.region and found.region not in regions:
            regions.append(found.region)
    name = text_of(answers.get("navn_nb")) or application.display_title
    key = service_key(application.service_type_enum, name)
    row = db.session.scalar(select(NationalService).where(NationalService.key == key))
    if row is None:
        row = NationalService(key=key, source="vedtak")
        db.session.add(row)
    codes = [code for code in answers.get("icd10", []) if isinstance(code, str)]
    row.service_type = application.service_type
    row.regions = regions
    row.name_nb = name
    row.name_en = text_of(answers.get("navn_en"))
    row.location = application.organisation.name
    row.description = text_of(answers.get("beskrivelse"))
    row.icd10_text = "; ".join(codes)
    row.icd10_codes, row.icd10_unparsed, row.icd10_notes = codes, [], []
    row.approved_from = decision.decided_on
    row.effective_from = decision.effective_from
    row.establish_by = decision.establish_by
    row.term_ends = decision.term_ends
    row.function = decision.function
    row.application_id = application.id
    row.status, row.terminated_from = life.ServiceStatus.ACTIVE, None
    row.updated_at = utcnow()
    db.session.flush()
    summary = (f"Godkjent som {row.service_type_enum.label.lower()} i søknadsrunden "
               f"{application.round.year}.")
    lifecycle.record_event(row, decision.effective_from or decision.decided_on,
                           EventKind.ESTABLISHED, summary,
                           application_id=application.id, decision_id=decision.id)
    return row


def _tell_about_decision(application: Application, decision: Decision) -> None:
    """The health trust's people and the region's coordinators get the decision."""
    region = application.organisation.region_enum
    assert region is not None
    people = {person.id: person for person in coordination.applicant_people(application)}
    people.update((person.id, person) for person in users.coordinators(region))
    for person in people.values():
        mail.queue(person.email, "decision", application=application, decision=decision,
                   person=person, no_appeal=rules.NO_APPEAL)
