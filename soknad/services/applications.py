"""Applications: create a draft, save a point, check, submit, change state.

Saving a point is a compare-and-swap on that point's version, done as single UPDATE statements
(no read-then-write window): a stale save is refused with ``ConflictError`` and nothing is
overwritten. Every change of state goes through ``change_state``, which asks
``domain.workflow.transition`` and writes the new state only if nobody changed it meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import String, bindparam, func, select, update

from soknad.domain import answers as answer_rules
from soknad.domain import registry_pick
from soknad.domain.completeness import SectionProgress, percent_complete, progress
from soknad.domain.errors import DomainError, TransitionError
from soknad.domain.exchange import (
    ApplicationDocument,
    AttachmentEntry,
    TargetService,
    canonical_json,
    sha256_hex,
)
from soknad.domain.exchange import (
    Submission as SubmissionInfo,
)
from soknad.domain.findings import Finding, has_blocking
from soknad.domain.formspec import FieldKind, FormSpec
from soknad.domain.limits import over_limits
from soknad.domain.rules import AttachmentRef, RuleContext, check_application
from soknad.domain.service_types import ApplicationKind, ServiceType
from soknad.domain.workflow import EDITABLE, Action, State, transition
from soknad.extensions import db
from soknad.memo import Kept
from soknad.models import Application, ApplicationSection, Attachment, Round, Submission, User
from soknad.models.types import utcnow
from soknad.services import audit, catalogue, forms, mail, organisations, rounds, users


class ConflictError(DomainError):
    """Someone saved the point after this person opened it."""

    def __init__(self, section: ApplicationSection, user: User) -> None:
        who = ("Du har selv lagret dette punktet i en annen fane eller et annet vindu"
               if section.updated_by_id == user.id
               else "Noen andre har lagret endringer i dette punktet")
        super().__init__(
            f"{who} etter at du åpnet det. Teksten din er ikke lagret ennå, men den er ikke "
            "borte: den står i skjemaet. Sammenlign med den lagrede versjonen og lagre på nytt."
        )
        self.section = section


class OverLimitError(DomainError):
    """An answer holds more than can be stored (``domain.limits``); nothing was saved."""

    def __init__(self, problems: Mapping[str, Sequence[str]]) -> None:
        self.problems = {field_id: list(messages) for field_id, messages in problems.items()}
        messages = [message for found in self.problems.values() for message in found]
        super().__init__(
            "Punktet er ikke lagret, fordi noe er for langt: " + " ".join(messages) + " Det du "
            "skrev, står fortsatt i skjemaet. Rett det som er merket, og lagre igjen."
        )


def refuse_over_limits(spec: FormSpec, answers: Mapping[str, Any]) -> None:
    """Raise ``OverLimitError`` if any answer is over its limit (before anything is written)."""
    problems = {field_id: found for field_id, value in answers.items()
                if (found := over_limits(spec.field(field_id), value))}
    if problems:
        raise OverLimitError(problems)


class UnknownServiceError(OverLimitError):
    """A registry pick names no approved service of the form's type; nothing was saved."""

    def __init__(self, problems: Mapping[str, Sequence[str]]) -> None:
        super().__init__(problems)
        messages = [message for found in self.problems.values() for message in found]
        DomainError.__init__(self, "Punktet er ikke lagret: " + " ".join(messages) + " Det du "
                             "skrev ellers, står fortsatt i skjemaet.")


def refuse_unknown_services(spec: FormSpec, answers: Mapping[str, Any]) -> None:
    """Raise ``UnknownServiceError`` if a registry pick is not a service of the form's type."""
    registry = catalogue.current().registry
    problems = {}
    for field_id, value in answers.items():
        spec_field = spec.field(field_id)
        if spec_field.kind is FieldKind.REGISTRY_SERVICE:
            problem = registry_pick.choice_problem(str(value or ""), registry, spec.service_type,
                                                   spec_field.label)
            if problem:
                problems[field_id] = [problem]
    if problems:
        raise UnknownServiceError(problems)


def title_of(spec: FormSpec, answers: Mapping[str, Any]) -> str | None:
    """The application's title from these answers: the (new) Norwegian name where the kind
    asks for one, else the name of the registry service it concerns; None if they hold
    neither."""
    if "navn_nb" in answers:
        return str(answers["navn_nb"])[:300]
    for field_id, value in answers.items():
        if spec.field(field_id).kind is FieldKind.REGISTRY_SERVICE:
            service = registry_pick.service_of(str(value or ""), catalogue.current().registry)
            if service is not None and not _asks_name(spec):
                return service.name_nb[:300]
    return None


def _asks_name(spec: FormSpec) -> bool:
    return any(spec_field.id == "navn_nb" for _, spec_field in spec.fields())


