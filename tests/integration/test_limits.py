"""Nothing typed is dropped: an answer over a limit is refused at save with the limit named at
the field and the text kept, and one post of a point is one transaction."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from soknad.domain import files
from soknad.extensions import db
from soknad.models import Attachment
from soknad.services import applications
from tests.factories import login, make_application

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NBSP = "\u00a0"


def html(response: Any) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def applicant(client: FlaskClient) -> FlaskClient:
    login(client, "soker.ous@demo.no")
    return client


def people(count: int) -> dict[str, str]:
    """``count`` professionals as the form posts them without JavaScript."""
    rows: dict[str, str] = {}
    for index in range(count):
        rows |= {f"fagpersoner-{index}-navn": f"Fagperson {index + 1}",
                 f"fagpersoner-{index}-yrke": "Lege",
                 f"fagpersoner-{index}-kompetanse": "Ortopedi",
                 f"fagpersoner-{index}-stillingsandel": "20"}
    return rows


def stored_rows(application: Any) -> list[dict[str, str]]:
    return applications.section_row(application, "p7").data["fagpersoner"]


def test_two_hundred_professionals_are_all_stored(applicant: FlaskClient) -> None:
    application = make_application()
    response = applicant.post(f"/soknader/{application.id}/punkt/p7",
                              data={"version": "1", **people(200)})
    assert response.status_code == 302
    rows = stored_rows(application)
    assert len(rows) == 200
    assert rows[-1]["navn"] == "Fagperson 200"
    page = html(applicant.get(response.headers["Location"]))
    assert "Lagret kl." in page
    assert 'name="fagpersoner-199-navn" rows="2" data-max-chars="2000">Fagperson 200<' in page
    assert "Høyst 200 rader, og høyst 2" + NBSP + "000 tegn i hver rute." in page


@pytest.mark.parametrize("endpoint", ["", "/autolagre"])
def test_a_row_over_the_table_limit_refuses_the_save_and_keeps_every_row(
        applicant: FlaskClient, endpoint: str) -> None:
    application = make_application()
    response = applicant.post(f"/soknader/{application.id}/punkt/p7{endpoint}",
                              data={"version": "1", **people(201), "tverrfaglig": "Ny tekst"})
    assert response.status_code == 422
    expected = ("«Fagpersoner som avsettes til tjenesten» har 201 rader; høyst 200 kan lagres. "
                "Fjern 1 rad.")
    if endpoint:
        assert response.json["reason"] == "limit"
        assert expected in response.json["message"]
        assert response.json["fields"] == {"fagpersoner": [expected]}
    else:
        page = html(response)
        assert 'id="funn-fagpersoner-1"' in page  # the message at the field
        assert expected in page
        assert "Punktet er ikke lagret, fordi noe er for langt" in page
        assert ">Fagperson 201</textarea>" in page  # nothing typed is dropped
        assert ">Ny tekst</textarea>" in page
    row = applications.section_row(application, "p7")
    assert (row.version, row.data["fagpersoner"], row.data["tverrfaglig"]) == (1, [], "")


def test_adding_a_row_past_the_limit_says_so_and_saves_the_rest(applicant: FlaskClient) -> None:
    application = make_application()
    url = f"/soknader/{application.id}/punkt/p7"
    response = applicant.post(url, data={"version": "1", **people(200), "tverrfaglig": "Tekst",
                                         "handling": "legg_til:fagpersoner"})
    assert response.status_code == 302
    assert len(stored_rows(application)) == 200
    page = html(applicant.get(response.headers["Location"]))
    assert ("«Fagpersoner som avsettes til tjenesten» har allerede 200 rader, og høyst 200 kan "
            "lagres. Ingen rad er lagt til.") in page


@pytest.mark.parametrize("endpoint", ["", "/autolagre"])
def test_a_text_over_30000_characters_is_refused_at_save_and_shown_again(
        applicant: FlaskClient, endpoint: str) -> None:
    application = make_application()
    long_text = "Et svar. " * 3334  # 30 006 characters, stripped 30 005
    response = applicant.post(f"/soknader/{application.id}/punkt/p3{endpoint}",
                              data={"version": "1", "sentralisering": long_text})
    assert response.status_code == 422
    expected = (f"har 30{NBSP}005 tegn; høyst 30{NBSP}000 kan lagres. Kort ned teksten med 5 "
                "tegn.")
    body = response.json["message"] if endpoint else html(response)
    assert expected in body
    if not endpoint:
        assert long_text.strip() in body
        assert f"30{NBSP}005 av høyst 30{NBSP}000 tegn – fjern 5 tegn" in body  # the counter
    assert applications.section_row(application, "p3").data["sentralisering"] == ""


def test_the_limit_and_the_count_stand_at_the_field_before_it_is_reached(
        applicant: FlaskClient) -> None:
    application = make_application(answers={"sentralisering": "Tolv tegn!!"})
    page = html(applicant.get(f"/soknader/{application.id}/punkt/p3"))
    assert (f'<p class="char-count " id="tegn-sentralisering">11 av høyst 30{NBSP}000 tegn</p>'
            in page)
    assert 'aria-describedby="tegn-sentralisering"' in page  # read with the field


def test_a_table_cell_over_its_limit_is_refused(applicant: FlaskClient) -> None:
    application = make_application()
    response = applicant.post(f"/soknader/{application.id}/punkt/p7", data={
        "version": "1", **people(3), "fagpersoner-1-kompetanse": "k" * 2_001})
    assert response.status_code == 422
    assert (f"Rad 2 i «Fagpersoner som avsettes til tjenesten», «Kompetanse»: 2{NBSP}001 tegn; "
            f"høyst 2{NBSP}000 kan lagres.") in html(response)
    assert stored_rows(application) == []


def test_an_import_over_a_limit_is_refused_with_the_reason() -> None:
    with pytest.raises(applications.OverLimitError, match="har 201 rader"):
        make_application(answers={"fagpersoner": [
            {"navn": f"P{n}", "yrke": "Lege", "kompetanse": "k", "stillingsandel": "10"}
            for n in range(201)]})


def test_the_same_person_twice_is_one_of_the_three(applicant: FlaskClient) -> None:
    application = make_application()
    rows = people(3) | {"fagpersoner-2-navn": "fagperson 1"}
    response = applicant.post(f"/soknader/{application.id}/punkt/p7",
                              data={"version": "1", **rows})
    page = html(applicant.get(response.headers["Location"]))
    assert ("Rad 3 i «Fagpersoner som avsettes til tjenesten» har samme navn som rad 1 "
            "(fagperson 1). Hver rad skal være en egen person eller oppføring, så rad 3 teller "
            "ikke med.") in page
    assert "må ha minst 3 fullstendige rader (har 2)." in page


def test_a_failure_while_storing_a_file_stores_neither_the_text_nor_the_file(
        applicant: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """One post is one transaction: before, the text was committed before the file failed."""
    application = make_application()

    def broken_disk(*args: Any) -> Any:
        raise OSError("disk failure")

    monkeypatch.setattr(files, "detect", broken_disk)
    response = applicant.post(f"/soknader/{application.id}/punkt/p2", data={
        "version": "1", "volum_beskrivelse": "Skrevet før filen feilet",
        "p2_dokumentasjon__filer": (BytesIO(PDF), "rapport.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 500
    page = html(response)
    assert "Det skjedde en feil hos oss, og punktet er ikke lagret – heller ikke filene" in page
    assert "Skrevet før filen feilet</textarea>" in page  # the text is given back
    row = applications.section_row(application, "p2")
    assert row.version == 1
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_text_files_and_a_removal_are_saved_together(applicant: FlaskClient) -> None:
    application = make_application()
    url = f"/soknader/{application.id}/punkt/p2"
    applicant.post(url, data={"version": "1", "p2_dokumentasjon__filer": (BytesIO(PDF), "a.pdf")},
                   content_type="multipart/form-data")
    first = db.session.scalars(select(Attachment)).one()
    response = applicant.post(url, data={
        "version": "2", "volum_beskrivelse": "Ny tekst", "fjern_vedlegg": str(first.id),
        "p2_dokumentasjon__filer": [(BytesIO(PDF + b" "), "b.pdf"), (BytesIO(b"MZ"), "c.pdf")]},
        content_type="multipart/form-data")
    assert response.status_code == 302
    page = html(applicant.get(url))
    assert "Vedlegget «b.pdf» er lagt ved." in page
    assert "Vedlegget «c.pdf» ble ikke lagret:" in page
    assert "Vedlegget er fjernet fra søknaden." in page
    assert applications.section_row(application, "p2").data["volum_beskrivelse"] == "Ny tekst"
    names = {item.display_name: item.removed_at is None
             for item in db.session.scalars(select(Attachment))}
    assert names == {"a.pdf": False, "b.pdf": True}
