"""The joint submission: the locked national list as a package (cover letter, each
application's Word document in priority order with its attachments, manifest.json), sent to
Helsedirektoratet with a copy to the ministry. Also the Word documents of one application and
of one decision, made from what the database holds.

The package is built from frozen data (the submitted snapshots, content-addressed files), so
building it twice gives the same bytes; it streams to a file under the instance folder and
is never held in memory whole.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from soknad import clock
from soknad.documents import TemplateKind
from soknad.documents import data as docdata
from soknad.documents.package import (
    MANIFEST,
    PackageAttachment,
    PackageError,
    PackageItem,
    Progress,
    RoundInfo,
    build_package,
)
from soknad.documents.render import application_docx, cover_letter_docx, decision_letter_docx
from soknad.domain.contact import ContactPerson, contact_problems
from soknad.domain.coordination import Decision as ConsentDecision
from soknad.domain.errors import DomainError
from soknad.domain.organisations import Region
from soknad.domain.workflow import Action
from soknad.extensions import db
from soknad.models import Application, NationalList, Round, Submission, User
from soknad.models.directorate import Decision, JointSubmission
from soknad.services import (
    applications,
    attachments,
    audit,
    coordination,
    documents,
    lifecycle,
    mail,
)
from soknad.services import users as user_service

# --------------------------------------------------------------------------- documents


def application_document(application: Application, submission: Submission) -> bytes:
    """The submitted version as Word (the application template). The exchange document names
    the sender by e-mail address (machine data); the letter names the person."""
    data = submission.data()
    if isinstance(data.get("submission"), dict):
        data["submission"] = {**data["submission"], "submitted_by": submission.submitted_by.name}
    return application_docx(
        data, applications.spec_of(application), submission.findings,
        submission.sha256, submission.submitted_at,
        documents.template_path(TemplateKind.APPLICATION))


def decision_document(application: Application, decision: Decision) -> bytes:
    region = application.organisation.region_enum
    assert region is not None
    letter = docdata.DecisionLetterData(
        application_name=application.display_title,
        health_trust=application.organisation.name, region=region.label,
        service_type=application.service_type_enum.label,
        decision=docdata.DecisionKind(decision.kind), decision_date=decision.decided_on,
        round_year=application.round.year, reasons=decision.reasons,
        effective_date=decision.effective_from, establish_by=decision.establish_by,
        competence_function=decision.function_name,
        term_years=decision.term_years, term_end=decision.term_ends,
        postponed_until=decision.final_decision_by,
        case_reference=f"{application.round.year}/{application.id}",
        application_kind=application.kind_enum.label,
        contact_name=decision.contact_name, contact_email=decision.contact_email,
        contact_phone=decision.contact_phone, signatory_name=decision.signatory_name,
        signatory_title=decision.signatory_title,
        **lifecycle.letter_fields(application, decision),
    )
    return decision_letter_docx(letter, documents.template_path(TemplateKind.DECISION_LETTER))


def cover_letter_data(round_: Round, found: NationalList, sent_on: date) -> docdata.CoverLetterData:
    """What the cover letter says: the list in order, each region's own ranking and reason,
    the four RHFs' consents with who gave them (name and title), and the contact person."""
    listed = coordination.listed_applications(found)
    entries = []
    for rank, application in enumerate(listed, start=1):
        submission = application.latest_submission
        assert submission is not None
        answers = submission.data()["answers"]
        region = application.organisation.region_enum
        entries.append(docdata.RankedEntry(
            rank=rank, name=application.display_title,
            service_type=application.service_type_enum.label,
            region=region.label if region else "", health_trust=application.organisation.name,
            description=str(answers.get("beskrivelse") or ""),
            kind=application.kind_enum.label))
    consents = [docdata.Consent(region=Region(item.region).label, who=item.user.name,
                                when=item.at, decision=ConsentDecision(item.decision).label,
                                comment=item.comment, title=item.user.title or "")
                for item in coordination.current_consents(found).values()]
    reasons = coordination.ranking_reasons(round_)
    listed_ids = {application.id for application in listed}
    regions = [docdata.RegionReason(
        region=region.label, reason=reasons[region],
        ranked=[item.display_title for item in coordination.regional_ranking(round_, region)
                if item.id in listed_ids]) for region in Region]
    coordinating = coordination.coordinating_region(round_)
    person = contact_of(found)
    contact = docdata.Contact(
        name=person.name, title=person.title, email=person.email, phone=person.phone,
        organisation=f"{coordinating.label} RHF" if coordinating and person.name else "")
    return docdata.CoverLetterData(
        round_year=round_.year, entries=entries, consents=consents, sent_on=sent_on,
        coordinating_region=coordinating.label if coordinating else "", regions=regions,
        contact=contact)


