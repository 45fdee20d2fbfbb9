"""The registry service an application is about, and what an approved change or termination
does to it (``domain.lifecycle``). The caller commits."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from soknad.domain import lifecycle
from soknad.domain.errors import DomainError
from soknad.domain.lifecycle import EventKind, ServiceFacts
from soknad.domain.service_types import ApplicationKind
from soknad.domain.values import text_of
from soknad.extensions import db
from soknad.models import Application, NationalService, NationalServiceEvent
from soknad.models.directorate import Decision
from soknad.models.types import utcnow

#: The answer that names the registry service a change, rename or termination is about: in
#: form version 2 its registry key (``NationalService.key``), in version 1 its name as typed.
TARGET_FIELD = "gjeldende_tjeneste"


def answers_of(application: Application) -> dict[str, Any]:
    """The answers as submitted (the draft's when nothing is submitted yet)."""
    latest = application.latest_submission
    return latest.data()["answers"] if latest else application.answers()


def target_service(application: Application) -> NationalService | None:
    """The registry service the application is about: by registry key, else by the exact
    Norwegian name (form version 1 asked for the name as free text); None for an
    establishment or when nothing matches."""
    if application.kind_enum is ApplicationKind.ESTABLISHMENT:
        return None
    wanted = text_of(answers_of(application).get(TARGET_FIELD)).strip()
    if not wanted:
        return None
    found = db.session.scalar(select(NationalService).where(NationalService.key == wanted))
    if found is None:
        found = db.session.scalars(select(NationalService).where(
            NationalService.name_nb == wanted).order_by(NationalService.id)).first()
    return found


def record_event(service: NationalService, day: date, kind: EventKind, summary: str, *,
                 application_id: int | None = None, decision_id: int | None = None
                 ) -> NationalServiceEvent:
    event = NationalServiceEvent(service_id=service.id, day=day, kind=kind, summary=summary,
                                 application_id=application_id, decision_id=decision_id)
    db.session.add(event)
    return event


def history(service: NationalService) -> list[NationalServiceEvent]:
    return list(db.session.scalars(select(NationalServiceEvent).where(
        NationalServiceEvent.service_id == service.id).order_by(
        NationalServiceEvent.day, NationalServiceEvent.id)))


def apply_change(application: Application, decision: Decision) -> NationalService:
    """An approved change of content, change of name or termination changes the one service
    it is about: nothing else in the registry, and no function, term or «etablert innen»."""
    service = target_service(application)
    if service is None:
        raise DomainError("Fant ikke tjenesten søknaden gjelder i registeret over nasjonale "
                          "tjenester. Be helseforetaket velge den godkjente tjenesten.")
    answers = answers_of(application)
    change = lifecycle.change_for(
        application.kind_enum,
        ServiceFacts(service.name_nb, service.description, tuple(service.former_names or ()),
                     service.status),
        new_name=text_of(answers.get("navn_nb")),
        new_description=text_of(answers.get("beskrivelse")),
        terminated_from=decision.terminated_from)
    service.name_nb, service.description = change.name, change.description
    service.former_names = list(change.former_names)
    service.status, service.terminated_from = change.status, change.terminated_from
    service.updated_at = utcnow()
    db.session.flush()
    record_event(service, decision.effective_from or decision.decided_on, change.event,
                 change.summary, application_id=application.id, decision_id=decision.id)
    return service


def letter_fields(application: Application, decision: Decision) -> dict[str, Any]:
    """What the decision letter says about the application's kind (``DecisionLetterData``):
    the service a change or termination is about, its new name or description, and the day
    a termination takes effect."""
    kind = application.kind_enum
    fields: dict[str, Any] = {"outcome": kind.value, "terminated_from": decision.terminated_from}
    if kind is ApplicationKind.ESTABLISHMENT:
        return fields
    service = target_service(application)
    answers = answers_of(application)
    new_name = text_of(answers.get("navn_nb")).strip()
    name = service.name_nb if service else text_of(answers.get(TARGET_FIELD))
    if (kind is ApplicationKind.CHANGE_OF_NAME and service is not None
            and service.name_nb == new_name and service.former_names):
        name = service.former_names[-1]  # the letter of a change already recorded
    fields["service_name"] = name
    if kind is ApplicationKind.CHANGE_OF_NAME:
        fields["new_name"] = new_name
    if kind is ApplicationKind.CHANGE_OF_CONTENT:
        fields["new_description"] = text_of(answers.get("beskrivelse"))
    return fields
