"""The audit log (SEC-15): each security-relevant action writes exactly one entry with who,
their organisation and role, from where and when; the administrator reads and filters it."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import lxml.html
import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo
from flask.testing import FlaskClient
from sqlalchemy import delete, select, update

from soknad import clock
from soknad.cli import main
from soknad.domain.decisions import DecisionKind
from soknad.domain.roles import Role
from soknad.extensions import db
from soknad.models import Application, AuditEntry, User
from soknad.models.audit import AppendOnlyError
from soknad.services import applications, audit, coordination, organisations
from soknad.services import attachments as attachment_service
from soknad.services.demo import PASSWORD
from tests.factories import login, make_application, recommend, sent_and_postponed, user

PDF = b"%PDF-1.4\n%%EOF\n"
COORDINATOR = "koordinator.sorost@demo.no"
APPLICANT = "soker.ous@demo.no"
HDIR = "hdir@demo.no"
ADMIN = "admin@demo.no"


@pytest.fixture
def objects() -> dict[str, int]:
    """A draft with a file, a submitted application with a file, a resubmitted one, and one in
    a sent joint submission that Helsedirektoratet has postponed."""
    owner = user(APPLICANT)
    draft = make_application()
    draft_file = attachment_service.store(draft, "p2_dokumentasjon", io.BytesIO(PDF), "a.pdf",
                                          owner)
    submitted = make_application(complete=True)
    submitted_file = attachment_service.store(submitted, "p2_dokumentasjon", io.BytesIO(PDF),
                                              "b.pdf", owner)
    applications.submit(db.session.get(Application, submitted.id), owner)
    resubmitted = make_application(complete=True)
    applications.submit(resubmitted, owner)
    coordination.return_for_revision(resubmitted, "Mer om pasientvolum", user(COORDINATOR))
    applications.submit(resubmitted, owner)
    sent, decision, sent_submission = sent_and_postponed(owner)
    # Rådgivingsgruppen has met again after the postponement (a decision needs it).
    recommend(db.session.get(Application, sent), DecisionKind.REJECTED)
    return {"draft": draft.id, "draft_file": draft_file.id, "submitted": submitted.id,
            "submitted_file": submitted_file.id, "resubmitted": resubmitted.id,
            "sent": sent, "decision": decision, "joint": sent_submission,
            "bergen": user("soker.bergen@demo.no").id, "round": draft.round_id}


def last_id() -> int:
    return db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) or 0


def entries_after(entry_id: int) -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.id > entry_id)
                                   .order_by(AuditEntry.id)))


@dataclass(frozen=True)
class Logged:
    """Who does what through the pages, and the one entry it must leave."""

    actor: str
    method: str
    url: str
    action: str
    object_type: str
    object_key: str | None  # the key in ``objects`` of the object's id; None: no id
    data: dict[str, str] = field(default_factory=dict)
    status: int = 200
    outcome: str = "success"


LOGGED = [
    # Reading another organisation's application by right: the RHF ...
    Logged(COORDINATOR, "GET", "/rhf/soknader/{submitted}", "view", "application", "submitted"),
    Logged(COORDINATOR, "GET", "/soknader/{submitted}/innsendt/1", "view", "application",
           "submitted"),
    Logged(COORDINATOR, "GET", "/rhf/soknader/{resubmitted}/endringer", "view", "application",
           "resubmitted"),
    Logged(COORDINATOR, "GET", "/soknader/{submitted}/innsendt/1.docx", "download",
           "application", "submitted"),
    Logged(COORDINATOR, "GET", "/soknader/{submitted}/innsendt/1.json", "download",
           "application", "submitted"),
    Logged(COORDINATOR, "GET", "/soknader/{submitted}/vedlegg/{submitted_file}", "download",
           "attachment", "submitted_file"),
    Logged(COORDINATOR, "GET", "/rhf/nasjonal-liste/pakke.zip", "download", "joint_submission",
           "joint"),
    # ... and Helsedirektoratet.
    Logged(HDIR, "GET", "/hdir/soknader/{sent}", "view", "application", "sent"),
    Logged(HDIR, "GET", "/hdir/runder/2027", "view", "joint_submission", "joint"),
    Logged(HDIR, "GET", "/hdir/runder/2027/pakke.zip", "download", "joint_submission", "joint"),
    Logged(HDIR, "GET", "/soknader/{sent}/vedtak/{decision}.docx", "download", "decision",
           "decision"),
    Logged(HDIR, "POST", "/hdir/soknader/{sent}/vedtak/bekreft", "reject", "application", "sent",
           data={"vedtak": "rejected", "begrunnelse": "Ikke godt nok dokumentert",
                 "underskriver": "Ola Nordmann", "tittel": "Avdelingsdirektør"},
           status=302),
    Logged(HDIR, "POST", "/hdir/soknader/{sent}/anbefaling", "advisory_recommendation",
           "application", "sent", data={"anbefaling": "approved",
                                        "motedato": clock.today().isoformat(),
                                        "anbefaling_begrunnelse": "Godt dokumentert behov."},
           status=302),
    Logged(HDIR, "GET", "/hdir/runder/2027/samlet-tilbakemelding.docx", "download",
           "round_letter", None),
    # The health trust's own downloads and export are logged (its page views are not).
    Logged(APPLICANT, "GET", "/soknader/{draft}/eksport.json", "export", "application", "draft"),
    Logged(APPLICANT, "GET", "/soknader/{draft}/vedlegg/{draft_file}", "download", "attachment",
           "draft_file"),
    Logged(APPLICANT, "GET", "/soknader/{submitted}/innsendt/1.docx", "download", "application",
           "submitted"),
    # The administrator's changes and downloads.
    Logged(ADMIN, "POST", "/admin/brukere/{bergen}/aktiv", "user_deactivated", "user", "bergen",
           status=302),
    Logged(ADMIN, "GET", "/admin/dokumentmaler/vedtaksbrev.docx", "download", "docx_template",
           None),
    Logged(ADMIN, "POST", "/admin/frister/2027", "round_date_added", "round", "round",
           data={"day": "2026-11-20", "title": "Møte", "roles": "coordinator"}, status=302),
    Logged(ADMIN, "GET", "/admin/logg.csv?handling=login", "download", "audit_log", None),
    Logged(ADMIN, "POST", "/logg-ut", "logout", "user", "self", status=302),
]


@pytest.mark.parametrize("case", LOGGED, ids=lambda case: f"{case.actor} {case.method} "
                         f"{case.url} → {case.action}")
def test_each_action_writes_exactly_one_entry(app: Flask, objects: dict[str, int],
                                              case: Logged) -> None:
    client = app.test_client()
    login(client, case.actor)
    person = user(case.actor)
    objects = {**objects, "self": person.id}
    before, started = last_id(), clock.now()
    response = client.open(case.url.format(**objects), method=case.method,
                           data={key: value.format(**objects) for key, value in case.data.items()})
    response.close()
    assert response.status_code == case.status
    written = entries_after(before)
    assert [(e.action, e.object_type) for e in written] == [(case.action, case.object_type)]
    entry = written[0]
    assert entry.object_id == (objects[case.object_key] if case.object_key else None)
    assert (entry.actor_id, entry.actor_organisation_id, entry.actor_role) == (
        person.id, person.organisation_id, person.role)
    assert entry.address == "127.0.0.1"
    assert entry.outcome == case.outcome
    assert entry.at.tzinfo is UTC
    assert started - timedelta(seconds=1) <= entry.at <= clock.now()


def test_logging_in_is_one_entry_with_the_address(app: Flask) -> None:
    before = last_id()
    response = app.test_client().post("/logg-inn", data={"email": APPLICANT, "password": PASSWORD},
                                      environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert response.status_code == 302
    person = user(APPLICANT)
    assert [(e.action, e.actor_id, e.actor_role, e.actor_organisation_id, e.address)
            for e in entries_after(before)] == [
        ("login", person.id, "applicant", person.organisation_id, "192.0.2.10")]


NOT_LOGGED = [
    # The health trust reading its own application, and lists: no entry.
    (APPLICANT, "/soknader/{draft}"),
    (APPLICANT, "/soknader/{draft}/punkt/p3"),
    (APPLICANT, "/soknader/{submitted}/innsendt/1"),
    (COORDINATOR, "/rhf"),
    (HDIR, "/hdir"),
    (ADMIN, "/admin/logg"),
    # Refused (404): nothing was read.
    ("koordinator.vest@demo.no", "/rhf/soknader/{submitted}"),
    ("soker.bergen@demo.no", "/soknader/{submitted}/innsendt/1.docx"),
]


@pytest.mark.parametrize(("actor", "url"), NOT_LOGGED)
def test_own_reads_lists_and_refusals_write_nothing(app: Flask, objects: dict[str, int],
                                                    actor: str, url: str) -> None:
    client = app.test_client()
    login(client, actor)
    before = last_id()
    client.get(url.format(**objects)).close()
    assert entries_after(before) == []


# --------------------------------------------------------------------------- without a request


def run(app: Flask, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))


def test_the_export_command_records_with_no_request(app: Flask) -> None:
    application = make_application(complete=True)
    before = last_id()
    result = run(app, "export", str(application.id))
    assert result.exit_code == 0, result.output
    [entry] = entries_after(before)
    assert (entry.action, entry.object_type, entry.object_id) == (
        "export", "application", application.id)
    assert (entry.actor_id, entry.address, entry.actor_role) == (None, None, None)
    assert entry.data["via"] == "cli"


def test_creating_a_user_on_the_command_line_records_with_no_request(app: Flask) -> None:
    before = last_id()
    result = run(app, "create-user", "ny.admin@demo.no", "--name", "Ny Admin", "--role", "admin",
                 "--organisation", "Helsedirektoratet", "--password", "et-langt-passord")
    assert result.exit_code == 0, result.output
    [entry] = entries_after(before)
    assert (entry.action, entry.actor_id, entry.address) == ("user_created", None, None)


def test_a_job_outside_any_request_records_without_an_address(app: Flask) -> None:
    audit.record(user(ADMIN).id, "registry_import", "registry", None, file="x.csv")
    db.session.commit()
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None
    assert (entry.address, entry.actor_role) == (None, "admin")


def test_the_login_engineers_calls_fill_the_columns() -> None:
    """``record(None, "login_failed", …, email=…, address=…)``: the address goes to its column,
    the outcome follows from the action."""
    audit.record(None, "login_failed", "user", None, email="ukjent@x.no", address="203.0.113.5")
    audit.record(user(APPLICANT).id, "login_throttled", "user", user(APPLICANT).id,
                 email=APPLICANT, address="203.0.113.6")
    db.session.commit()
    failed, throttled = db.session.scalars(
        select(AuditEntry).order_by(AuditEntry.id.desc()).limit(2)).all()[::-1]
    assert (failed.address, failed.outcome, failed.data) == (
        "203.0.113.5", "failure", {"email": "ukjent@x.no"})
    assert (throttled.address, throttled.outcome) == ("203.0.113.6", "refused")


def test_secrets_are_never_kept() -> None:
    entry = audit.record(None, "login_failed", "user", None, email="a@b.no", password="hemmelig",
                         token="abc")
    db.session.commit()
    assert entry.data == {"email": "a@b.no", "password": "[fjernet]", "token": "[fjernet]"}


def test_the_log_line_keeps_an_injected_newline_escaped(caplog: pytest.LogCaptureFixture) -> None:
    # (The tests migrate in-process; migrations/env.py leaves this logger on.)
    with caplog.at_level(logging.INFO, logger="soknad.audit"):
        audit.record(None, "login_failed", "user", None,
                     email="x@y.no\n2026-01-01 INFO admin logged in")
    [line] = [record.getMessage() for record in caplog.records if record.name == "soknad.audit"]
    assert "\n" not in line
    assert "email=x@y.no\\n2026-01-01 INFO admin logged in" in line


# --------------------------------------------------------------------------- append-only


def saved_entry() -> AuditEntry:
    entry = audit.record(None, "login_failed", "user", None, email="a@b.no")
    db.session.commit()
    return entry


@pytest.mark.parametrize("change", [
    lambda entry: setattr(entry, "action", "login"),
    db.session.delete,
    lambda entry: db.session.execute(update(AuditEntry).values(action="login")),
    lambda entry: db.session.execute(delete(AuditEntry)),
], ids=["attribute", "delete", "bulk update", "bulk delete"])
def test_the_orm_refuses_to_change_or_delete_an_entry(change: Callable[[AuditEntry], Any]) -> None:
    entry = saved_entry()
    change_and_flush = lambda: (change(entry), db.session.flush())  # noqa: E731
    with pytest.raises(AppendOnlyError):
        change_and_flush()
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).action == "login_failed"


def test_on_postgresql_the_app_role_cannot_update_or_delete(app: Flask) -> None:
    """The README's REVOKE step, tried as a role with the app's rights minus UPDATE/DELETE."""
    import sqlalchemy.exc
    from sqlalchemy import text

    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    saved_entry()
    with db.engine.connect() as connection:
        connection.execute(text(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'soknad_app_test')"
            " THEN CREATE ROLE soknad_app_test; END IF; END $$"))
        connection.execute(text("GRANT SELECT, INSERT, UPDATE, DELETE ON audit_entry "
                                "TO soknad_app_test"))
        connection.execute(text("REVOKE UPDATE, DELETE ON audit_entry FROM soknad_app_test"))
        connection.commit()
        for statement in ("UPDATE audit_entry SET action = 'x'", "DELETE FROM audit_entry"):
            connection.execute(text("SET ROLE soknad_app_test"))
            with pytest.raises(sqlalchemy.exc.ProgrammingError, match="permission denied"):
                connection.execute(text(statement))
            connection.rollback()
        connection.execute(text("SET ROLE soknad_app_test"))
        assert connection.execute(text("SELECT count(*) FROM audit_entry")).scalar()
        connection.rollback()


# --------------------------------------------------------------------------- the admin page


def table_rows(html: str) -> list[list[str]]:
    tree = lxml.html.fromstring(html)
    return [[" ".join(" ".join(cell.itertext()).split()) for cell in row.xpath("./td|./th")]
            for row in tree.xpath("//table[contains(@class, 'audit-table')]/tbody/tr")]


def hits(html: str) -> str:
    return " ".join(lxml.html.fromstring(html).xpath("//h2[@id='treff']")[0]
                    .text_content().split())


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def log_entries() -> None:
    """A small log with known times (UTC): logins, a failure, a download, an unknown action.
    (Ask for it before ``admin``: it empties the log first.)"""
    db.session.commit()
    with db.engine.begin() as connection:  # Core, as between tests: the ORM would refuse
        connection.execute(AuditEntry.__table__.delete())
    rows = [
        ("2020-11-30T08:00:00", APPLICANT, "login", "user", "self", {}),
        ("2020-12-01T09:15:00", None, "login_failed", "user", None,
         {"email": "inntrenger@example.com\nINFO admin logged in"}),
        ("2020-12-01T23:30:00", "soker.bergen@demo.no", "login", "user", "self", {}),
        ("2020-12-02T10:00:00", HDIR, "download", "joint_submission", 7, {"sha256": "ab12"}),
        ("2020-12-03T12:00:00", ADMIN, "mystery_action", "round", 3, {}),
    ]
    for when, email, action, object_type, object_id, data in rows:
        person = user(email) if email else None
        entry = audit.record(person.id if person else None, action, object_type,
                             person.id if object_id == "self" and person else object_id,
                             address="198.51.100.7", **data)
        entry.at = at(when)
    db.session.commit()


@pytest.fixture
def admin(client: FlaskClient) -> FlaskClient:
    login(client, ADMIN)
    return client


def page_for(admin: FlaskClient, query: str = "") -> str:
    response = admin.get(f"/admin/logg{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_admin_reads_the_log_newest_first_in_norwegian(log_entries: None,
                                                           admin: FlaskClient) -> None:
    html = page_for(admin)
    rows = table_rows(html)
    # The administrator's own login, now, is the newest.
    assert [row[4] for row in rows] == [
        "Innlogging", "mystery_action", "Lastet ned samlet søknad", "Innlogging",
        "Mislykket innlogging", "Innlogging"]
    assert hits(html) == "6 hendelser"
    assert rows[2] == ["02.12.2020 11:00:00", f"{user(HDIR).name} {HDIR}",
                       "Helsedirektoratet Helsedirektoratet", "198.51.100.7",
                       "Lastet ned samlet søknad", "Samlet søknad 7", "Utført", "sha256=ab12"]
    failed = rows[4]
    assert failed[1] == "Ukjent bruker inntrenger@example.com\\nINFO admin logged in"
    assert failed[6] == "Mislyktes"
    assert "Revisjonslogg" in lxml.html.fromstring(html).xpath("//nav")[0].text_content()


@pytest.mark.parametrize(("query", "expected", "count"), [
    ("?handling=login_failed", ["Mislykket innlogging"], "1 hendelse"),
    ("?person=bergen", ["Innlogging"], "1 hendelse"),
    ("?person=INNTRENGER", ["Mislykket innlogging"], "1 hendelse"),
    ("?person=%25", [], "0 hendelser"),  # a % is a character, not a wildcard
    ("?objekttype=joint_submission&objekt=7", ["Lastet ned samlet søknad"], "1 hendelse"),
    ("?objekttype=round&objekt=8", [], "0 hendelser"),
    # Oslo dates: 1 December 23:30 UTC is 2 December 00:30 in Oslo.
    ("?fra=2020-12-01&til=2020-12-01", ["Mislykket innlogging"], "1 hendelse"),
    ("?fra=2.12.2020&til=2020-12-02", ["Lastet ned samlet søknad", "Innlogging"], "2 hendelser"),
    ("?til=2020-11-30", ["Innlogging"], "1 hendelse"),
])
def test_the_admin_filters_the_log(log_entries: None, admin: FlaskClient, query: str,
                                   expected: list[str], count: str) -> None:
    html = page_for(admin, query)
    assert [row[4] for row in table_rows(html)] == expected
    assert hits(html) == count


def test_filtering_by_the_organisation_the_person_had_then(log_entries: None,
                                                           admin: FlaskClient) -> None:
    hdir = organisations.by_name("Helsedirektoratet")
    html = page_for(admin, f"?organisasjon={hdir.id}")
    assert [row[4] for row in table_rows(html)] == ["Innlogging", "mystery_action",
                                                    "Lastet ned samlet søknad"]
    # the chosen filters are kept in the form
    tree = lxml.html.fromstring(html)
    assert tree.xpath("//select[@id='organisasjon']/option[@selected]")[0].text == hdir.name


def test_a_filter_that_cannot_be_read_is_explained(admin: FlaskClient) -> None:
    response = admin.get("/admin/logg?fra=i+går&objekt=sju")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    summary = lxml.html.fromstring(html).xpath("//div[@id='feiloppsummering']")[0]
    assert [" ".join(item.text_content().split()) for item in summary.xpath(".//li")] == [
        "«sju» er ikke et id-nummer. Skriv bare sifre.",
        "«i går» er ikke en dato. Skriv for eksempel 1.12.2026."]


def test_the_log_is_paged_a_hundred_at_a_time(admin: FlaskClient) -> None:
    for number in range(105):
        audit.record(None, "login_failed", "user", None, email=f"x{number}@example.com")
    db.session.commit()
    first = page_for(admin, "?handling=login_failed")
    assert hits(first) == "105 hendelser"
    assert len(table_rows(first)) == 100
    assert table_rows(first)[0][1] == "Ukjent bruker x104@example.com"
    second = page_for(admin, "?handling=login_failed&side=2")
    assert [row[1] for row in table_rows(second)] == [
        f"Ukjent bruker x{number}@example.com" for number in (4, 3, 2, 1, 0)]
    nav = lxml.html.fromstring(second).xpath("//nav[@aria-label='Sider i loggen']")[0]
    assert " ".join(nav.text_content().split()) == "Forrige side Side 2 av 2"
    assert nav.xpath(".//a/@href") == ["/admin/logg?side=1&handling=login_failed"]


def test_the_csv_download_has_the_filtered_rows_safely(log_entries: None,
                                                       admin: FlaskClient) -> None:
    audit.record(None, "login_failed", "user", None, email="=HYPERLINK(\"http://x\")")
    db.session.commit()
    response = admin.get("/admin/logg.csv?handling=login_failed")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True).lstrip("\ufeff")
    lines = text.split("\r\n")
    assert lines[0].startswith("Tidspunkt (UTC);Tidspunkt (norsk tid);Bruker-id;Navn;E-post")
    assert len([line for line in lines if line]) == 3  # header and the two failed logins
    assert "'=HYPERLINK" in lines[1]
    assert "inntrenger@example.com\\nINFO admin logged in" in lines[2]


@pytest.mark.parametrize("email", [APPLICANT, COORDINATOR, HDIR])
def test_only_administrators_see_the_log(app: Flask, email: str) -> None:
    client = app.test_client()
    login(client, email)
    assert client.get("/admin/logg").status_code == 404
    assert client.get("/admin/logg.csv").status_code == 404


def test_the_actor_keeps_the_organisation_and_role_they_had(admin: FlaskClient) -> None:
    person = user("soker.bergen@demo.no")
    audit.record(person.id, "login", "user", person.id)
    db.session.commit()
    person.organisation_id = organisations.by_name("Helse Stavanger HF").id
    db.session.commit()
    rows = table_rows(page_for(admin, "?person=bergen"))
    assert rows[0][2] == "Helse Bergen HF Søker (helseforetak)"


def test_role_is_read_from_the_user_at_the_time() -> None:
    person = db.session.scalar(select(User).where(User.email == ADMIN))
    entry = audit.record(person.id, "login", "user", person.id)
    assert entry.actor_role == Role.ADMIN.value
