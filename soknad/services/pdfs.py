"""The health trust's own application as Word and as PDF.

Word is rendered in the request (it takes milliseconds). PDF goes through LibreOffice headless,
which takes seconds, so a request only queues a ``PdfConversion`` and ``convert_pending`` (the
scheduler's job, or ``soknad pdf``) converts it outside the request. A conversion is named by
its ``source``: the draft at its revision (``utkast-<revision>``; every change of the answers or
attachments counts the revision up) or a submitted version (``versjon-<number>``, which never
changes). The pair (application, source) is unique, so an unchanged application is converted
once; a draft changed before its turn came is not converted at all (``superseded``).

Claiming is a conditional UPDATE, as in the e-mail outbox: two converters at once never convert
the same row twice, and a converter that died holding a claim is presumed gone after
``CLAIM_TIMEOUT``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from soknad import clock
from soknad.documents import TemplateKind
from soknad.documents.context import application_context
from soknad.documents.data import local_time
from soknad.documents.render import render_docx
from soknad.domain.exchange import canonical_json, sha256_hex
from soknad.extensions import db
from soknad.models import Application, PdfConversion, User
from soknad.services import applications, documents, joint

log = logging.getLogger(__name__)

CLAIM_TIMEOUT = timedelta(minutes=10)
LATE_AFTER = timedelta(minutes=5)
QUEUED, RUNNING, DONE, FAILED, SUPERSEDED = "queued", "running", "done", "failed", "superseded"

MISSING = ("PDF-en kunne ikke lages, fordi LibreOffice ikke er installert på serveren. Last ned "
           "søknaden som Word i stedet, og si fra til den som drifter portalen.")
FAILED_TEXT = ("LibreOffice klarte ikke å gjøre søknaden om til PDF. Prøv igjen litt senere, "
               "eller last ned søknaden som Word i stedet.")
TIMED_OUT = ("LibreOffice brukte for lang tid på å lage PDF-en. Prøv igjen litt senere, eller "
             "last ned søknaden som Word i stedet.")


class ConversionError(Exception):
    """LibreOffice is missing or failed; ``str`` is the Norwegian message for the user."""


# --------------------------------------------------------------------------- sources


def draft_source(application: Application) -> str:
    return f"utkast-{application.revision}"


def version_source(number: int) -> str:
    return f"versjon-{number}"


def file_stem(application: Application, source: str) -> str:
    return f"soknad-{application.id}-{source}"


def draft_docx(application: Application) -> bytes:
    """The draft as it stands, in the same Word template as a submitted version; where the
    submitted version says when it was sent, the draft says it is not sent yet."""
    status = applications.draft_status(application)
    attachments = applications.draft_attachments(application)
    document = applications.document_for(application, application.answers(), attachments)
    saved = application.updated_at
    context = application_context(document, status.spec, status.findings,
                                  sha256_hex(canonical_json(document.to_dict())), saved)
    context["innsendt"] = f"Ikke sendt inn ennå (utkast, sist lagret {local_time(saved)})"
    return render_docx(documents.template_path(TemplateKind.APPLICATION), context,
                       title=str(context["tjenestenavn"]), moment=saved)


def source_docx(application: Application, source: str) -> bytes | None:
    """The Word document ``source`` names; None when it names a draft revision that is gone."""
    if source.startswith("utkast-"):
        return draft_docx(application) if source == draft_source(application) else None
    submission = next((item for item in application.submissions
                       if version_source(item.number) == source), None)
    return joint.application_document(application, submission) if submission else None


# --------------------------------------------------------------------------- queue


def pdf_dir() -> Path:
    configured = Path(current_app.config["PDF_DIR"])
    return configured if configured.is_absolute() else Path(current_app.instance_path) / configured


def pdf_path(row: PdfConversion) -> Path:
    return pdf_dir() / str(row.application_id) / f"{row.source}.pdf"


def conversion(application: Application, source: str) -> PdfConversion | None:
    return db.session.scalar(select(PdfConversion).where(
        PdfConversion.application_id == application.id, PdfConversion.source == source))


def request(application: Application, source: str, user: User) -> PdfConversion:
    """Queue ``source`` for conversion (again, if it failed) and commit; one that is queued or
    done is left as it is."""
    row = conversion(application, source)
    if row is None:
        try:
            with db.session.begin_nested():
                row = PdfConversion(application_id=application.id, source=source,
                                    state=QUEUED, requested_by_id=user.id, attempts=0)
                db.session.add(row)
        except IntegrityError:  # another request queued it at the same moment
            row = conversion(application, source)
            assert row is not None
    elif row.state == FAILED:
        row.state, row.error, row.requested_by_id = QUEUED, None, user.id
        row.requested_at, row.claimed_at, row.finished_at = clock.now(), None, None
    db.session.commit()
    return row


# --------------------------------------------------------------------------- convert


def to_pdf(docx: bytes, stem: str) -> bytes:
    """``docx`` as PDF through ``soffice --headless --convert-to pdf``; ``ConversionError``
    with the user's message when LibreOffice is missing, fails or hangs."""
    command = current_app.config["SOFFICE_COMMAND"]
    executable = shutil.which(command)
    if executable is None:
        raise ConversionError(MISSING)
    with tempfile.TemporaryDirectory(prefix="soknad-pdf-") as work:
        folder = Path(work)
        source = folder / f"{stem}.docx"
        source.write_bytes(docx)
        profile = (folder / "profile").as_uri()  # its own profile: runs never share a lock
        try:
            finished = subprocess.run(  # noqa: S603 - a configured program, no shell
                [executable, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                 "--nolockcheck", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                capture_output=True, timeout=int(current_app.config["PDF_TIMEOUT_SECONDS"]),
                check=False, env={**os.environ, "HOME": work})
        except subprocess.TimeoutExpired as error:
            raise ConversionError(TIMED_OUT) from error
        except OSError as error:
            log.warning("soffice could not start: %s", error)
            raise ConversionError(MISSING) from error
        target = folder / f"{stem}.pdf"
        if finished.returncode != 0 or not target.is_file():
            log.warning("soffice failed (exit %s): %s", finished.returncode,
                        finished.stderr.decode(errors="replace")[-2000:])
            raise ConversionError(FAILED_TEXT)
        return target.read_bytes()


def _claim(row_id: int) -> bool:
    now = clock.now()
    claimed = db.session.execute(
        update(PdfConversion)
        .where(PdfConversion.id == row_id, or_(
            PdfConversion.state == QUEUED,
            and_(PdfConversion.state == RUNNING,
                 PdfConversion.claimed_at < now - CLAIM_TIMEOUT)))
        .values(state=RUNNING, claimed_at=now, attempts=PdfConversion.attempts + 1))
    db.session.commit()
    return claimed.rowcount == 1


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(handle, "wb") as target:
            target.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@dataclass
class ConvertReport:
    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)