class NotEditableError(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "Søknaden er sendt inn og kan ikke endres. Teksten du skrev, står fortsatt i skjemaet "
            "hvis du vil kopiere den."
        )


class SubmitBlockedError(DomainError):
    def __init__(self, findings: Sequence[Finding]) -> None:
        super().__init__("Søknaden kan ikke sendes inn før alt som må rettes, er rettet.")
        self.findings = list(findings)


def spec_of(application: Application) -> FormSpec:
    """The application's form as its kind sees it (``FormSpec.for_kind``)."""
    return forms.get(application.form_id, application.form_version).for_kind(
        application.kind_enum)


# Built once: these run on every page of an application, and building a statement costs more
# than running it.
_DRAFT_ATTACHMENTS = select(Attachment).where(
    Attachment.application_id == bindparam("application_id"),
    Attachment.removed_at.is_(None)).order_by(Attachment.id)


def draft_attachments(application: Application) -> list[Attachment]:
    return list(db.session.scalars(_DRAFT_ATTACHMENTS, {"application_id": application.id}))


def rule_context(application: Application,
                 attachments: Sequence[Attachment] | None = None) -> RuleContext:
    """What the rules need besides the answers. Pass ``attachments`` when already loaded."""
    if attachments is None:
        attachments = draft_attachments(application)
    known = catalogue.current()
    return RuleContext(
        kind=application.kind_enum,
        round_year=application.round.year,
        applicant_organisation=application.organisation.name,
        applicant_region=application.organisation.region_enum,
        organisations=known.health_trusts,
        attachments=tuple(AttachmentRef(item.field_id, item.display_name)
                          for item in attachments),
        registry=known.registry,
        service_type=application.service_type_enum,
    )


@dataclass(frozen=True)
class DraftStatus:
    """The draft checked against its form: every finding, each point's progress, and the
    version of each point's stored answers that was checked."""

    spec: FormSpec
    findings: tuple[Finding, ...]
    sections: tuple[SectionProgress, ...]
    versions: Mapping[str, int]
    key: tuple[Any, ...] | None  # what the result depends on; None for unsaved answers

    @property
    def percent(self) -> int:
        return percent_complete(self.sections)


# Checking a whole application takes about a millisecond, and every page of it shows the
# result, which depends only on what the key below names: it is kept for the drafts seen last.
_checked: Kept[DraftStatus] = Kept(maxsize=2048)


def _status_key(application: Application) -> tuple[Any, ...]:
    """Everything a draft's findings depend on, cheaply: its answers and attachments stand in
    by the application's revision (every change of them counts it up), the health trusts and
    the registry by the catalogue's fingerprint."""
    return (str(db.engine.url), application.id, application.created_at, application.revision,
            application.form_id, application.form_version, application.kind,
            application.round.year, application.organisation.name,
            application.organisation.region, catalogue.current().fingerprint)


def draft_status(application: Application, *,
                 unsaved: Mapping[str, Any] | None = None) -> DraftStatus:
    """The draft as stored, checked; ``unsaved`` (answers typed but not stored, e.g. after a
    refused save) is checked in place of the stored answers of the fields it names."""
    key = None if unsaved is not None else _status_key(application)

    def check() -> DraftStatus:
        spec, context = spec_of(application), rule_context(application)
        answers = {**application.answers(), **(unsaved or {})}
        findings = check_application(spec, answers, context)
        return DraftStatus(spec, tuple(findings),
                           tuple(progress(spec, answers, findings, context)),
                           MappingProxyType({row.section_id: row.version
                                             for row in application.sections}), key)

    return _checked.get(key, check)


def forget_checked() -> None:
    """Forget every kept result (the benchmark measures pages with nothing kept)."""
    _checked.clear()


def count_change(application: Application) -> None:
    """Count up the revision: the draft's answers or attachments change in this transaction."""
    db.session.execute(update(Application).where(Application.id == application.id)
                       .values(revision=Application.revision + 1))


# --------------------------------------------------------------------------- create


def _current_round() -> Round:
    current = Round.current()
    if current is None:
        raise DomainError("Det er ingen åpen søknadsrunde nå. Kontakt ditt regionale helseforetak.")
    return current


