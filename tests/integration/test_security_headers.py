"""The security headers (SEC-11, SEC-13): the same set on every kind of response a signed-in
user meets, pages, downloads and error pages alike."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from soknad import create_app
from soknad.extensions import db
from soknad.services import applications
from soknad.services import attachments as attachment_service
from soknad.web.auth import public
from tests.conftest import TEST_CONFIG
from tests.factories import login, make_application, sent_and_postponed, user

PDF = b"%PDF-1.4\n%%EOF\n"
APPLICANT = "soker.ous@demo.no"


def csp_directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        assert name not in directives, f"{name} twice"
        directives[name] = values
    return directives


def assert_security_headers(response: TestResponse) -> dict[str, list[str]]:
    headers = response.headers
    csp = csp_directives(headers["Content-Security-Policy"])
    for name in ("default-src", "script-src", "style-src", "img-src", "form-action"):
        assert csp[name] == ["'self'"], name
    for name in ("object-src", "base-uri", "frame-ancestors"):
        assert csp[name] == ["'none'"], name
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "unsafe-eval" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert {"camera=()", "microphone=()", "geolocation=()"} <= {
        item.strip() for item in headers["Permissions-Policy"].split(",")}
    assert headers["Cache-Control"] in ("no-store", "private, no-store")
    assert "Strict-Transport-Security" not in headers  # plain HTTP here; see the HSTS tests
    if headers["Content-Type"].startswith("text/"):  # JSON is UTF-8 by definition (RFC 8259)
        assert "charset=utf-8" in headers["Content-Type"]
    return csp


@dataclass(frozen=True)
class Page:
    name: str
    who: str | None
    status: int
    request: Callable[[FlaskClient, dict[str, int]], TestResponse]
    attachment: bool = False


def get(path: str) -> Callable[[FlaskClient, dict[str, int]], TestResponse]:
    return lambda client, ids: client.get(path.format(**ids))


def too_large(client: FlaskClient, ids: dict[str, int]) -> TestResponse:
    return client.post(f"/soknader/{ids['draft']}/punkt/p3",
                       data={"version": "1", "sentralisering": "x" * 4096})


PAGES = [
    Page("login page", None, 200, get("/logg-inn")),
    Page("applicant start", APPLICANT, 200, get("/soknader/")),
    Page("coordinator start", "koordinator.sorost@demo.no", 200, get("/rhf")),
    Page("directorate start", "hdir@demo.no", 200, get("/hdir")),
    Page("admin start", "admin@demo.no", 200, get("/admin/brukere")),
    Page("application page", APPLICANT, 200, get("/soknader/{draft}")),
    Page("application point", APPLICANT, 200, get("/soknader/{draft}/punkt/p3")),
    Page("Word download", APPLICANT, 200, get("/soknader/{submitted}/innsendt/1.docx"),
         attachment=True),
    Page("decision letter", APPLICANT, 200, get("/soknader/{sent}/vedtak/{decision}.docx"),
         attachment=True),
    Page("attachment download", APPLICANT, 200, get("/soknader/{draft}/vedlegg/{file}"),
         attachment=True),
    Page("JSON export", APPLICANT, 200, get("/soknader/{draft}/eksport.json"), attachment=True),
    Page("ZIP package", "hdir@demo.no", 200, get("/hdir/runder/2027/pakke.zip"),
         attachment=True),
    Page("Word template", "admin@demo.no", 200, get("/admin/dokumentmaler/soknad.docx"),
         attachment=True),
    Page("404", APPLICANT, 404, get("/finnes-ikke")),
    Page("404 of another role", APPLICANT, 404, get("/admin/brukere")),
    Page("405", APPLICANT, 405, get("/logg-ut")),
    Page("413", APPLICANT, 413, too_large),
    Page("500", APPLICANT, 500, get("/tilgjengelighet")),
]


@pytest.fixture
def ids() -> dict[str, int]:
    owner = user(APPLICANT)
    draft = make_application()
    file = attachment_service.store(draft, "p2_dokumentasjon", io.BytesIO(PDF), "Søknad æøå.pdf",
                                    owner)
    submitted = make_application(complete=True)
    applications.submit(submitted, owner)
    sent, decision, _ = sent_and_postponed(owner)
    return {"draft": draft.id, "file": file.id, "submitted": submitted.id, "sent": sent,
            "decision": decision}


@pytest.fixture
def small_requests_and_a_broken_page(app: Flask) -> Iterator[None]:
    """A 1 KiB request limit (for the 413) and a page that fails (for the 500)."""
    def broken() -> str:
        raise RuntimeError("feil med vilje")

    original = app.view_functions["home.accessibility"]
    app.view_functions["home.accessibility"] = public(broken)
    app.config["MAX_CONTENT_LENGTH"] = 1024
    yield
    app.view_functions["home.accessibility"] = original
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_REQUEST_MB"] * 1024 * 1024


@pytest.mark.usefixtures("small_requests_and_a_broken_page")
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_kind_of_response_carries_the_security_headers(
        client: FlaskClient, ids: dict[str, int], page: Page) -> None:
    if page.who:
        login(client, page.who)
    response = page.request(client, ids)
    response.close()
    assert response.status_code == page.status, response.get_data(as_text=True)[:300]
    csp = assert_security_headers(response)
    if page.attachment:
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert csp["sandbox"] == []  # a browser that renders it anyway runs nothing
    else:
        assert "sandbox" not in csp


def test_the_attachment_download_is_named_in_utf_8_and_not_cached(
        client: FlaskClient, ids: dict[str, int]) -> None:
    login(client, APPLICANT)
    response = client.get(f"/soknader/{ids['draft']}/vedlegg/{ids['file']}")
    body = response.data
    response.close()
    assert body == PDF
    assert "filename*=UTF-8''S%C3%B8knad%20%C3%A6%C3%B8%C3%A5.pdf" in (
        response.headers["Content-Disposition"])
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached_but_carry_the_other_headers(client: FlaskClient) -> None:
    response = client.get("/static/js/section.js")
    response.close()
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response.headers


def test_hsts_is_sent_over_https(client: FlaskClient) -> None:
    response = client.get("/logg-inn", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains")


@pytest.fixture
def make_app(database_url: str, tmp_path: Any) -> Iterator[Callable[..., Flask]]:
    made: list[Flask] = []

    def make(**config: Any) -> Flask:
        made.append(create_app({**TEST_CONFIG, "INSTANCE_PATH": str(tmp_path),
                                "DATABASE_URL": database_url, **config}))
        return made[-1]

    yield make
    for application in made:
        with application.app_context():
            db.engine.dispose()


def test_hsts_behind_a_tls_proxy_needs_the_forwarded_proto(make_app: Callable[..., Flask]
                                                           ) -> None:
    https = {"X-Forwarded-Proto": "https"}
    trusting = make_app(PROXY_FIX_X_PROTO=1).test_client()
    assert "Strict-Transport-Security" in trusting.get("/logg-inn", headers=https).headers
    untrusting = make_app().test_client()
    assert "Strict-Transport-Security" not in untrusting.get("/logg-inn", headers=https).headers


def test_hsts_can_be_left_to_the_proxy(make_app: Callable[..., Flask]) -> None:
    client = make_app(HSTS_SECONDS=0).test_client()
    response = client.get("/logg-inn", base_url="https://localhost")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response.headers
