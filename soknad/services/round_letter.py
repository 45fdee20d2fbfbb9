"""The round's overall feedback letter on 1 December (``documents.round_letter``), made from
what the database holds: the locked national list in its order, each application's latest
decision and Rådgivingsgruppen's recommendation it rested on."""

from __future__ import annotations

from soknad import clock
from soknad.documents import TemplateKind
from soknad.documents.render import round_letter_docx
from soknad.documents.round_letter import RoundLetterData, RoundOutcome
from soknad.domain import advisory as advisory_rules
from soknad.domain.decisions import DecisionKind
from soknad.domain.organisations import Region
from soknad.models import Application, Round, User
from soknad.services import advisory, coordination, directorate, documents


def outcome(application: Application, rank: int) -> RoundOutcome:
    region = application.organisation.region_enum
    decisions = directorate.decisions_for(application)
    latest = decisions[-1] if decisions else None
    advice = advisory.rested_on(latest) if latest else advisory.current(application)
    return RoundOutcome(
        rank=rank, name=application.display_title,
        service_type=application.service_type_enum.label, kind=application.kind_enum.label,
        region=region.label if region else "", health_trust=application.organisation.name,
        decision=DecisionKind(latest.kind) if latest else None,
        decided_on=latest.decided_on if latest else None,
        final_decision_by=latest.final_decision_by if latest else None,
        recommendation=advisory_rules.sentence(advice.recommendation_enum, advice.meeting_date)
        if advice else "")


def letter_data(round_: Round, user: User) -> RoundLetterData:
    found = coordination.national_list(round_)
    listed = coordination.listed_applications(found) if found else []
    name, title = directorate.last_signatory()
    return RoundLetterData(
        round_year=round_.year, letter_date=clock.today(),
        entries=[outcome(item, rank) for rank, item in enumerate(listed, start=1)],
        regions=[region.label for region in Region],
        contact_name=user.name, contact_email=user.email,
        signatory_name=name, signatory_title=title)


def letter(round_: Round, user: User) -> bytes:
    return round_letter_docx(letter_data(round_, user),
                             documents.template_path(TemplateKind.ROUND_LETTER))


def filename(round_: Round) -> str:
    return f"samlet-tilbakemelding-{round_.year}.docx"