def create_draft(user: User, service_type: ServiceType, kind: ApplicationKind,
                 answers: Mapping[str, Any] | None = None, *,
                 spec: FormSpec | None = None, round_year: int | None = None) -> Application:
    """A new draft for the user's health trust, on the newest form for the service type."""
    spec = (spec or forms.library().latest(service_type)).for_kind(kind)
    if round_year is None:
        application_round = _current_round()
    else:
        application_round = db.session.scalar(select(Round).where(Round.year == round_year))
        if application_round is None:
            raise DomainError(f"Søknadsrunden {round_year} finnes ikke.")
    cleaned, _unknown = answer_rules.normalise(spec, answers or {})
    refuse_over_limits(spec, cleaned)
    values = answer_rules.empty_answers(spec) | cleaned
    application = Application(
        round=application_round, organisation_id=user.organisation_id, created_by_id=user.id,
        updated_by_id=user.id, form_id=spec.id, form_version=spec.version,
        service_type=service_type.value, kind=kind.value, state=State.DRAFT.value,
        title=title_of(spec, cleaned) or str(values.get("navn_nb", ""))[:300],
    )
    db.session.add(application)
    for section in spec.sections:
        data = {f.id: values[f.id] for f in section.fields if f.id in values}
        db.session.add(ApplicationSection(application=application, section_id=section.id,
                                          data=data, updated_by_id=user.id))
    db.session.flush()
    audit.record(user.id, "create", "application", application.id, to_state=State.DRAFT.value,
                 form=spec.key, kind=kind.value)
    db.session.commit()
    return application


# --------------------------------------------------------------------------- save a point


_SECTION = select(ApplicationSection).where(
    ApplicationSection.application_id == bindparam("application_id"),
    ApplicationSection.section_id == bindparam("section_id"))


def section_row(application: Application, section_id: str) -> ApplicationSection:
    """The stored answers of one point (without reading the other points)."""
    row = db.session.scalar(_SECTION, {"application_id": application.id,
                                       "section_id": section_id})
    if row is None:
        raise KeyError(section_id)
    return row


def clean_section_values(spec: FormSpec, section_id: str,
                         raw: Mapping[str, Any]) -> dict[str, Any]:
    """The section's answers from what was posted, cleaned."""
    data: dict[str, Any] = {}
    for spec_field in spec.section(section_id).fields:
        if spec_field.id in raw:
            value = answer_rules.normalise_value(spec_field, raw[spec_field.id])
            if value is not None:
                data[spec_field.id] = value
    return data


@dataclass(frozen=True)
class SavedSection:
    """What a save wrote: the point's answers, their new version and when."""

    section_id: str
    data: dict[str, Any]
    version: int
    updated_at: datetime


# Built once (autosave runs them every few seconds per writer; building costs more than
# running). Core statements on the tables: nothing in the session needs to follow them, as
# the request commits or rolls back right after.
_APPLICATION = Application.__table__
_LOCK_FOR_SAVE = (
    update(_APPLICATION)
    .where(_APPLICATION.c.id == bindparam("draft"),
           _APPLICATION.c.state.in_([state.value for state in EDITABLE]))
    .values(updated_at=bindparam("now"), updated_by_id=bindparam("user_id"),
            revision=_APPLICATION.c.revision + 1,
            title=func.coalesce(bindparam("new_title", type_=String), _APPLICATION.c.title))
)
_SECTION_TABLE = ApplicationSection.__table__
_SWAP_SECTION = (
    update(_SECTION_TABLE)
    .where(_SECTION_TABLE.c.application_id == bindparam("draft"),
           _SECTION_TABLE.c.section_id == bindparam("point"),
           _SECTION_TABLE.c.version == bindparam("expected"))
    .values(data=bindparam("answers"), version=_SECTION_TABLE.c.version + 1,
            updated_at=bindparam("now"), updated_by_id=bindparam("user_id"))
)


def save_section(application: Application, section_id: str, raw: Mapping[str, Any],
                 expected_version: int, user: User) -> SavedSection:
    """Save one point's answers if nobody saved it since ``expected_version``, and commit."""
    saved = write_section(application, section_id, raw, expected_version, user)
    db.session.commit()
    return saved


def write_section(application: Application, section_id: str, raw: Mapping[str, Any],
                  expected_version: int, user: User) -> SavedSection:
    """``save_section`` within the caller's transaction (the caller commits)."""
    spec = spec_of(application)
    data = clean_section_values(spec, section_id, raw)
    refuse_over_limits(spec, data)
    refuse_unknown_services(spec, data)
    now = utcnow()
    # First statement takes the write lock (SQLite) / the row lock (PostgreSQL) and checks that
    # the application is still editable, so a save racing a submit is either in the submitted
    # version or refused.
    locked = db.session.execute(_LOCK_FOR_SAVE, {
        "draft": application.id, "now": now, "user_id": user.id,
        "new_title": title_of(spec, data),
    })
    if locked.rowcount != 1:
        db.session.rollback()
        raise NotEditableError
    stored = {f.id for f in spec.section(section_id).fields if f.kind is not FieldKind.ATTACHMENT}
    if stored <= data.keys():
        merged = data  # the whole point was posted (the form and autosave always post it)
    else:  # a partial save keeps the fields it did not send, as read under the lock
        current = db.session.scalars(
            select(ApplicationSection).where(ApplicationSection.application_id == application.id,
                                             ApplicationSection.section_id == section_id)
            .execution_options(populate_existing=True)
        ).one()
        merged = {**current.data, **data}
    swapped = db.session.execute(_SWAP_SECTION, {
        "draft": application.id, "point": section_id, "expected": expected_version,
        "answers": merged, "now": now, "user_id": user.id,
    })
    if swapped.rowcount != 1:
        db.session.rollback()
        raise ConflictError(section_row(application, section_id), user)
    return SavedSection(section_id, merged, expected_version + 1, now)


