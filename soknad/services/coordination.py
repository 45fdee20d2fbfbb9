"""The RHF coordinators' work: review, return, accept or decline, rank the region's
applications, set the internal deadline, and agree the national list with the other three RHFs.

Every change of an application's state goes through ``applications.change_state`` (the one
state machine). Rankings and the national list carry a version that every change must name,
so two coordinators working at once never overwrite each other silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select, update

from soknad import clock
from soknad.domain import coordination as rules
from soknad.domain import tasks
from soknad.domain.coordination import Decision, Direction, ListError
from soknad.domain.errors import DomainError
from soknad.domain.organisations import OrgKind, Region
from soknad.domain.roles import Role
from soknad.domain.workflow import Action, State
from soknad.extensions import db
from soknad.models import (
    Application,
    AuditEntry,
    Consent,
    NationalList,
    NationalListEvent,
    Organisation,
    RegionRound,
    ReviewComment,
    Round,
    Submission,
    User,
)
from soknad.models.types import utcnow
from soknad.services import applications, audit, mail, organisations, rounds, users

#: States in which an application has been accepted by its RHF and may stand in a ranking.
RANKED_STATES = (State.ACCEPTED, State.IN_JOINT_SUBMISSION, State.SENT_TO_DIRECTORATE,
                 State.INFORMATION_REQUESTED, State.APPROVED, State.REJECTED, State.POSTPONED,
                 State.ESTABLISHED)


class StaleError(DomainError):
    """Someone changed the ranking or the list after this person loaded it."""


# --------------------------------------------------------------------------- region settings


def set_internal_deadline(round_: Round, region: Region, day: date | None, user: User) -> None:
    row = rounds.region_round(round_, region)
    row.internal_deadline = day
    row.updated_at, row.updated_by_id = utcnow(), user.id
    audit.record(user.id, "internal_deadline", "region_round", row.id, region=region.value,
                 deadline=day.isoformat() if day else None)
    db.session.commit()


def grant_extension(application: Application, day: date | None, user: User) -> None:
    """Let one health trust submit after the internal deadline, until the end of ``day``."""
    if day is not None and day < clock.today():
        raise DomainError("Den utsatte fristen kan ikke være en dag som har vært.")
    application.submit_extended_to = day
    audit.record(user.id, "extension", "application", application.id,
                 until=day.isoformat() if day else None)
    if day is not None:
        tell_applicants(application, "extended", until=day)
    db.session.commit()


# --------------------------------------------------------------------------- the inbox


@dataclass(frozen=True)
class DraftProgress:
    """How far one health trust has come with its drafts: counts only, no content."""

    organisation: str
    drafts: int
    returned: int
    average_percent: int | None


def draft_progress(round_: Round, region: Region) -> list[DraftProgress]:
    trusts = db.session.scalars(select(Organisation).where(
        Organisation.kind == OrgKind.HF.value, Organisation.region == region.value,
        Organisation.active.is_(True)).order_by(Organisation.name)).all()
    drafts = db.session.scalars(select(Application).where(
        Application.round_id == round_.id,
        Application.state.in_([State.DRAFT.value, State.RETURNED.value]),
        Application.organisation_id.in_([trust.id for trust in trusts]))).all()
    result = []
    for trust in trusts:
        own = [item for item in drafts if item.organisation_id == trust.id]
        percents = [applications.draft_status(item).percent for item in own]
        result.append(DraftProgress(
            trust.name, sum(item.state_enum is State.DRAFT for item in own),
            sum(item.state_enum is State.RETURNED for item in own),
            round(sum(percents) / len(percents)) if percents else None))
    return result


def region_drafts(round_: Round, region: Region) -> list[Application]:
    """The region's unsubmitted drafts, for granting an extension: the coordinator sees their
    number, health trust and dates only, never their content."""
    return list(db.session.scalars(
        _of_region(round_, region)
        .where(Application.state.in_([State.DRAFT.value, State.RETURNED.value]))
        .order_by(Organisation.name, Application.id)))


def region_application_or_none(application_id: int, region: Region) -> Application | None:
    """Any application of the region, drafts included (for the extension only)."""
    found = db.session.get(Application, application_id)
    if found is None or found.organisation.region != region.value:
        return None
    return found


def titles(round_: Round) -> dict[int, Application]:
    """The round's applications that stand in a ranking, by id."""
    return {item.id: item for item in db.session.scalars(select(Application).where(
        Application.round_id == round_.id,
        Application.state.in_([state.value for state in RANKED_STATES])))}


