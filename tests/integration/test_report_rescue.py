"""What the RHF and Helsedirektoratet write about a report survives an ended session: the post
asks for login, and after it the page comes back with the text, not yet recorded (as a health
trust's report part and an application's point do)."""

from __future__ import annotations

import html as html_lib
import re
from typing import NamedTuple

import pytest
from flask import Flask
from sqlalchemy import update

from soknad.domain.reports import ReportState
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import LoginSession
from soknad.models.types import utcnow
from soknad.services.demo import PASSWORD
from tests.factories import page, started_report, token_of
from tests.integration.test_report_writing import fresh

NOTE = "Tabellen over aktiviteten mangler tall for Helse Nord og Helse Midt-Norge i 2026."
COORDINATOR, HDIR = "koordinator.sorost@demo.no", "hdir@demo.no"


class Case(NamedTuple):
    email: str
    state: ReportState
    page: str  # where the form is
    post: str
    form: dict[str, str]
    told: str


CASES = [
    Case(COORDINATOR, ReportState.SENT, "/rhf/arsrapporter/?ar=2026",
         "/rhf/arsrapporter/{id}/returner", {"merknad": NOTE},
         "Merknaden du skrev, er satt inn igjen, men rapporten er ikke returnert ennå."),
    Case(HDIR, ReportState.FORWARDED, "/hdir/arsrapporter/{id}",
         "/hdir/arsrapporter/{id}/vurdering",
         {"vurdering": "oppfolging", "punkter": NOTE},
         "Teksten du skrev, er satt inn igjen, men den er ikke lagret ennå. Trykk «Registrer "
         "vurderingen»"),
    Case(HDIR, ReportState.FORWARDED, "/hdir/arsrapporter/{id}",
         "/hdir/arsrapporter/{id}/tillegg",
         {"tillegg": NOTE}, "Trykk «Be om tilleggsrapportering» for å lagre den."),
]


@pytest.mark.usefixtures("csrf_on")
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.post)
def test_an_ended_session_keeps_the_text_through_a_new_login(app: Flask, case: Case) -> None:
    report = started_report(service_type=ServiceType.NATIONAL_TREATMENT, complete=True,
                            state=case.state)
    target = case.post.format(id=report.id)
    client = app.test_client()
    login = page(client.get("/logg-inn"))
    assert client.post("/logg-inn", data={"email": case.email, "password": PASSWORD,
                                          "csrf_token": token_of(login)}).status_code == 302
    token = token_of(page(client.get(case.page.format(id=report.id))))
    db.session.execute(update(LoginSession).values(expires_at=utcnow()))
    db.session.commit()
    response = client.post(target, data={**case.form, "versjon": str(report.version),
                                         "csrf_token": token})
    html = page(response)
    assert response.status_code == 401
    rescued = dict(re.findall(r'<input type="hidden" name="(rescue__[^"]+)" value="([^"]*)"',
                              html))
    assert rescued
    response = client.post("/logg-inn", data={
        "email": case.email, "password": PASSWORD, "csrf_token": token_of(html),
        "rescue_target": target, **{key: html_lib.unescape(value)
                                    for key, value in rescued.items()}})
    html = html_lib.unescape(page(response))
    assert response.status_code == 200
    assert case.told in html
    assert NOTE in html
    assert fresh(report.id).state is case.state