def _cover_letter(round_: Round, found: NationalList, sent_on: date) -> bytes:
    return cover_letter_docx(cover_letter_data(round_, found, sent_on),
                             documents.template_path(TemplateKind.COVER_LETTER))


# --------------------------------------------------------------------------- the contact


def contact_of(found: NationalList) -> ContactPerson:
    return ContactPerson(found.contact_name, found.contact_title, found.contact_email,
                         found.contact_phone)


def set_contact(round_: Round, user: User, person: ContactPerson) -> dict[str, str]:
    """Save the joint submission's contact person; returns the problems (nothing is saved
    then). Only the coordinating RHF sets it, before the submission is sent."""
    found = coordination.national_list(round_)
    if found is None or not coordination.may_edit_list(round_, user):
        raise DomainError("Bare det koordinerende RHF kan sende den samlede søknaden.")
    if sent_of(found) is not None:
        raise DomainError("Den samlede søknaden er allerede sendt.")
    problems = contact_problems(person)
    if problems:
        return problems
    found.contact_name, found.contact_title = person.name, person.title
    found.contact_email, found.contact_phone = person.email, person.phone
    audit.record(user.id, "joint_submission_contact", "national_list", found.id,
                 name=person.name, email=person.email)
    db.session.commit()
    return {}


# --------------------------------------------------------------------------- the package


def _items(found: NationalList) -> list[PackageItem]:
    items = []
    for rank, application in enumerate(coordination.listed_applications(found), start=1):
        submission = application.latest_submission
        assert submission is not None
        document = submission.data()
        region = application.organisation.region_enum
        items.append(PackageItem(
            rank=rank, title=application.display_title,
            document=application_document(application, submission),
            form_id=application.form_id, form_version=application.form_version,
            submitted_at=submission.submitted_at.isoformat(timespec="seconds"),
            snapshot_sha256=submission.sha256, health_trust=application.organisation.name,
            region=region.label if region else "",
            service_type=application.service_type_enum.label,
            attachments=[PackageAttachment(entry["name"], attachments.storage_path(entry["sha256"]),
                                           entry["sha256"], entry["size"], entry["field"])
                         for entry in document["attachments"]],
            metadata={"application_id": application.id, "submission": submission.number,
                      "regional_rank": application.regional_rank},
        ))
    return items


def build(round_: Round, out_path: Path, sent_on: date | None = None,
          progress: Callable[[Progress], None] | None = None) -> dict[str, Any]:
    """Write the round's package to ``out_path``; the national list must be locked."""
    found = coordination.national_list(round_)
    if found is None or found.locked_at is None:
        raise DomainError("Den nasjonale listen er ikke låst ennå: alle fire RHF-er må samtykke "
                          "før den samlede søknaden kan lages.")
    day = sent_on or clock.today()
    try:
        return build_package(out_path, RoundInfo(round_.year, day, {"version": found.version}),
                             _cover_letter(round_, found, day), _items(found), progress)
    except PackageError as error:  # e.g. an attachment missing on disk: say so, in Norwegian
        raise DomainError(str(error)) from error


def package_dir() -> Path:
    return Path(current_app.instance_path) / "packages"


def package_path(sent: JointSubmission) -> Path:
    return package_dir() / sent.package_name