# --------------------------------------------------------------------------- state changes


def change_state(application: Application, action: Action, user: User,
                 reason: str = "") -> tuple[State, State]:
    """Move the application through the workflow; the caller commits. Returns (from, to)."""
    current = application.state_enum
    target = transition(current, action, user.role_enum, reason)
    moved = db.session.execute(
        update(Application)
        .where(Application.id == application.id, Application.state == current.value)
        .values(state=target.value, updated_at=utcnow(), updated_by_id=user.id)
    )
    if moved.rowcount != 1:
        db.session.rollback()
        raise TransitionError("Søknaden ble endret av noen andre samtidig. Last siden på nytt.")
    audit.record(user.id, action.value, "application", application.id,
                 from_state=current.value, to_state=target.value,
                 **({"reason": reason} if reason else {}))
    return current, target


def document_for(application: Application, answers: Mapping[str, Any],
                 attachments: Sequence[Attachment],
                 submission: SubmissionInfo | None = None) -> ApplicationDocument:
    region = application.organisation.region_enum
    assert region is not None
    return ApplicationDocument(
        service=target_service(application, answers),
        form_id=application.form_id, form_version=application.form_version,
        kind=application.kind_enum, round_year=application.round.year,
        organisation=application.organisation.name, region=region, answers=dict(answers),
        attachments=tuple(
            AttachmentEntry(field=item.field_id, name=item.display_name, sha256=item.sha256,
                            size=item.size, media_type=item.media_type)
            for item in attachments
        ),
        application_id=application.id, submission=submission,
    )


def target_service(application: Application,
                   answers: Mapping[str, Any]) -> TargetService | None:
    """The registry service a change, rename or termination concerns, for the exchange
    document: from the answer ``gjeldende_tjeneste`` (a registry key from version 2 of the
    forms, a name in version 1)."""
    if application.kind_enum is ApplicationKind.ESTABLISHMENT:
        return None
    key, name, location = registry_pick.target_service(
        str(answers.get("gjeldende_tjeneste") or ""), catalogue.current().registry,
        application.service_type_enum)
    return TargetService(key, name, location) if key or name else None


def submit(application: Application, user: User) -> Submission:
    """Freeze the draft as the next submitted version, if nothing blocks."""
    if application.state_enum is State.SUBMITTED and application.latest_submission:
        return application.latest_submission  # a second click on "Send inn"
    now = utcnow()
    rounds.check_may_submit(application)
    _, target = change_state(application, Action.SUBMIT, user)
    db.session.expire(application)  # read the sections as they are now, under the lock
    attachments = draft_attachments(application)
    answers = application.answers()
    findings = check_application(
        spec_of(application), answers,
        rule_context(application, attachments),
    )
    if has_blocking(findings):
        db.session.rollback()
        raise SubmitBlockedError(findings)
    number = len(application.submissions) + 1
    document = document_for(application, answers, attachments, SubmissionInfo(
        number=number, submitted_at=now.isoformat(timespec="seconds"), submitted_by=user.email,
    ))
    payload = canonical_json(document.to_dict())
    row = Submission(
        application_id=application.id, number=number, document=payload.decode(),
        sha256=sha256_hex(payload), findings=[finding.to_dict() for finding in findings],
        submitted_at=now, submitted_by_id=user.id,
    )
    db.session.add(row)
    audit.record(user.id, "submission", "application", application.id, to_state=target.value,
                 number=number, sha256=row.sha256)
    _tell_about_submission(application, row, user)
    db.session.commit()
    return row


def _tell_about_submission(application: Application, row: Submission, user: User) -> None:
    region = application.organisation.region_enum
    assert region is not None
    rhf = organisations.rhf_of(region)
    rhf_name = rhf.name if rhf else region.label
    context = {"application": application, "submission": row, "submitter": user,
               "rhf_name": rhf_name}
    mail.queue(user.email, "submission_receipt", **context)
    for coordinator in users.coordinators(region):
        mail.queue(coordinator.email, "new_submission", **context)


def applications_of(user: User) -> list[Application]:
    return list(db.session.scalars(
        select(Application).where(Application.organisation_id == user.organisation_id)
        .order_by(Application.updated_at.desc())
    ))
