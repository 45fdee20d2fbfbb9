"""An administrator deletes a draft never sent, after confirming; the audit trail stays."""

from __future__ import annotations

import io

import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete, inspect, select, update

from soknad.extensions import db
from soknad.models import Application, ApplicationSection, Attachment, AuditEntry
from soknad.models.audit import AppendOnlyError
from soknad.services import applications, attachments, drafts
from tests.factories import login, make_application, user

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def admin(client: FlaskClient) -> FlaskClient:
    login(client, "admin@demo.no")
    return client


def draft_with_a_file() -> Application:
    draft = make_application(answers={"navn_nb": "Tjeneste for feilregistrerte utkast"})
    attachments.store(draft, "p2_dokumentasjon", io.BytesIO(PDF + b"egen"), "a.pdf",
                      user("soker.ous@demo.no"))
    db.session.commit()
    return draft


def test_the_list_shows_only_drafts_never_sent(admin: FlaskClient) -> None:
    draft = draft_with_a_file()
    sent = make_application(complete=True, answers={"navn_nb": "Sendt tjeneste"})
    applications.submit(sent, user("soker.ous@demo.no"))
    html = admin.get("/admin/utkast").get_data(as_text=True)
    assert f'href="/admin/utkast/{draft.id}/slett"' in html
    assert "Tjeneste for feilregistrerte utkast" in html
    assert "Sendt tjeneste" not in html


def test_the_admin_confirms_then_the_draft_is_gone_and_the_audit_trail_stays(
        admin: FlaskClient) -> None:
    draft = draft_with_a_file()
    draft_id = draft.id
    path = attachments.storage_path(db.session.scalars(select(Attachment.sha256)).one())
    before = db.session.query(AuditEntry).filter_by(object_type="application",
                                                    object_id=draft_id).count()
    assert before >= 2  # created, attachment added

    confirm = admin.get(f"/admin/utkast/{draft_id}/slett")
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert "Slette utkastet «Tjeneste for feilregistrerte utkast»?" in html
    assert "Ja, slett utkastet" in html
    assert db.session.get(Application, draft_id) is not None  # asking deletes nothing

    done = admin.post(f"/admin/utkast/{draft_id}/slett", follow_redirects=True)
    assert ("Utkastet «Tjeneste for feilregistrerte utkast» fra Oslo universitetssykehus HF er "
            "slettet.") in done.get_data(as_text=True)
    assert db.session.get(Application, draft_id) is None
    assert db.session.query(ApplicationSection).filter_by(application_id=draft_id).count() == 0
    assert db.session.query(Attachment).count() == 0
    assert not path.exists()
    entries = db.session.query(AuditEntry).filter_by(
        object_type="application", object_id=draft_id).order_by(AuditEntry.id).all()
    assert len(entries) == before + 1
    deleted = entries[-1]
    assert deleted.action == "draft_deleted"
    assert deleted.data["title"] == "Tjeneste for feilregistrerte utkast"
    assert deleted.data["organisation"] == "Oslo universitetssykehus HF"
    log = admin.get(f"/admin/logg?objekt={draft_id}&objekttype=application").get_data(
        as_text=True)
    assert "Utkast slettet" in log


def test_a_submitted_application_cannot_be_deleted(admin: FlaskClient) -> None:
    sent = make_application(complete=True)
    applications.submit(sent, user("soker.ous@demo.no"))
    for method in ("GET", "POST"):
        response = admin.open(f"/admin/utkast/{sent.id}/slett", method=method,
                              follow_redirects=True)
        assert ("Søknaden kan ikke slettes: den er sendt inn eller finnes ikke lenger."
                in response.get_data(as_text=True))
    assert db.session.get(Application, sent.id) is not None


def test_a_draft_submitted_a_moment_before_the_delete_stays() -> None:
    draft = make_application(complete=True)
    applications.submit(draft, user("soker.ous@demo.no"))
    with pytest.raises(drafts.NotDeletableError):
        drafts.delete_draft(draft.id, user("admin@demo.no"))
    assert db.session.get(Application, draft.id) is not None


def test_audit_entries_are_never_deleted_nor_cascaded(app: object) -> None:
    draft = make_application()
    entry = db.session.query(AuditEntry).filter_by(object_id=draft.id).first()
    assert entry is not None
    with pytest.raises(AppendOnlyError):
        db.session.execute(delete(AuditEntry).where(AuditEntry.id == entry.id))
    db.session.rollback()
    with pytest.raises(AppendOnlyError):
        db.session.execute(update(AuditEntry).values(action="x"))
    db.session.rollback()
    # No foreign key from the audit log to an application, and none that cascades.
    keys = inspect(db.engine).get_foreign_keys("audit_entry")
    assert {key["referred_table"] for key in keys} <= {"user_account", "organisation"}
    assert all(not (key.get("options") or {}).get("ondelete") for key in keys)
