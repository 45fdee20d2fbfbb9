"""The application pages keep what is costly (the checked draft, the rendered fields, the
health trusts and the registry) between requests. What a person sees must still be what the
database holds now: a change made by someone else, or by another worker process, shows on the
next page; a change made by another worker process (here: a second database connection outside
the ORM), within CATALOGUE_RECHECK_SECONDS."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import BytesIO
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from soknad.extensions import db
from soknad.models import NationalService, Organisation
from soknad.services import attachments as attachment_service
from soknad.services import catalogue, organisations
from tests.factories import login, make_application, page, user

BONE_SARCOMA = ("Flerregional behandlingstjeneste for kirurgi ved bensarkom (felles ICD-10-koder: "
                "C40.2)")
OVARIAN_TISSUE = ("Nasjonal behandlingstjeneste for fertilitetsbevarende behandling med "
                  "autologt ovarialvev (felles ICD-10-koder: C40.2)")


def from_another_worker(statement: str, **values: Any) -> None:
    with db.engine.begin() as connection:
        connection.execute(text(statement), values)


@pytest.fixture
def applicant(client: FlaskClient) -> FlaskClient:
    login(client, "soker.ous@demo.no")
    return client


@pytest.fixture
def later(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Move the catalogue's clock past the time after which a worker checks the database."""
    now = [1_000_000.0]
    monkeypatch.setattr(catalogue, "clock", lambda: now[0])

    def step() -> None:
        now[0] += app.config["CATALOGUE_RECHECK_SECONDS"]

    return step


def health_trust_names() -> set[str]:
    db.session.rollback()  # the next transaction
    return {entry.name for entry in organisations.health_trusts()}


def test_a_registry_change_in_another_worker_shows_within_the_recheck_time(
        applicant: FlaskClient, later: Callable[[], None]) -> None:
    application = make_application(answers={"icd10": ["C40.2"]})
    url = f"/soknader/{application.id}/punkt/p1"
    before = page(applicant.get(url))
    assert BONE_SARCOMA in before
    assert OVARIAN_TISSUE in before

    from_another_worker("DELETE FROM national_service WHERE name_nb LIKE :name",
                        name="%bensarkom%")
    assert BONE_SARCOMA in page(applicant.get(url))  # this worker has not looked yet
    later()

    after = page(applicant.get(url))
    assert BONE_SARCOMA not in after
    assert ("Godkjente nasjonale tjenester dekker noe av det samme: "
            f"{OVARIAN_TISSUE}. Beskriv i «Ansvarsavklaring mot godkjente tjenester» hvordan "
            "ansvaret er fordelt mot hver av dem: én rad per tjeneste.") in after


def test_a_health_trust_added_in_another_worker_is_known_within_the_recheck_time(
        app: Flask, later: Callable[[], None]) -> None:
    assert "Nytt testsykehus HF" not in health_trust_names()
    from_another_worker(
        "INSERT INTO organisation (name, kind, region, private_nonprofit, active) "
        "VALUES ('Nytt testsykehus HF', 'hf', 'helse-vest', false, true)")
    later()
    assert "Nytt testsykehus HF" in health_trust_names()
    assert catalogue.current() is catalogue.current()  # read once per transaction


def test_a_health_trust_deactivated_in_another_worker_is_dropped_within_the_recheck_time(
        app: Flask, later: Callable[[], None]) -> None:
    assert "Helse Bergen HF" in health_trust_names()
    from_another_worker("UPDATE organisation SET active = false WHERE name = :name",
                        name="Helse Bergen HF")
    later()
    assert "Helse Bergen HF" not in health_trust_names()


def test_a_change_through_this_worker_is_seen_at_once(app: Flask,
                                                      later: Callable[[], None]) -> None:
    assert "Nytt testsykehus HF" not in health_trust_names()
    db.session.add(Organisation(name="Nytt testsykehus HF", kind="hf", region="helse-vest"))
    db.session.commit()
    assert "Nytt testsykehus HF" in health_trust_names()  # without waiting


