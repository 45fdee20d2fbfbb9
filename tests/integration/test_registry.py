"""The registry of national services: import of the real list, and the pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from soknad.extensions import db
from soknad.models import NationalService, NationalServiceEvent
from soknad.services import registry
from tests.factories import login, page

CSV = Path(__file__).resolve().parents[2] / "data" / "nasjonale_tjenester.csv"

# Exactly what the published ICD-10 column holds that WHO ICD-10 does not know.
EXPECTED_UNPARSED = [
    ("Nasjonal behandlingstjeneste for kompleks epilepsi med behov for høyspesialisert "
     "behandling", ("R44.5",)),
    ("Nasjonal behandlingstjeneste for revmatologisk rehabilitering", ("Z50.80",)),
    ("Nasjonal behandlingstjeneste for særlig avanserte bekkenskader", ("S34.7",)),
    ("Nasjonal behandlingstjeneste for avansert brannskadebehandling",
     ("Z50.80", "Z50.89")),
    ("Nasjonal behandlingstjeneste for gynekologiske fistler", ("82.8",)),
    ("Nasjonal behandlingstjeneste for avansert invasiv fostermedisin",
     ("MAA06", "MAA40", "MAA30", "MAA96", "RXGG05", "MAJ00", "MAJ10", "MAW96")),
]


def test_all_105_services_are_imported_and_reimporting_changes_nothing(app: Flask) -> None:
    db.session.query(NationalServiceEvent).delete()
    db.session.query(NationalService).delete()
    db.session.commit()
    first = registry.import_file(CSV)
    assert (first.created, first.updated, first.unchanged) == (105, 0, 0)
    again = registry.import_file(CSV)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 105)
    assert db.session.query(NationalService).count() == 105


def test_the_report_of_unreadable_icd10_text_is_exact(app: Flask) -> None:
    report = registry.import_file(CSV)
    assert report.unparsed == EXPECTED_UNPARSED


def test_messy_codes_are_normalised_and_the_original_kept(app: Flask) -> None:
    burns = db.session.query(NationalService).filter(
        NationalService.name_nb.like("%brannskade%")).one()
    assert burns.icd10_text == "T20-25; T29-32; T95; L51.2; Z50.80; Z50.89"
    assert burns.icd10_codes == ["T20-T25", "T29-T32", "T95", "L51.2"]
    gender = db.session.query(NationalService).filter(
        NationalService.icd10_text.like("%F.64.1%")).one()
    assert "F64.1" in gender.icd10_codes


@pytest.fixture
def signed_in(client: FlaskClient) -> FlaskClient:
    login(client, "koordinator.vest@demo.no")
    return client


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("?icd10=C40", "Flerregional behandlingstjeneste for kirurgi ved bensarkom",
         "Nasjonal behandlingstjeneste for gynekologiske fistler"),
        ("?icd10=q25.1", "Nasjonal behandlingstjeneste for",  # Q20-Q28 covers Q25.1
         "Nasjonal behandlingstjeneste for gynekologiske fistler"),
        ("?q=bensarkom", "Flerregional behandlingstjeneste for kirurgi ved bensarkom",
         "epilepsi"),
        ("?type=nasjonal_kompetansetjeneste&region=helse-nord",
         "Nasjonal kompetansetjeneste", "Nasjonal behandlingstjeneste for"),
        ("?aar=2011&icd10=C40", "2011", "2016"),
    ],
)
def test_registry_search_filters(signed_in: FlaskClient, query: str, present: str,
                                 absent: str) -> None:
    html = page(signed_in.get(f"/tjenester/{query}"))
    assert present in html
    assert absent not in html


def test_a_chapter_finds_every_service_with_a_code_in_it(signed_in: FlaskClient) -> None:
    html = page(signed_in.get("/tjenester/?icd10=II"))
    assert "Flerregional behandlingstjeneste for kirurgi ved bensarkom" in html  # C40
    assert "kompleks epilepsi" not in html  # G40


def test_a_bad_search_gets_a_norwegian_message(signed_in: FlaskClient) -> None:
    response = signed_in.get("/tjenester/?icd10=xyz&aar=tjue")
    assert response.status_code == 422
    html = page(response)
    assert "«xyz» er ikke en ICD-10-kode, et område eller et kapittel" in html
    assert "«tjue» er ikke et årstall." in html


def test_service_page_shows_the_original_text_and_the_codes(signed_in: FlaskClient) -> None:
    burns = db.session.query(NationalService).filter(
        NationalService.name_nb.like("%brannskade%")).one()
    html = page(signed_in.get(f"/tjenester/{burns.id}"))
    assert f"<h1>{burns.name_nb}</h1>" in html
    assert "Slik står det i kilden: «T20-25; T29-32; T95; L51.2; Z50.80; Z50.89»" in html
    assert "<strong>T20-T25</strong>" in html
    assert "Ikke WHO ICD-10: Z50.80; Z50.89" in html


def test_an_application_overlapping_a_service_is_warned_with_a_link(signed_in: FlaskClient,
                                                                    app: Flask) -> None:
    from tests.factories import make_application

    application = make_application(answers={"icd10": ["C40.2"], "navn_nb": "Ny tjeneste"})
    client = app.test_client()
    login(client, "soker.ous@demo.no")
    html = page(client.get(f"/soknader/{application.id}/punkt/p1"))
    assert ("Godkjente nasjonale tjenester dekker noe av det samme: Flerregional "
            "behandlingstjeneste for kirurgi ved bensarkom (felles ICD-10-koder: C40.2); "
            "Nasjonal behandlingstjeneste for fertilitetsbevarende behandling med autologt "
            "ovarialvev (felles ICD-10-koder: C40.2). Beskriv i «Ansvarsavklaring mot godkjente "
            "tjenester» hvordan ansvaret er fordelt mot hver av dem: én rad per tjeneste.") in html
    key = ("flerregional_behandlingstjeneste:"
           "flerregional-behandlingstjeneste-for-kirurgi-ved-bensarkom")
    link = f'href="/tjenester/nokkel/{key}"'
    assert link in html
    response = client.get(f"/tjenester/nokkel/{key}", follow_redirects=True)
    assert "<h1>Flerregional behandlingstjeneste for kirurgi ved bensarkom</h1>" in page(response)
