"""The three long lists (the RHF inbox, Helsedirektoratet's inbox, the registry): what a given
search, filter and sort in the address shows, read from the page as a user reads it (rows in
order, the count of hits). Run on SQLite and on PostgreSQL: «ØYE» must find «Øyeskader» on
both (SQLite's own lower() folds ASCII only)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import lxml.html
import pytest
from flask import Flask
from flask.testing import FlaskClient

from soknad import clock
from soknad.domain.coordination import Decision as Answer
from soknad.domain.roles import Role
from soknad.domain.service_types import ApplicationKind, ServiceType
from soknad.extensions import db
from soknad.models import Application
from soknad.services import applications, casework, coordination, directorate, joint, listing
from soknad.services import organisations as organisation_service
from soknad.services import users as user_service
from soknad.services.demo import PASSWORD
from tests.factories import CONTACT, COORDINATORS, login, make_application, user

OUS, BERGEN, STOLAV = "soker.ous@demo.no", "soker.bergen@demo.no", "soker.stolav@demo.no"
SOR_OST, HDIR = COORDINATORS[0], "hdir@demo.no"
SIV = "siv.saksbehandler@demo.no"


def titles(response: Any) -> list[str]:
    """The applications or services the list shows, in order (each row's link)."""
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    return [link.text_content().strip() for link in tree.xpath(
        "//table[@aria-labelledby='treff']/tbody/tr/th/a")]


def count_line(response: Any) -> str:
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    return " ".join(tree.xpath("//h2[@id='treff']")[0].text_content().split())


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    login(client, email)
    return client


def submitted(owner: str, title: str, service_type: ServiceType = ServiceType.NATIONAL_TREATMENT,
              kind: ApplicationKind = ApplicationKind.ESTABLISHMENT) -> Application:
    answers = {"navn_nb": title}  # a change of name: the new name is the title
    application = make_application(owner, service_type, kind, answers, complete=True)
    if kind is ApplicationKind.CHANGE_OF_CONTENT:
        # A change of content is titled by the registry service it changes (KIND_ANSWERS'
        # service); the lists are tested with titles of their own.
        application.title = title
        db.session.commit()
    applications.submit(application, user(owner))
    return db.session.get(Application, application.id)


# --------------------------------------------------------------------------- the RHF's inbox

ALFA, AERLIG, OYE, AANDE = ("Alfa-behandling", "ærlig kirurgi", "Øyeskader hos barn",
                            "Åndedrett ved søvn")


@pytest.fixture
def region_inbox(app: Flask) -> dict[str, int]:
    """Sør-Øst has four submitted applications (one returned, one accepted) and a draft."""
    oye = submitted(OUS, OYE)
    aerlig = submitted(OUS, AERLIG, ServiceType.NATIONAL_COMPETENCE,
                       ApplicationKind.CHANGE_OF_CONTENT)
    alfa = submitted(OUS, ALFA, ServiceType.MULTIREGIONAL_TREATMENT)
    submitted(OUS, AANDE)
    coordination.return_for_revision(aerlig, "Mer om pasientvolum", user(SOR_OST))
    coordination.accept(alfa, user(SOR_OST))
    make_application(OUS, answers={"navn_nb": "Zeta, bare et utkast"})
    submitted(BERGEN, "Bergens egen søknad")  # another region's: never in Sør-Øst's inbox
    return {"oye": oye.id}


@pytest.mark.parametrize(("query", "shown"), [
    ("?sorter=tittel", [ALFA, AERLIG, OYE, AANDE]),  # æ, ø, å after z, case aside
    ("?sorter=tittel&retning=synkende", [AANDE, OYE, AERLIG, ALFA]),
    ("?q=ØYE&sorter=tittel", [OYE]),  # capitals find small letters, æøå too
    ("?q=ÆRLIG", [AERLIG]),
    ("?q=åndedrett+SØVN", [AANDE]),  # every word must match
    ("?q=oslo+universitetssykehus&sorter=tittel", [ALFA, AERLIG, OYE, AANDE]),  # the HF's name
    ("?q=utkast", []),  # drafts are never listed
    ("?q=bergen", []),  # nor another region's
    ("?status=returned", [AERLIG]),
    ("?status=submitted&sorter=tittel", [OYE, AANDE]),
    ("?type=nasjonal_kompetansetjeneste", [AERLIG]),
    ("?gjelder=endring_innhold", [AERLIG]),
    ("?type=nasjonal_behandlingstjeneste&status=submitted&sorter=tittel", [OYE, AANDE]),
    ("?sorter=status", [OYE, AANDE, AERLIG, ALFA]),  # in the workflow's order, then by title
    ("?status=ukjent&sorter=tittel", [ALFA, AERLIG, OYE, AANDE]),  # a forged value: ignored
    ("?sorter=title%3B+DROP+TABLE+application&retning=x", None),  # not a sort key: default
])
def test_the_rhf_inbox_shows_what_the_search_asks_for(
        app: Flask, region_inbox: dict[str, int], query: str, shown: list[str] | None) -> None:
    response = signed_in(app, SOR_OST).get("/rhf" + query)
    assert response.status_code == 200
    if shown is None:
        assert sorted(titles(response)) == sorted([ALFA, AERLIG, OYE, AANDE])
        return
    assert titles(response) == shown
    if shown:
        expected = "4 søknader" if len(shown) == 4 else f"{len(shown)} av 4 søknader"
        assert count_line(response) == expected
    else:
        assert count_line(response) == "Ingen treff"
        assert "Ingen av de 4 innsendte søknadene passer søket." in response.get_data(
            as_text=True)


def test_the_rhf_inbox_finds_an_application_by_its_number(
        app: Flask, region_inbox: dict[str, int]) -> None:
    response = signed_in(app, SOR_OST).get(f"/rhf?q={region_inbox['oye']}")
    assert titles(response) == [OYE]


def test_the_rhf_inbox_comes_in_pages_that_keep_the_search(
        app: Flask, region_inbox: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "PER_PAGE", 3)
    client = signed_in(app, SOR_OST)
    first = client.get("/rhf?q=oslo&sorter=tittel")
    assert titles(first) == [ALFA, AERLIG, OYE]
    assert count_line(first) == "4 søknader – side 1 av 2"
    tree = lxml.html.fromstring(first.get_data(as_text=True))
    (next_page,) = tree.xpath("//nav[@aria-label='Sider med søknader']//a[@rel='next']/@href")
    second = client.get(next_page)
    assert titles(second) == [AANDE]
    assert count_line(second) == "4 søknader – side 2 av 2"
    assert "q=oslo" in next_page
    assert "sorter=tittel" in next_page


def test_the_sorted_column_says_so_and_a_new_search_keeps_the_order(
        app: Flask, region_inbox: dict[str, int]) -> None:
    response = signed_in(app, SOR_OST).get("/rhf?sorter=tittel&retning=synkende&q=o")
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    (header,) = tree.xpath("//th[@aria-sort]")
    assert header.get("aria-sort") == "descending"
    assert header.text_content().startswith("Søknad, sortert synkende")
    form = tree.xpath("//form[@role='search']")[0]
    hidden = form.xpath(".//input[@type='hidden']")
    assert {field.get("name"): field.get("value") for field in hidden} == {
        "sorter": "tittel", "retning": "synkende"}
    assert form.xpath(".//a[text()='Nullstill']/@href") == ["/rhf"]


# --------------------------------------------------------------------------- Helsedirektoratet's

BEIN, HUD, HJERTE, LUNGE = ("Sjeldne beinsykdommer", "hudsykdommer hos barn",
                            "Hjertefeil, Øst og Vest", "Lungesykdommer i nord")


@pytest.fixture
def directorate_inbox(app: Flask) -> dict[str, int]:
    """Four applications from three regions in a sent joint submission; Hanne (hdir@demo.no)
    handles one, Siv another; a question is open on a third."""
    bein = submitted(OUS, BEIN)
    hud = submitted(BERGEN, HUD, ServiceType.NATIONAL_COMPETENCE)
    hjerte = submitted(OUS, HJERTE, ServiceType.MULTIREGIONAL_TREATMENT,
                       ApplicationKind.CHANGE_OF_NAME)
    lunge = submitted(STOLAV, LUNGE)
    submitted(OUS, "Ikke tatt med")  # never accepted: never at Helsedirektoratet
    for application, email in ((bein, SOR_OST), (hud, COORDINATORS[1]), (hjerte, SOR_OST),
                               (lunge, COORDINATORS[2])):
        coordination.accept(db.session.get(Application, application.id), user(email))
    round_ = bein.round
    found = coordination.propose(round_, user(SOR_OST))
    for email in COORDINATORS:
        coordination.answer(round_, user(email), Answer.CONSENT, "", found.version)
    joint.set_contact(round_, user(SOR_OST), CONTACT)
    joint.send(round_, user(SOR_OST))
    directorate_org = user(HDIR).organisation
    siv = user_service.create_user("Siv Saksbehandler", SIV, Role.DIRECTORATE, directorate_org,
                                   PASSWORD)
    hanne = user(HDIR)
    casework.assign(db.session.get(Application, bein.id), hanne.id, hanne)
    casework.assign(db.session.get(Application, hud.id), siv.id, hanne)
    directorate.ask(db.session.get(Application, lunge.id), "Hvor mange pasienter?",
                    clock.today() + timedelta(days=14), hanne)
    assert organisation_service.by_name("Helse Bergen HF") is not None
    return {"siv": siv.id}


@pytest.mark.parametrize(("query", "shown"), [
    ("?sorter=tittel", [HJERTE, HUD, LUNGE, BEIN]),
    ("?saksbehandler=mine", [BEIN]),  # «Mine saker»: the signed-in user's
    ("?saksbehandler={siv}", [HUD]),
    ("?saksbehandler=ingen&sorter=tittel", [HJERTE, LUNGE]),
    ("?region=helse-vest", [HUD]),
    ("?region=helse-sor-ost&sorter=tittel&retning=synkende", [BEIN, HJERTE]),
    ("?status=information_requested", [LUNGE]),
    ("?type=flerregional_behandlingstjeneste", [HJERTE]),
    ("?gjelder=endring_navn", [HJERTE]),
    ("?runde=2027&sorter=tittel", [HJERTE, HUD, LUNGE, BEIN]),
    ("?q=BERGEN", [HUD]),  # the health trust's name
    ("?q=øst+VEST", [HJERTE]),
    ("?q=ikke+tatt", []),
    ("?sorter=frist", [LUNGE, HJERTE, HUD, BEIN]),  # the open question first, then by title
    ("?sorter=saksbehandler", [BEIN, HUD, HJERTE, LUNGE]),  # Hanne, Siv, then nobody
])
def test_the_directorate_inbox_shows_what_the_search_asks_for(
        app: Flask, directorate_inbox: dict[str, int], query: str, shown: list[str]) -> None:
    response = signed_in(app, HDIR).get("/hdir" + query.format(**directorate_inbox))
    assert response.status_code == 200
    assert titles(response) == shown
    if shown:
        assert count_line(response) == (
            "4 søknader" if len(shown) == 4 else f"{len(shown)} av 4 søknader")
    else:
        assert "Ingen av de 4 søknadene passer søket." in response.get_data(as_text=True)


def test_the_case_handler_filter_offers_mine_and_every_handler(
        app: Flask, directorate_inbox: dict[str, int]) -> None:
    tree = lxml.html.fromstring(signed_in(app, HDIR).get("/hdir").get_data(as_text=True))
    options = [option.text_content() for option in tree.xpath(
        "//select[@name='saksbehandler']/option")]
    assert options == ["Alle", "Mine saker", "Uten saksbehandler", "Hanne Dahl",
                       "Siv Saksbehandler"]
    assert tree.xpath("//label[@for='filter-saksbehandler']")[0].text == "Saksbehandler"


# --------------------------------------------------------------------------- the registry

DEAFBLIND = "Nasjonal kompetansetjeneste for døvblinde"


HEARING = "Nasjonal behandlingstjeneste for hørsel og psykisk helse"  # its text names døvblinde
NORTH_COMPETENCE = [
    "Nasjonal kompetansetjeneste for barn og unge med funksjonsnedsettelser", DEAFBLIND,
    "Nasjonal kompetansetjeneste for inkontinens og bekkenbunnsykdommer",
    "Nasjonal kompetansetjeneste for påvisning av antibiotikaresistens",
    "Samisk nasjonal kompetansetjeneste for psykisk helsevern og rus (SANKS)"]


@pytest.mark.parametrize(("query", "shown", "count"), [
    ("?q=DØVBLINDE", [HEARING, DEAFBLIND], "2 av 105 tjenester"),
    ("?q=Døvblinde", [HEARING, DEAFBLIND], "2 av 105 tjenester"),
    ("?q=DEAFBLINDNESS", [DEAFBLIND], "1 av 105 tjenester"),  # the English name
    ("?type=nasjonal_kompetansetjeneste&region=helse-nord", NORTH_COMPETENCE,
     "5 av 105 tjenester"),
    ("?type=nasjonal_kompetansetjeneste&region=helse-nord&sorter=navn&retning=synkende",
     NORTH_COMPETENCE[::-1], "5 av 105 tjenester"),
    ("?icd10=C40", ["Flerregional behandlingstjeneste for kirurgi ved bensarkom",
                    "Nasjonal behandlingstjeneste for fertilitetsbevarende behandling med "
                    "autologt ovarialvev"], "2 av 105 tjenester"),
])
def test_the_registry_shows_and_counts_its_hits(app: Flask, query: str, shown: list[str],
                                                count: str) -> None:
    response = signed_in(app, OUS).get("/tjenester/" + query)
    assert titles(response) == shown
    assert count_line(response) == count


def test_the_whole_registry_is_counted_and_paged(app: Flask) -> None:
    response = signed_in(app, OUS).get("/tjenester/")
    assert count_line(response) == "105 tjenester – side 1 av 3"
    assert len(titles(response)) == 50


def test_the_registry_sorts_by_name_either_way_and_pages_through_all_105(app: Flask) -> None:
    client = signed_in(app, OUS)
    names = []
    for number in (1, 2, 3):
        names += titles(client.get(f"/tjenester/?sorter=navn&side={number}"))
    assert len(names) == len(set(names)) == 105
    assert names == sorted(names, key=lambda name: name.lower().translate(
        str.maketrans({"æ": "{", "ø": "|", "å": "}"})))
    backwards = titles(client.get("/tjenester/?sorter=navn&retning=synkende"))
    assert backwards[:50] == names[::-1][:50]


def test_a_registry_search_that_finds_nothing_says_so(app: Flask) -> None:
    response = signed_in(app, OUS).get("/tjenester/?q=finnesikkeiregisteret")
    text = response.get_data(as_text=True)
    assert count_line(response) == "Ingen treff"
    assert "Ingen tjenester passer søket." in text
    assert "Nullstill" in text