def _of_region(round_: Round, region: Region) -> Select[tuple[Application]]:
    """The round's applications from the region's health trusts (to narrow further)."""
    return (select(Application)
            .join(Organisation, Application.organisation_id == Organisation.id)
            .where(Application.round_id == round_.id, Organisation.region == region.value))


# --------------------------------------------------------------------------- review


def comments(application: Application, number: int | None = None) -> list[ReviewComment]:
    query = select(ReviewComment).where(ReviewComment.application_id == application.id)
    if number is not None:
        query = query.where(ReviewComment.submission_number == number)
    return list(db.session.scalars(query.order_by(ReviewComment.id)))


def comments_for_applicant(application: Application) -> list[ReviewComment]:
    """The comments the health trust may read: those on versions whose review has ended
    (while the RHF is still reviewing the latest version, its comments are drafts). A draft
    has never been submitted, since no step leads back to it, so it has none."""
    if application.state_enum is State.DRAFT:
        return []
    found = comments(application)
    if not found or application.state_enum is not State.SUBMITTED:
        return found
    latest = db.session.scalar(select(func.max(Submission.number)).where(
        Submission.application_id == application.id))
    return [item for item in found if item.submission_number != latest]


def national_ranks(round_: Round) -> dict[int, int]:
    """Application id → place in the round's national list (empty until there is one)."""
    found = national_list(round_)
    return {item: rank for rank, item in enumerate(found.entries, start=1)} if found else {}


def add_comment(application: Application, section_id: str, text: str, user: User) -> None:
    latest = application.latest_submission
    if application.state_enum is not State.SUBMITTED or latest is None:
        raise DomainError("Du kan bare kommentere en søknad som er til behandling.")
    text = text.strip()
    if not text:
        raise DomainError("Skriv en kommentar før du lagrer den.")
    if len(text) > 10_000:
        raise DomainError("Kommentaren kan ikke være lengre enn 10 000 tegn.")
    spec = applications.spec_of(application)
    if section_id and section_id not in {s.id for s in spec.sections_for(application.kind_enum)}:
        raise DomainError("Ukjent punkt.")
    db.session.add(ReviewComment(application_id=application.id,
                                 submission_number=latest.number, section_id=section_id,
                                 text=text, author_id=user.id))
    audit.record(user.id, "comment", "application", application.id, section=section_id,
                 number=latest.number)
    db.session.commit()


def return_for_revision(application: Application, reason: str, user: User) -> None:
    _end_review(application, Action.RETURN, user, reason, "returned")


def accept_rank(application: Application) -> int:
    """The place an accepted application gets: last in its region's ranking."""
    ranked = regional_ranking(application.round, _region_of(application))
    return max((item.regional_rank or 0 for item in ranked), default=0) + 1


def accept(application: Application, user: User) -> None:
    """Accept for prioritisation: the application goes last in the region's ranking."""
    rank = accept_rank(application)
    rounds.region_round(application.round, _region_of(application)).ranking_version += 1
    _end_review(application, Action.ACCEPT, user, "", "accepted", rank=rank)


def decline(application: Application, reason: str, user: User) -> None:
    _end_review(application, Action.DECLINE, user, reason, "declined")


def _end_review(application: Application, action: Action, user: User, reason: str,
                event: str, *, rank: int | None = None) -> None:
    """Record the coordinator's decision on a submitted application and tell the applicants."""
    applications.change_state(application, action, user, reason.strip())
    application.regional_rank = rank
    tell_applicants(application, event, reason=reason.strip(), by=user)
    db.session.commit()


def history(application: Application) -> list[tuple[AuditEntry, User | None]]:
    """(audit entry, actor) for the application's decisions, oldest first."""
    rows = db.session.execute(
        select(AuditEntry, User).outerjoin(User, AuditEntry.actor_id == User.id)
        .where(AuditEntry.object_type == "application", AuditEntry.object_id == application.id,
               AuditEntry.action.in_(["submission", *(action.value for action in Action),
                                      "extension", "regional_rank"]))
        .order_by(AuditEntry.id)).all()
    return [(entry, actor) for entry, actor in rows]


# --------------------------------------------------------------------------- regional ranking


def regional_ranking(round_: Round, region: Region) -> list[Application]:
    """The region's accepted applications, best first."""
    return list(db.session.scalars(
        _of_region(round_, region)
        .where(Application.state.in_([state.value for state in RANKED_STATES]))
        .order_by(Application.regional_rank.is_(None), Application.regional_rank,
                  Application.id)))


