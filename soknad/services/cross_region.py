"""Reading across regions: every RHF coordinator reads the applications on the national list
it is asked to consent to, and the partner region of a multi-regional application reads it
and comments on it in its own region's name (``domain.permissions.can_read_across``).

The facts the policy needs (on the list, the partner's region) come from what was submitted,
never from the live draft: the partner named in the latest submitted version counts.
"""

from __future__ import annotations

from sqlalchemy import select

from soknad.domain import permissions
from soknad.domain.errors import DomainError
from soknad.domain.organisations import Region
from soknad.domain.permissions import ApplicationFacts
from soknad.domain.service_types import ServiceType
from soknad.domain.values import text_of
from soknad.domain.workflow import State
from soknad.extensions import db
from soknad.models import Application, Organisation, PartnerComment, User
from soknad.services import audit, coordination, mail, organisations, users

#: The answer of a multi-regional application that names the health trust in the other region.
PARTNER_FIELD = "partner_hf"
COMMENT_LIMIT = 10_000


def partner_regions(application: Application) -> frozenset[Region]:
    """The region of the partner health trust the latest submitted version names, when it is
    another region than the applicant's; empty for other service types and for drafts."""
    latest = application.latest_submission
    if application.service_type_enum is not ServiceType.MULTIREGIONAL_TREATMENT or latest is None:
        return frozenset()
    name = text_of(latest.data()["answers"].get(PARTNER_FIELD))
    found = organisations.by_name(name) if name else None
    if found is None or found.region_enum is None:
        return frozenset()
    own = application.organisation.region_enum
    return frozenset({found.region_enum}) - {own}


def on_national_list(application: Application) -> bool:
    found = coordination.national_list(application.round)
    return found is not None and application.id in found.entries


def facts(application: Application) -> ApplicationFacts:
    """The owner's facts and the two that reading across regions depends on."""
    plain = application.facts()
    return ApplicationFacts(plain.organisation_id, plain.region, plain.state,
                            on_national_list=on_national_list(application),
                            partner_regions=partner_regions(application))


def readable_or_none(application_id: int, user: User) -> Application | None:
    """The application if ``user`` may read it across regions; None otherwise (deny by
    default: a missing id and a refused one look the same)."""
    application = db.session.get(Application, application_id)
    if application is None or not permissions.can_read_across(user.actor(), facts(application)):
        return None
    return application


def may_comment(application: Application, user: User) -> bool:
    return permissions.can_comment_as_partner(user.actor(), facts(application))


def partner_applications(round_id: int, region: Region) -> list[Application]:
    """The round's submitted multi-regional applications from other regions whose partner
    health trust is in ``region``: the section «Flerregionale søknader der dere er
    samarbeidsregion» of the region's inbox."""
    candidates = db.session.scalars(
        select(Application)
        .join(Organisation, Application.organisation_id == Organisation.id)
        .where(Application.round_id == round_id,
               Application.service_type == ServiceType.MULTIREGIONAL_TREATMENT.value,
               Application.state != State.DRAFT.value,
               Organisation.region != region.value)
        .order_by(Application.id))
    return [item for item in candidates if region in partner_regions(item)]


# --------------------------------------------------------------------------- comments


def comments(application: Application) -> list[PartnerComment]:
    return list(db.session.scalars(select(PartnerComment).where(
        PartnerComment.application_id == application.id).order_by(PartnerComment.id)))


def add_comment(application: Application, text: str, user: User) -> PartnerComment:
    """Store the partner region's comment on the latest submitted version, in the commenter's
    region's name; the owning RHF's coordinators are told by e-mail. Audited."""
    region = user.organisation.region_enum
    latest = application.latest_submission
    if region is None or latest is None or not may_comment(application, user):
        raise DomainError("Bare samarbeidsregionen kan kommentere søknaden, og bare før den "
                          "samlede søknaden er sendt til Helsedirektoratet.")
    text = text.strip()
    if not text:
        raise DomainError("Skriv en kommentar før du lagrer den.")
    if len(text) > COMMENT_LIMIT:
        raise DomainError(f"Kommentaren kan ikke være lengre enn 10 000 tegn (den har "
                          f"{len(text)}).")
    row = PartnerComment(application_id=application.id, submission_number=latest.number,
                         region=region.value, text=text, author_id=user.id)
    db.session.add(row)
    db.session.flush()
    audit.record(user.id, "partner_comment", "application", application.id,
                 region=region.value, number=latest.number, comment=row.id)
    owner = application.organisation.region_enum
    if owner is not None:
        for person in users.coordinators(owner):
            mail.queue(person.email, "partner_comment", application=application,
                       region=region, author=user)
    db.session.commit()
    return row
