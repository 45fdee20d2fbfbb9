"""The region's RHF records that an approved service was established: a date (not in the
future, not before the approval), a confirmation, the registry and the audit log, and the
calendar's «ikke registrert som etablert» goes away."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from flask import Flask

from soknad.domain.workflow import State
from soknad.extensions import db
from soknad.models import Application, AuditEntry, NationalService
from tests.calendar_helpers import approved
from tests.factories import client_for, page

COORDINATOR = "koordinator.sorost@demo.no"
APPROVED_ON = datetime(2027, 11, 20, 11, tzinfo=UTC)
LATER = datetime(2028, 3, 10, 9, tzinfo=UTC)


@pytest.fixture
def service() -> NationalService:
    with time_machine.travel(APPROVED_ON):
        application = approved("soker.ous@demo.no")
    return db.session.query(NationalService).filter_by(application_id=application.id).one()


def test_the_rhf_records_the_establishment_after_a_confirmation(
        app: Flask, service: NationalService) -> None:
    url = f"/tjenester/{service.id}"
    with time_machine.travel(LATER):
        coordinator = client_for(app, COORDINATOR)
        calendar = page(coordinator.get("/kalender"))
        assert "1 godkjent tjeneste er ikke registrert som etablert" in calendar
        shown = page(coordinator.get(url))
        assert "Ikke registrert som etablert ennå" in shown
        assert f'href="{url}/etablert"' in shown
        confirm = page(coordinator.post(f"{url}/etablert", data={"dato": "2028-03-01"}))
        assert "<h1>Bekreft at tjenesten er etablert</h1>" in confirm
        assert "1. mars 2028" in confirm
        db.session.expire_all()
        assert db.session.get(NationalService, service.id).established_on is None  # not yet
        done = page(coordinator.post(f"{url}/etablert/bekreft", data={"dato": "2028-03-01"},
                                     follow_redirects=True))
        assert "Tjenesten er registrert som etablert." in done
        assert '<dt>Etablert</dt><dd><time datetime="2028-03-01">1. mars 2028</time>' in done
        assert f'href="{url}/etablert"' not in done  # once only
        assert "ikke registrert som etablert" not in page(coordinator.get("/kalender"))
    db.session.expire_all()
    row = db.session.get(NationalService, service.id)
    assert row.established_on.isoformat() == "2028-03-01"
    assert db.session.get(Application, row.application_id).state_enum is State.ESTABLISHED
    entry = db.session.query(AuditEntry).filter_by(action="service_established").one()
    assert entry.object_id == service.id
    assert entry.data["established_on"] == "2028-03-01"


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Skriv datoen tjenesten ble etablert"),
    ("1. mars", "Skriv datoen tjenesten ble etablert"),
    ("2028-03-11", "Etableringsdatoen kan ikke være en dag som ikke har kommet ennå."),
    ("2027-11-19", "Etableringsdatoen kan ikke være før tjenesten ble godkjent."),
])
@pytest.mark.parametrize("step", ["etablert", "etablert/bekreft"])
def test_a_wrong_establishment_date_is_refused_and_kept(
        app: Flask, service: NationalService, typed: str, message: str, step: str) -> None:
    with time_machine.travel(LATER):
        response = client_for(app, COORDINATOR).post(f"/tjenester/{service.id}/{step}",
                                                     data={"dato": typed})
    assert response.status_code == 422
    assert f'<a href="#etablert-dato">{message}' in page(response)
    assert f'value="{typed}"' in page(response)
    db.session.expire_all()
    assert db.session.get(NationalService, service.id).established_on is None


@pytest.mark.parametrize("email", ["koordinator.vest@demo.no", "soker.ous@demo.no",
                                   "hdir@demo.no", "admin@demo.no"])
def test_nobody_else_sees_the_button_or_the_page(app: Flask, service: NationalService,
                                                 email: str) -> None:
    with time_machine.travel(LATER):
        client = client_for(app, email)
        assert "/etablert" not in page(client.get(f"/tjenester/{service.id}"))
        assert client.get(f"/tjenester/{service.id}/etablert").status_code == 404
        assert client.post(f"/tjenester/{service.id}/etablert/bekreft",
                           data={"dato": "2028-03-01"}).status_code == 404