def move_in_region(round_: Round, region: Region, application_id: int, expected_version: int,
                   user: User, *, direction: Direction | None = None,
                   position: int | None = None) -> None:
    if list_locked(round_):
        raise ListError("Den nasjonale listen er låst, så de regionale prioriteringene kan ikke "
                        "endres lenger.")
    ranked = regional_ranking(round_, region)
    order = rules.move([item.id for item in ranked], application_id, direction=direction,
                       position=position)
    row = rounds.region_round(round_, region)
    bumped = db.session.execute(
        update(RegionRound).where(RegionRound.id == row.id,
                                  RegionRound.ranking_version == expected_version)
        .values(ranking_version=expected_version + 1, updated_at=utcnow(),
                updated_by_id=user.id))
    if bumped.rowcount != 1:
        db.session.rollback()
        raise StaleError("Prioriteringen ble endret av noen andre etter at du åpnet siden. "
                         "Se den nye rekkefølgen og flytt på nytt.")
    by_id = {item.id: item for item in ranked}
    for rank, item_id in enumerate(order, start=1):
        by_id[item_id].regional_rank = rank
    audit.record(user.id, "regional_rank", "application", application_id, region=region.value,
                 order=order, rank=order.index(application_id) + 1)
    db.session.commit()


REASON_LIMIT = 4000


def ranking_reasons(round_: Round) -> dict[Region, str]:
    """Each region's reason for the order of its ranking ("" where none is written)."""
    rows = db.session.scalars(select(RegionRound).where(RegionRound.round_id == round_.id))
    found = {row.region_enum: row.ranking_reason for row in rows}
    return {region: found.get(region, "") for region in Region}


def set_ranking_reason(round_: Round, region: Region, text: str, user: User) -> None:
    """The region's justification of its order, quoted in the joint cover letter."""
    if list_locked(round_):
        raise ListError("Den nasjonale listen er låst, så begrunnelsen kan ikke endres lenger.")
    text = text.strip()
    if len(text) > REASON_LIMIT:
        raise DomainError(f"Begrunnelsen kan ikke være lengre enn {REASON_LIMIT} tegn "
                          f"(den har {len(text)}).")
    row = rounds.region_round(round_, region)
    row.ranking_reason = text
    row.updated_at, row.updated_by_id = utcnow(), user.id
    audit.record(user.id, "ranking_reason", "region_round", row.id, region=region.value)
    db.session.commit()


# --------------------------------------------------------------------------- national list


def national_list(round_: Round) -> NationalList | None:
    return db.session.scalar(select(NationalList).where(NationalList.round_id == round_.id))


def list_locked(round_: Round) -> bool:
    found = national_list(round_)
    return found is not None and found.locked_at is not None


def coordinating_region(round_: Round) -> Region | None:
    return Region(round_.coordinating_region) if round_.coordinating_region else None


def set_coordinating_region(round_: Round, region: Region | None, user: User) -> None:
    if list_locked(round_):
        raise ListError("Den nasjonale listen er låst; koordinerende RHF kan ikke byttes nå.")
    round_.coordinating_region = region.value if region else None
    audit.record(user.id, "coordinating_region", "round", round_.id,
                 region=region.value if region else None)
    db.session.commit()


def may_edit_list(round_: Round, user: User) -> bool:
    return (user.role_enum is Role.COORDINATOR
            and user.organisation.region_enum is not None
            and user.organisation.region_enum == coordinating_region(round_))


def accepted_by_region(round_: Round) -> dict[Region, list[int]]:
    """Each region's accepted applications (not yet in a joint submission), in its ranking."""
    return {region: [item.id for item in regional_ranking(round_, region)
                     if item.state_enum is State.ACCEPTED] for region in Region}


def missing_from_list(round_: Round, found: NationalList) -> tuple[list[int], list[int]]:
    """(accepted applications the list lacks, listed applications no longer accepted)."""
    accepted = [item for ids in accepted_by_region(round_).values() for item in ids]
    return ([item for item in accepted if item not in found.entries],
            [item for item in found.entries if item not in accepted])