def test_a_service_entered_from_a_decision_is_checked_against_at_once(
        applicant: FlaskClient, later: Callable[[], None]) -> None:
    application = make_application(answers={"icd10": ["Q99.8"]})
    url = f"/soknader/{application.id}/punkt/p1"
    assert "for testformål" not in page(applicant.get(url))
    db.session.add(NationalService(
        key="nasjonal_behandlingstjeneste:test", source="vedtak",
        service_type="nasjonal_behandlingstjeneste", regions=["helse-vest"],
        name_nb="Nasjonal behandlingstjeneste for testformål", location="Helse Bergen HF",
        icd10_text="Q99.8", icd10_codes=["Q99.8"]))
    db.session.commit()
    assert ("Nasjonal behandlingstjeneste for testformål (felles ICD-10-koder: Q99.8)"
            in page(applicant.get(url)))


def test_a_save_by_someone_else_shows_its_text_and_findings_on_the_next_page(
        applicant: FlaskClient, app: Flask) -> None:
    application = make_application()
    url = f"/soknader/{application.id}/punkt/p1"
    first = page(applicant.get(url))
    assert "0 av høyst 100 ord" in first
    assert "Fjern 1 ord" not in first

    colleague = app.test_client()
    login(colleague, "soker2.ous@demo.no")
    long_text = " ".join(f"ord{n}" for n in range(101))
    assert colleague.post(url, data={"version": "1", "beskrivelse": long_text}).status_code == 302

    second = page(applicant.get(url))
    assert long_text in second
    assert 'name="version" value="2"' in second
    assert "har 101 ord; høyst 100 ord er tillatt. Fjern 1 ord." in second
    assert "101 av høyst 100 ord" in second

    assert colleague.post(url, data={"version": "2", "beskrivelse": "Kort."}).status_code == 302
    third = page(applicant.get(url))
    assert long_text not in third
    assert "Kort.</textarea>" in third
    assert "Fjern 1 ord" not in third
    assert 'name="version" value="3"' in third


def test_the_points_list_follows_a_save_of_another_point(applicant: FlaskClient) -> None:
    application = make_application()
    url = f"/soknader/{application.id}/punkt/p1"
    link = re.compile(r'punkt/p3".*?<span class="badge badge-[a-z_-]+">([^<]+)</span>', re.S)
    before = link.search(page(applicant.get(url))).group(1)
    assert applicant.post(f"/soknader/{application.id}/punkt/p3",
                          data={"version": "1", "sentralisering": "Begrunnelse."}
                          ).status_code == 302
    after = link.search(page(applicant.get(url))).group(1)
    assert (before, after) == ("Ikke påbegynt", "Mangler noe")


def test_an_attachment_is_listed_on_the_point_at_once_and_gone_when_removed(
        applicant: FlaskClient) -> None:
    application = make_application()
    url = f"/soknader/{application.id}/punkt/p2"
    assert "rapport.pdf" not in page(applicant.get(url))
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = applicant.post(f"{url}/vedlegg", data={
        "field": "p2_dokumentasjon", "fil": (BytesIO(pdf), "rapport.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 200, page(response)[:300]
    html = page(applicant.get(url))
    assert re.search(r'<a href="/soknader/\d+/vedlegg/\d+">rapport.pdf</a>', html)
    assert "Ingen vedlegg ennå." not in html

    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    removed = applicant.post(url, data={"version": version, "handling": "lagre",
                                        "fjern_vedlegg": str(response.json["id"])})
    assert removed.status_code == 302
    html = page(applicant.get(url))
    assert "rapport.pdf" not in html
    assert "Ingen vedlegg ennå." in html


def test_an_attachment_removed_elsewhere_is_gone_from_the_point(applicant: FlaskClient) -> None:
    application = make_application()
    url = f"/soknader/{application.id}/punkt/p2"
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    stored = attachment_service.store(application, "p2_dokumentasjon", BytesIO(pdf),
                                      "notat.pdf", user("soker2.ous@demo.no"))
    assert "notat.pdf" in page(applicant.get(url))
    attachment_service.remove(application, stored.id, user("soker2.ous@demo.no"))
    db.session.commit()
    assert "notat.pdf" not in page(applicant.get(url))
