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
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from soknad import clock
from soknad.documents import TemplateKind
from soknad.documents import data as docdata
from soknad.documents.package import (
    PackageAttachment,
    PackageItem,
    Progress,
    RoundInfo,
    build_package,
)
from soknad.documents.render import application_docx, cover_letter_docx, decision_letter_docx
from soknad.domain.coordination import Decision as ConsentDecision
from soknad.domain.errors import DomainError
from soknad.domain.organisations import Region
from soknad.domain.workflow import Action
from soknad.extensions import db
from soknad.models import Application, NationalList, Round, Submission, User
from soknad.models.directorate import Decision, JointSubmission
from soknad.services import applications, attachments, audit, coordination, documents, mail
from soknad.services import users as user_service

# --------------------------------------------------------------------------- documents


def application_document(application: Application, submission: Submission) -> bytes:
    """The submitted version as Word (the application template)."""
    return application_docx(
        submission.data(), applications.spec_of(application), submission.findings,
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
    )
    return decision_letter_docx(letter, documents.template_path(TemplateKind.DECISION_LETTER))


def _cover_letter(round_: Round, found: NationalList, sent_on: date) -> bytes:
    entries = []
    for rank, application in enumerate(coordination.listed_applications(found), start=1):
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
                                comment=item.comment)
                for item in coordination.current_consents(found).values()]
    coordinating = coordination.coordinating_region(round_)
    return cover_letter_docx(
        docdata.CoverLetterData(round_year=round_.year, entries=entries, consents=consents,
                                sent_on=sent_on,
                                coordinating_region=coordinating.label if coordinating else ""),
        documents.template_path(TemplateKind.COVER_LETTER))


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
    return build_package(out_path, RoundInfo(round_.year, day, {"version": found.version}),
                         _cover_letter(round_, found, day), _items(found), progress)


def package_dir() -> Path:
    return Path(current_app.instance_path) / "packages"


def package_path(sent: JointSubmission) -> Path:
    return package_dir() / sent.package_name


def send(round_: Round, user: User) -> JointSubmission:
    """Build the package, record it as sent to Helsedirektoratet (copy to the ministry) with
    its time and checksum, and move the listed applications on."""
    found = coordination.national_list(round_)
    if not coordination.may_edit_list(round_, user):
        raise DomainError("Bare det koordinerende RHF kan sende den samlede søknaden.")
    if found is not None and sent_of(found) is not None:
        raise DomainError("Den samlede søknaden er allerede sendt.")
    name = f"samlet-soknad-{round_.year}.zip"
    path = package_dir() / name
    build(round_, path)
    assert found is not None
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