def propose(round_: Round, user: User, expected_version: int | None = None) -> NationalList:
    """Create the list from the merge of the four rankings, or start it over from a new merge
    (which clears every consent)."""
    _require_list_editor(round_, user)
    merged = rules.merge_rankings(accepted_by_region(round_))
    if not merged:
        raise ListError("Ingen regioner har godtatt søknader ennå, så det er ingenting å "
                        "prioritere.")
    found = national_list(round_)
    if found is None:
        found = NationalList(round_id=round_.id, entries=merged, version=1,
                             created_by_id=user.id, updated_by_id=user.id)
        db.session.add(found)
        db.session.flush()
        _event(found, user, "propose", "Lagde forslag ved å flette de fire regionale "
               "prioriteringene.", order=merged)
    else:
        _change(found, merged, expected_version, user, action="propose",
                description="Startet listen på nytt fra en ny fletting av de regionale "
                "prioriteringene.")
    audit.record(user.id, "national_list_propose", "national_list", found.id, order=merged)
    ask_for_consent(round_, found, user)
    db.session.commit()
    return found


def move_in_list(round_: Round, application_id: int, expected_version: int, user: User, *,
                 direction: Direction | None = None, position: int | None = None) -> None:
    _require_list_editor(round_, user)
    found = _existing_list(round_)
    before = list(found.entries)
    order = rules.move(before, application_id, direction=direction, position=position)
    if order == before:
        return
    title = _title(application_id)
    _change(found, order, expected_version, user, action="move",
            description=f"Flyttet «{title}» fra plass {before.index(application_id) + 1} til plass "
            f"{order.index(application_id) + 1}.", application_id=application_id)
    db.session.commit()


def refresh_list(round_: Round, expected_version: int, user: User) -> None:
    """Bring the list up to date with what the regions have accepted: keep the order, put
    newly accepted applications last, take out those no longer accepted."""
    _require_list_editor(round_, user)
    found = _existing_list(round_)
    accepted = [item for ids in accepted_by_region(round_).values() for item in ids]
    order = rules.reconcile(found.entries, accepted)
    if order == list(found.entries):
        return
    _change(found, order, expected_version, user, action="refresh",
            description="Oppdaterte listen med søknadene regionene har godtatt.")
    db.session.commit()


TITLE_LIMIT = 200


def answer(round_: Round, user: User, decision: Decision, comment: str,  # noqa: PLR0917
           expected_version: int, title: str | None = None) -> NationalList:
    """One RHF consents to (or dissents from) the current version; when all four have
    consented, the list locks and its applications go into the joint submission. ``title``,
    when given, is the person's title, under the name where the RHF signs the cover letter."""
    region = user.organisation.region_enum
    if user.role_enum is not Role.COORDINATOR or region is None:
        raise ListError("Bare RHF-koordinatorer kan samtykke til listen.")
    found = _existing_list(round_)
    rules.check_answer(decision, comment, locked=found.locked_at is not None)
    if title is not None:
        title = " ".join(title.split())
        if len(title) > TITLE_LIMIT:
            raise DomainError(f"Tittelen kan ikke være lengre enn {TITLE_LIMIT} tegn.")
        user.title = title or None
    if found.version != expected_version:
        raise StaleError(_stale_list_message(found))
    existing = db.session.scalar(select(Consent).where(
        Consent.national_list_id == found.id, Consent.region == region.value,
        Consent.list_version == found.version))
    if existing is not None:
        existing.decision, existing.comment = decision.value, comment.strip()
        existing.user_id, existing.at = user.id, utcnow()
    else:
        db.session.add(Consent(national_list_id=found.id, region=region.value,
                               list_version=found.version, decision=decision.value,
                               comment=comment.strip(), user_id=user.id))
    text = (f"{region.label} samtykket til versjon {found.version}."
            if decision is Decision.CONSENT else
            f"{region.label} samtykket ikke til versjon {found.version}: {comment.strip()}")
    _event(found, user, decision.value, text)
    audit.record(user.id, f"national_list_{decision.value}", "national_list", found.id,
                 version=found.version, region=region.value, comment=comment.strip())
    db.session.flush()
    if consent_status(found).complete:
        _lock(round_, found, user)
    db.session.commit()
    return found


def consent_status(found: NationalList) -> rules.ConsentStatus:
    return rules.consent_status(found.version, [
        rules.Answer(Region(item.region), item.list_version, Decision(item.decision))
        for item in found.consents])


def current_consents(found: NationalList) -> dict[Region, Consent]:
    return {Region(item.region): item for item in found.consents
            if item.list_version == found.version}


def _lock(round_: Round, found: NationalList, user: User) -> None:
    found.locked_at = utcnow()
    _event(found, user, "lock", f"Alle fire RHF-er har samtykket til versjon {found.version}. "
           "Listen er låst, og den samlede søknaden er klar til å sendes til "
           "Helsedirektoratet.")
    audit.record(user.id, "national_list_lock", "national_list", found.id,
                 version=found.version, order=list(found.entries))
    for rank, application in enumerate(listed_applications(found), start=1):
        applications.change_state(application, Action.INCLUDE_IN_JOINT, user)
        tell_applicants(application, "in_joint_submission", rank=rank, total=len(found.entries))