def convert_one(row: PdfConversion, report: ConvertReport) -> None:
    application = db.session.get(Application, row.application_id)
    assert application is not None
    label = f"søknad {application.id}, {row.source}"
    docx = source_docx(application, row.source)
    if docx is None:
        row.state, row.finished_at = SUPERSEDED, clock.now()
        report.superseded.append(label)
        return
    try:
        data = to_pdf(docx, file_stem(application, row.source))
    except ConversionError as error:
        row.state, row.error, row.finished_at = FAILED, str(error), clock.now()
        report.failed.append(f"{label}: {error}")
        return
    _write(pdf_path(row), data)
    row.state, row.error, row.finished_at = DONE, None, clock.now()
    row.size, row.sha256 = len(data), hashlib.sha256(data).hexdigest()
    report.done.append(f"{label} ({len(data)} byte)")
    if row.source.startswith("utkast-"):
        _forget_older_drafts(row)


def _forget_older_drafts(row: PdfConversion) -> None:
    """The draft's earlier revisions will never be asked for again: their files and rows go."""
    for older in db.session.scalars(select(PdfConversion).where(
            PdfConversion.application_id == row.application_id, PdfConversion.id != row.id,
            PdfConversion.source.like("utkast-%"),
            PdfConversion.state.in_([DONE, FAILED, SUPERSEDED]))):
        pdf_path(older).unlink(missing_ok=True)
        db.session.delete(older)


def is_late(row: PdfConversion | None) -> bool:
    """Queued longer than a converter running every few seconds would ever leave it."""
    return (row is not None and row.state in (QUEUED, RUNNING)
            and clock.now() - row.requested_at > LATE_AFTER)


def convert_pending(limit: int = 20) -> ConvertReport:
    """Convert what is queued (and what a dead converter left); safe to run in parallel."""
    report = ConvertReport()
    waiting = list(db.session.scalars(
        select(PdfConversion.id).where(PdfConversion.state.in_([QUEUED, RUNNING]))
        .order_by(PdfConversion.id).limit(limit)))
    for row_id in waiting:
        if not _claim(row_id):
            continue
        row = db.session.get(PdfConversion, row_id)
        assert row is not None
        try:
            convert_one(row, report)
        except Exception:
            db.session.rollback()
            row = db.session.get(PdfConversion, row_id)
            assert row is not None
            row.state, row.error, row.finished_at = FAILED, FAILED_TEXT, clock.now()
            report.failed.append(f"søknad {row.application_id}, {row.source}: {FAILED_TEXT}")
            log.exception("PDF conversion %s failed", row_id)
        db.session.commit()
    return report


def job(app: Flask) -> None:
    """One scheduler tick: convert what is queued."""
    with app.app_context():
        try:
            report = convert_pending()
            if report.done or report.failed:
                log.info("pdf: %d converted, %d failed", len(report.done), len(report.failed))
        except Exception:
            log.exception("the PDF job failed; the next run tries again")
            db.session.rollback()
        finally:
            db.session.remove()
