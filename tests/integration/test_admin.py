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
        ({"role": "superuser"}, "Velg en rolle fra listen."),
        ({"organisation": "x"}, "Velg en organisasjon."),
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


# --------------------------------------------------------------------------- editing a user

def edit(client: FlaskClient, who: str, **overrides: str) -> Any:
    target = db.session.query(User).filter_by(email=who).one()
    data = {"name": target.name, "email": target.email, "role": target.role,
            "organisation": str(target.organisation_id),
            "active": "ja" if target.active else "nei", **overrides}
    return client.post(f"/admin/brukere/{target.id}", data=data)


def test_admin_edits_a_user_and_the_change_is_audited(admin: FlaskClient) -> None:
    from soknad.models import AuditEntry

    stavanger = organisations.by_name("Helse Stavanger HF")
    response = edit(admin, "soker.bergen@demo.no", name="Ingrid Vik Hansen",
                    email="Ingrid.Hansen@Helse-Bergen.no", organisation=str(stavanger.id))
    assert response.status_code == 302
    html = admin.get("/admin/brukere").get_data(as_text=True)
    assert "Endret navn, e-postadresse, organisasjon for Ingrid Vik Hansen." in html
    changed = db.session.query(User).filter_by(email="ingrid.hansen@helse-bergen.no").one()
    assert (changed.name, changed.organisation.name) == ("Ingrid Vik Hansen",
                                                         "Helse Stavanger HF")
    entry = db.session.query(AuditEntry).filter_by(action="user_updated").one()
    assert entry.object_id == changed.id
    assert entry.data["organisation"] == ["Helse Bergen HF", "Helse Stavanger HF"]
    assert entry.data["email"] == ["soker.bergen@demo.no", "ingrid.hansen@helse-bergen.no"]


def test_deactivating_on_the_edit_page_ends_the_users_sessions(app: Any,
                                                              admin: FlaskClient) -> None:
    other = app.test_client()
    login(other, "soker.bergen@demo.no")
    assert other.get("/kalender").status_code == 200
    assert edit(admin, "soker.bergen@demo.no", active="nei").status_code == 302
    assert other.get("/kalender").status_code == 302  # sent to log in


@pytest.mark.parametrize(
    ("who", "overrides", "message"),
    [
        ("soker.bergen@demo.no", {"email": "ikke-en-adresse"},
         "«ikke-en-adresse» er ikke en gyldig e-postadresse. Skriv den som navn@domene.no."),
        ("soker.bergen@demo.no", {"email": "soker.ous@demo.no"},
         "Det finnes allerede en bruker med e-postadressen soker.ous@demo.no."),
        ("soker.bergen@demo.no", {"name": "  "}, "Skriv navnet på brukeren."),
        ("soker.bergen@demo.no", {"name": "N" * 201}, "Navnet har 201 tegn; høyst 200 kan lagres."),
        ("soker.bergen@demo.no", {"role": "coordinator"},
         "En bruker med rollen «RHF-koordinator» kan ikke høre til Helse Bergen HF."),
        ("admin@demo.no", {"role": "directorate"},
         "Du kan ikke fjerne din egen administratorrolle."),
        ("admin@demo.no", {"active": "nei"}, "Du kan ikke deaktivere deg selv."),
        # Values not on the lists (a tampered or stale form): Norwegian, not WTForms' English.
        ("soker.bergen@demo.no", {"role": "superuser"}, "Velg en rolle fra listen."),
        ("soker.bergen@demo.no", {"organisation": "abc"}, "Velg en organisasjon."),
        ("soker.bergen@demo.no", {"organisation": "999999"}, "Velg en organisasjon."),
        ("soker.bergen@demo.no", {"active": "kanskje"}, "Velg aktiv eller deaktivert."),
        ("soker.bergen@demo.no", {"active": ""}, "Velg aktiv eller deaktivert."),
    ],
)
def test_editing_a_user_explains_every_error_and_keeps_what_was_typed(
        admin: FlaskClient, who: str, overrides: dict[str, str], message: str) -> None:
    before = db.session.query(User).filter_by(email=who).one()
    kept = (before.name, before.email, before.role, before.active)
    response = edit(admin, who, **{"name": "Nytt Navn", **overrides})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    typed_name = overrides.get("name", "Nytt Navn")
    if typed_name.strip():
        assert f'value="{typed_name}"' in html
    if "email" in overrides:
        assert f'value="{overrides["email"]}"' in html
    db.session.expire_all()
    after = db.session.get(User, before.id)
    assert (after.name, after.email, after.role, after.active) == kept


def test_saving_without_changes_says_so(admin: FlaskClient) -> None:
    edit(admin, "soker.bergen@demo.no")
    assert "Ingenting er endret for Ingrid Vik." in admin.get("/admin/brukere").get_data(
        as_text=True)


def test_the_edit_page_shows_the_user(admin: FlaskClient) -> None:
    target = db.session.query(User).filter_by(email="soker.bergen@demo.no").one()
    html = admin.get(f"/admin/brukere/{target.id}").get_data(as_text=True)
    assert "<h1>Endre bruker: Ingrid Vik</h1>" in html
    assert 'value="soker.bergen@demo.no"' in html
    assert "Send lenke for å sette passord" in html
    assert admin.get("/admin/brukere/999999").status_code == 404