def listed_applications(found: NationalList) -> list[Application]:
    rows = {item.id: item for item in db.session.scalars(
        select(Application).where(Application.id.in_(found.entries)))}
    return [rows[item] for item in found.entries if item in rows]


def _change(found: NationalList, order: Sequence[int], expected_version: int | None,
            user: User, *, action: str, description: str, **data: object) -> None:
    if found.locked_at is not None:
        raise ListError("Listen er låst fordi alle fire RHF-er har samtykket, og kan ikke "
                        "endres.")
    version = found.version if expected_version is None else expected_version
    changed = db.session.execute(
        update(NationalList).where(NationalList.id == found.id,
                                   NationalList.version == version,
                                   NationalList.locked_at.is_(None))
        .values(entries=list(order), version=version + 1, updated_at=utcnow(),
                updated_by_id=user.id).execution_options(synchronize_session=False))
    if changed.rowcount != 1:
        db.session.rollback()
        raise StaleError(_stale_list_message(found))  # rolled back: reads the list as it is
    db.session.refresh(found)
    _event(found, user, action, description + " Alle samtykker er nullstilt.", order=list(order),
           **data)
    audit.record(user.id, f"national_list_{action}", "national_list", found.id,
                 version=found.version, order=list(order), **data)


def _stale_list_message(found: NationalList) -> str:
    return (f"Listen ble endret av {found.updated_by.name} etter at du åpnet den (nå versjon "
            f"{found.version}). Se den nye rekkefølgen før du endrer eller samtykker.")


def _event(found: NationalList, user: User, action: str, description: str,
           **data: object) -> None:
    db.session.add(NationalListEvent(national_list_id=found.id, list_version=found.version,
                                     action=action, description=description, data=data,
                                     user_id=user.id))


def _existing_list(round_: Round) -> NationalList:
    found = national_list(round_)
    if found is None:
        raise ListError("Den nasjonale listen er ikke laget ennå.")
    return found


def _require_list_editor(round_: Round, user: User) -> None:
    region = coordinating_region(round_)
    if region is None:
        raise ListError("Ingen RHF er satt til å koordinere runden ennå. En administrator "
                        "setter det.")
    if not may_edit_list(round_, user):
        raise ListError(f"Bare {region.label} RHF, som koordinerer runden, kan endre listen.")


def _title(application_id: int) -> str:
    found = db.session.get(Application, application_id)
    return found.display_title if found else str(application_id)


def _region_of(application: Application) -> Region:
    region = application.organisation.region_enum
    assert region is not None
    return region


# --------------------------------------------------------------------------- notifications

NOTICES = {
    "returned": "Søknaden er returnert for endring",
    "accepted": "Søknaden er godtatt for prioritering",
    "declined": "Søknaden er avslått av det regionale helseforetaket",
    "in_joint_submission": "Søknaden er med i den samlede søknaden",
    "sent_to_directorate": "Søknaden er sendt til Helsedirektoratet",
    "extended": "Søknaden har fått utsatt frist",
}


def applicant_people(application: Application) -> list[User]:
    """The active people of the health trust who wrote or submitted the application."""
    people = {application.created_by.id: application.created_by}
    people.update((item.submitted_by.id, item.submitted_by) for item in application.submissions)
    return sorted((person for person in people.values() if person.active),
                  key=lambda person: person.email)


def tell_applicants(application: Application, event: str, **context: object) -> None:
    """E-mail the applicant's people about what happened to the application."""
    rhf = organisations.rhf_of(_region_of(application))
    for person in applicant_people(application):
        mail.queue(person.email, f"application_{event}", application=application,
                   person=person, rhf_name=rhf.name if rhf else "", subject=NOTICES[event],
                   **context)


def ask_for_consent(round_: Round, found: NationalList, proposer: User) -> None:
    """E-mail the other regions' coordinators that the proposal needs their consent: once
    per proposal (the dedupe key names the list's version, which every proposal raises)."""
    own = proposer.organisation.region_enum
    for region in Region:
        if region == own:
            continue
        for person in users.coordinators(region):
            mail.queue(person.email, "national_list_consent_needed",
                       dedupe_key=f"consent_needed:{found.id}:{found.version}:{person.id}",
                       round=round_, found=found, proposer=proposer, region=region,
                       person=person, deadline=tasks.joint_deadline(round_.year))