@dataclass(frozen=True)
class Preview:
    """What sending would send: the cover letter's content and the package's files."""

    letter: docdata.CoverLetterData
    files: list[dict[str, Any]]  # path, role, size (from the manifest of a trial build)
    package_size: int
    copy_to: str

    @property
    def applications(self) -> int:
        return len(self.letter.entries)


def _check_sendable(round_: Round, user: User) -> NationalList:
    found = coordination.national_list(round_)
    if not coordination.may_edit_list(round_, user):
        raise DomainError("Bare det koordinerende RHF kan sende den samlede søknaden.")
    if found is not None and sent_of(found) is not None:
        raise DomainError("Den samlede søknaden er allerede sendt.")
    if found is None or found.locked_at is None:
        raise DomainError("Den nasjonale listen er ikke låst ennå: alle fire RHF-er må samtykke "
                          "før den samlede søknaden kan lages.")
    if not contact_of(found).complete:
        raise DomainError("Fyll ut kontaktpersonen for den samlede søknaden før dere sender.")
    return found


def preview(round_: Round, user: User) -> Preview:
    """Build the package as sending would (to a temporary file, removed again) and describe
    it: the same data gives the same files and sizes when it is sent today."""
    found = _check_sendable(round_, user)
    day = clock.today()
    folder = package_dir()
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=folder, prefix=".forhandsvisning-", suffix=".zip")
    os.close(handle)
    path = Path(name)
    try:
        manifest = build(round_, path, day)
        size = path.stat().st_size
        with zipfile.ZipFile(path) as archive:
            manifest_size = archive.getinfo(MANIFEST).file_size
    finally:
        path.unlink(missing_ok=True)
    files = [*manifest["files"], {"path": MANIFEST, "role": "manifest", "size": manifest_size}]
    return Preview(cover_letter_data(round_, found, day), files, size,
                   current_app.config["MINISTRY_NAME"])


def send(round_: Round, user: User) -> JointSubmission:
    """Build the package, record it as sent to Helsedirektoratet (copy to the ministry) with
    its time and checksum, and move the listed applications on."""
    found = _check_sendable(round_, user)
    name = f"samlet-soknad-{round_.year}.zip"
    path = package_dir() / name
    build(round_, path)
    digest, size = _sha256(path), path.stat().st_size
    copy_to = current_app.config["MINISTRY_NAME"]
    sent = JointSubmission(national_list_id=found.id, sent_by_id=user.id, package_name=name,
                           package_sha256=digest, package_size=size, copy_to=copy_to)
    db.session.add(sent)
    listed = coordination.listed_applications(found)
    for rank, application in enumerate(listed, start=1):
        applications.change_state(application, Action.SEND_TO_DIRECTORATE, user)
        coordination.tell_applicants(application, "sent_to_directorate", rank=rank,
                                     total=len(listed), sent=sent)
    audit.record(user.id, "joint_submission_sent", "national_list", found.id, sha256=digest,
                 size=size, copy_to=copy_to)
    recipients = [person.email for person in user_service.directorate_users()]
    ministry = current_app.config["MINISTRY_EMAIL"]
    for address in [*recipients, *([ministry] if ministry else [])]:
        mail.queue(address, "joint_submission_sent", round=round_, sent=sent,
                   count=len(found.entries), sender=user)
    db.session.commit()
    return sent


def sent_of(found: NationalList) -> JointSubmission | None:
    return db.session.scalar(select(JointSubmission).where(
        JointSubmission.national_list_id == found.id))


def sent_for(round_: Round) -> JointSubmission | None:
    found = coordination.national_list(round_)
    return sent_of(found) if found else None


def sent_rounds() -> list[tuple[Round, JointSubmission]]:
    """Every round whose joint submission has been sent, newest first."""
    rows = db.session.execute(
        select(Round, JointSubmission)
        .join(NationalList, NationalList.round_id == Round.id)
        .join(JointSubmission, JointSubmission.national_list_id == NationalList.id)
        .order_by(Round.year.desc())).all()
    return [(round_, sent) for round_, sent in rows]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()
