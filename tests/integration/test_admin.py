"""The administrator's user pages."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from soknad.extensions import db
from soknad.models import User
from soknad.services import organisations
from tests.factories import login


@pytest.fixture
def admin(client: FlaskClient) -> FlaskClient:
    login(client, "admin@demo.no")
    return client


def new_user(client: FlaskClient, **overrides: str) -> Any:
    organisation = organisations.by_name("Helse Stavanger HF")
    data = {"name": "Siri Nilsen", "email": "siri.nilsen@sus.no", "role": "applicant",
            "organisation": str(organisation.id), "password": "et-langt-passord", **overrides}
    return client.post("/admin/brukere", data=data)


def test_admin_creates_a_user_who_can_log_in(admin: FlaskClient, app: Any) -> None:
    response = new_user(admin, email="Øyvind.Berg@Helse-Stavanger.no")
    assert response.status_code == 302
    html = admin.get("/admin/brukere").get_data(as_text=True)
    assert "Brukeren Siri Nilsen (øyvind.berg@helse-stavanger.no) er opprettet." in html
    other = app.test_client()
    result = other.post("/logg-inn", data={"email": "øyvind.berg@helse-stavanger.no",
                                           "password": "et-langt-passord"})
    assert result.status_code == 302


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "ikke-en-adresse"}, "«ikke-en-adresse» er ikke en gyldig e-postadresse."),
        ({"email": "a@b"}, "«a@b» er ikke en gyldig e-postadresse."),
        ({"email": "soker.ous@demo.no"},
         "Det finnes allerede en bruker med e-postadressen soker.ous@demo.no."),
        ({"role": "coordinator"},
         "En bruker med rollen «RHF-koordinator» kan ikke høre til Helse Stavanger HF."),
        ({"password": "kort"}, "Passordet må ha minst 12 tegn."),
        ({"email": "x@" + "a" * 250 + ".no"}, "er ikke en gyldig e-postadresse."),
    ],
)
def test_admin_gets_a_clear_message_for_bad_input(admin: FlaskClient,
                                                  overrides: dict[str, str],
                                                  message: str) -> None:
    before = db.session.query(User).count()
    response = new_user(admin, **overrides)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert 'value="Siri Nilsen"' in html  # what was typed is kept
    assert db.session.query(User).count() == before


def test_a_name_longer_than_can_be_stored_is_refused_with_the_text_kept(
        admin: FlaskClient) -> None:
    """Before, 201 characters reached the database: a 500 on PostgreSQL."""
    name = "Siri " + "N" * 196
    response = new_user(admin, name=name)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Navnet har 201 tegn; høyst 200 kan lagres." in html
    assert f'value="{name}"' in html


def test_a_real_domain_is_accepted_without_a_network_lookup(admin: FlaskClient) -> None:
    assert new_user(admin, email="ola.nordmann@helse-nord.no").status_code == 302


def test_admin_can_deactivate_but_not_themselves(admin: FlaskClient) -> None:
    target = db.session.query(User).filter_by(email="soker.bergen@demo.no").one()
    own = db.session.query(User).filter_by(email="admin@demo.no").one()
    html = admin.post(f"/admin/brukere/{target.id}/aktiv", follow_redirects=True).get_data(
        as_text=True)
    assert "Ingrid Vik er deaktivert." in html
    html = admin.post(f"/admin/brukere/{own.id}/aktiv", follow_redirects=True).get_data(
        as_text=True)
    assert "Du kan ikke deaktivere deg selv." in html
    db.session.expire_all()
    assert db.session.get(User, own.id).active is True
    assert db.session.get(User, target.id).active is False
