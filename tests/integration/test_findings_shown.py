"""A point's findings are shown once it has been worked on or when asked for, never in red on
the first arrival; a refused save puts an error summary at the top that takes the focus."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from soknad.domain.findings_shown import FIRST_VERSION, findings_shown
from soknad.models import ApplicationSection
from tests.factories import login, make_application, page

BOX = "Dette mangler eller bør sjekkes i punktet"
FIELD = "sentralisering"  # point 3: «Hvorfor bør behandlingstilbudet sentraliseres?»


@pytest.fixture
def applicant(client: FlaskClient) -> FlaskClient:
    login(client, "soker.ous@demo.no")
    return client


def test_a_new_points_version_is_the_first_one() -> None:
    column = ApplicationSection.__table__.c.version
    assert column.default.arg == FIRST_VERSION


@pytest.mark.parametrize(("version", "started", "asked", "refused", "shown"), [
    (1, False, False, False, False),  # first arrival at an untouched point
    (2, False, False, False, True),   # saved once (form or autosave), even if emptied again
    (1, True, False, False, True),    # holds answers from the start (made from a document)
    (1, False, True, False, True),    # asked for: «Kontroller søknaden» and its links
    (1, False, False, True, True),    # a refused save: what was typed, checked as typed
])
def test_when_findings_are_shown(version: int, started: bool, asked: bool, refused: bool,
                                 shown: bool) -> None:
    assert findings_shown(version, started, asked=asked, refused=refused) is shown


def marks(html: str) -> dict[str, bool]:
    """What the person sees of findings: the box at the top, red messages, invalid fields."""
    return {"box": BOX in html, "red": 'class="error-message"' in html,
            "invalid": 'aria-invalid="true"' in html}


NONE = {"box": False, "red": False, "invalid": False}
ALL = {"box": True, "red": True, "invalid": True}


def test_an_untouched_point_shows_no_findings_until_it_is_saved(applicant: FlaskClient) -> None:
    application = make_application()
    url = f"/soknader/{application.id}/punkt/p3"
    assert marks(page(applicant.get(url))) == NONE
    assert marks(page(applicant.get(url))) == NONE  # and again on the next visit

    response = applicant.post(url, data={"version": "1", "handling": "lagre"})
    assert response.status_code == 302  # saved (empty: not refused)
    assert marks(page(applicant.get(response.headers["Location"]))) == ALL
    assert marks(page(applicant.get(url))) == ALL  # on every later visit too


def test_an_autosave_counts_as_worked_on(applicant: FlaskClient) -> None:
    application = make_application()
    url = f"/soknader/{application.id}/punkt/p3"
    assert marks(page(applicant.get(url))) == NONE
    saved = applicant.post(f"{url}/autolagre", data={"version": "1", "handling": "autolagre",
                                                     FIELD: "Kort tekst."})
    assert saved.status_code == 200
    html = page(applicant.get(url))
    assert BOX in html


def test_asking_for_the_check_shows_the_findings(applicant: FlaskClient) -> None:
    application = make_application()
    check = page(applicant.get(f"/soknader/{application.id}/kontroll"))
    link = f"/soknader/{application.id}/punkt/p3?sjekk=1#felt-{FIELD}"
    assert f'href="{link}"' in check
    assert marks(page(applicant.get(link.partition("#")[0]))) == ALL


def test_a_refused_save_puts_a_focused_summary_with_links_at_the_top(
        applicant: FlaskClient) -> None:
    application = make_application()
    url = f"/soknader/{application.id}/punkt/p3"
    response = applicant.post(url, data={"version": "1", "handling": "lagre",
                                         FIELD: "x" * 30_001})
    assert response.status_code == 422
    html = page(response)
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', html, re.S)
    assert summary is not None
    tag = summary.group(0)[:summary.group(0).index(">") + 1]
    for attribute in ('role="alert"', 'tabindex="-1"', "autofocus", 'id="feiloppsummering"'):
        assert attribute in tag
    assert "<h2>Punktet er ikke lagret</h2>" in summary.group(1)
    assert "Punktet er ikke lagret, fordi noe er for langt" in summary.group(1)
    assert re.search(rf'<a href="#{FIELD}">«[^»]+» har 30\W001 tegn', summary.group(1))
    assert html.index('id="feiloppsummering"') < html.index('class="section-form"')
    assert marks(html)["red"]  # the message at the field too
    assert f">{'x' * 30_001}</textarea>" in html  # nothing typed is lost


def test_a_conflict_summary_takes_the_focus(applicant: FlaskClient, app: Any) -> None:
    application = make_application()
    url = f"/soknader/{application.id}/punkt/p3"
    other = app.test_client()
    login(other, "soker2.ous@demo.no")
    assert other.post(url, data={"version": "1", FIELD: "Annen tekst"}).status_code == 302
    response = applicant.post(url, data={"version": "1", FIELD: "Min tekst"})
    assert response.status_code == 409
    html = page(response)
    assert re.search(r'<div class="error-summary" role="alert"\s+id="feiloppsummering" '
                     r'tabindex="-1" autofocus>', html)
    assert ">Min tekst</textarea>" in html
