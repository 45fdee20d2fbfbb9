"""The deadlines people see: on their start page (days left, what is still to do, overdue
marked), on /kalender, in their private iCal feed (parsed back with icalendar) and in
``soknad calendar``; the same dates in all three. The feed's address is private and revocable."""

from __future__ import annotations

import html as html_lib
import re
from datetime import date

import pytest
import time_machine
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from flask.testing import FlaskClient
from icalendar import Calendar

from soknad.cli import main
from soknad.domain.organisations import Region
from soknad.domain.roles import Role
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import CalendarFeed, RoundDate
from soknad.services import applications, coordination, reminders
from soknad.services import calendar as calendar_service
from tests.calendar_helpers import (
    approved,
    draft,
    round_2027,
    set_internal_deadline,
    submitted,
    users_exist_since,
    utc,
)
from tests.factories import login, make_application, user
from tests.mailserver import MailServer

NEW_YEAR = utc(2027, 1, 1, 11)  # 12:00 in Oslo, 1 January 2027
BEFORE_ALL = utc(2026, 11, 25, 11)


def page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    login(client, email)
    return client


def panel_rows(html: str) -> list[tuple[str, str, str, str]]:
    """(date, title, days left, what is left) for each row of the deadline tables."""
    rows = []
    for row in re.findall(r"<tr>\s*<td>(.*?)</tr>", html, flags=re.S):
        day = re.search(r'<time datetime="([0-9-]+)">', row)
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", "<td>" + row, flags=re.S)
        if day is None or len(cells) < 4:
            continue
        text = [html_lib.unescape(re.sub(r"<br>.*", "", cell, flags=re.S)).strip()
                for cell in cells]
        rows.append((day.group(1), re.sub(r"<[^>]+>", "", text[1]), re.sub(
            r"<[^>]+>", "", text[2]), re.sub(r"<[^>]+>", " ", cells[3]).strip()))
    return rows


def deadlines_section(html: str) -> str:
    start = html.index('<section class="deadlines"')
    return html[start:html.index("</section>", start)]


# --------------------------------------------------------------------------- start pages


def test_applicant_sees_days_left_and_what_is_still_to_do(app: Flask) -> None:
    draft("soker.ous@demo.no")
    set_internal_deadline(Region.SOR_OST, date(2027, 1, 8))
    with time_machine.travel(NEW_YEAR):
        html = page(signed_in(app, "soker.ous@demo.no"), "/soknader/")
    section = deadlines_section(html)
    assert '<time datetime="2027-01-08">fredag 8. januar 2027</time>' in section
    assert panel_rows(section)[0] == (
        "2027-01-08", "Intern frist i Helse Sør-Øst: søknader fra helseforetakene til RHF",
        "Om 7 dager", "1 utkast er ikke sendt til RHF")
    assert "Samlet søknad fra RHF-ene" not in section  # the RHFs' deadline, not the HF's


def test_an_overdue_deadline_says_forfalt(app: Flask) -> None:
    draft("soker.ous@demo.no")
    set_internal_deadline(Region.SOR_OST, date(2027, 1, 8))
    with time_machine.travel(utc(2027, 1, 10, 11)):
        rows = panel_rows(deadlines_section(page(signed_in(app, "soker.ous@demo.no"),
                                                 "/soknader/")))
    assert rows[0][2:] == ("Forfalt for 2 dager siden", "1 utkast er ikke sendt til RHF")


def test_an_extended_application_has_its_own_deadline_for_its_health_trust(
        app: Flask) -> None:
    late = make_application("soker.ous@demo.no",
                            answers={"navn_nb": "Nasjonal behandlingstjeneste for sene"})
    set_internal_deadline(Region.SOR_OST, date(2026, 12, 20))
    with time_machine.travel(utc(2026, 12, 21, 11)):  # the day after the internal deadline
        coordination.grant_extension(late, date(2027, 1, 8), user("koordinator.sorost@demo.no"))
    with time_machine.travel(NEW_YEAR):
        own = panel_rows(deadlines_section(page(signed_in(app, "soker.ous@demo.no"),
                                                "/soknader/")))
        other = deadlines_section(page(signed_in(app, "soker.bergen@demo.no"), "/soknader/"))
    assert own[0] == ("2027-01-08", "Utsatt frist: Nasjonal behandlingstjeneste for sene",
                      "Om 7 dager", "1 søknad er ikke sendt til RHF")
    # The region's deadline has passed with nothing else left to do: not on the start page.
    assert not [row for row in own if row[1].startswith("Intern frist")]
    assert "Utsatt frist" not in other


def test_a_sent_extended_application_waits_for_the_coordinator_like_any_other(
        app: Flask) -> None:
    late = make_application("soker.ous@demo.no", complete=True)
    set_internal_deadline(Region.SOR_OST, date(2026, 12, 20))
    with time_machine.travel(utc(2026, 12, 21, 11)):
        coordination.grant_extension(late, date(2027, 1, 8), user("koordinator.sorost@demo.no"))
    with time_machine.travel(utc(2027, 1, 2, 11)):
        applications.submit(late, user("soker.ous@demo.no"))
    with time_machine.travel(NEW_YEAR):
        rows = panel_rows(deadlines_section(page(signed_in(app, "koordinator.sorost@demo.no"),
                                                 "/rhf")))
    joint = next(row for row in rows if row[0] == "2027-01-15")
    assert joint[3] == "1 søknad venter på behandling"


def test_an_extension_before_the_internal_deadline_changes_nothing(app: Flask) -> None:
    draft("soker.ous@demo.no")
    early = draft("soker.ous@demo.no")
    set_internal_deadline(Region.SOR_OST, date(2027, 1, 8))
    coordination.grant_extension(early, date(2027, 1, 4), user("koordinator.sorost@demo.no"))
    with time_machine.travel(NEW_YEAR):
        rows = panel_rows(deadlines_section(page(signed_in(app, "soker.ous@demo.no"),
                                                 "/soknader/")))
    assert rows[0] == ("2027-01-08", "Intern frist i Helse Sør-Øst: søknader fra "
                       "helseforetakene til RHF", "Om 7 dager", "2 utkast er ikke sendt til RHF")
    assert not [row for row in rows if row[1].startswith("Utsatt frist")]


def test_a_passed_deadline_with_nothing_left_leaves_the_start_page(app: Flask) -> None:
    set_internal_deadline(Region.SOR_OST, date(2027, 1, 8))
    with time_machine.travel(utc(2027, 1, 10, 11)):
        section = deadlines_section(page(signed_in(app, "soker.ous@demo.no"), "/soknader/"))
    assert "Intern frist" not in section


def test_coordinator_sees_what_waits_and_that_the_internal_deadline_is_missing(
        app: Flask) -> None:
    submitted("soker.bergen@demo.no")
    with time_machine.travel(NEW_YEAR):
        section = deadlines_section(page(signed_in(app, "koordinator.vest@demo.no"), "/rhf"))
    assert panel_rows(section)[0] == (
        "2027-01-15", "Samlet søknad fra RHF-ene til Helsedirektoratet (kopi til HOD)",
        "Om 14 dager", "1 søknad venter på behandling")
    assert ("Helse Vest RHF har ikke satt intern frist for søknadsrunden 2027 ennå."
            in section)


@pytest.mark.parametrize(("email", "url", "expected"), [
    ("hdir@demo.no", "/hdir", "Helsedirektoratets vedtak om søknadene"),
    # The portal follows no date for an administrator: the calendar page lists them all.
    ("admin@demo.no", "/admin/brukere",
     "Portalen følger ikke opp noen frister for deg fremover."),
])
def test_every_start_page_has_the_panel(app: Flask, email: str, url: str,
                                        expected: str) -> None:
    with time_machine.travel(NEW_YEAR):
        section = deadlines_section(page(signed_in(app, email), url))
    assert expected in section
    assert '<h2 id="frister-overskrift">Frister</h2>' in section


# --------------------------------------------------------------------------- the same dates


def feed_url_of(client: FlaskClient) -> str:
    response = client.post("/kalender/abonnement")
    assert response.status_code == 200
    found = re.search(r'value="http://localhost(/kalender/[A-Za-z0-9_-]{40,}\.ics)"',
                      response.get_data(as_text=True))
    assert found is not None
    return found.group(1)


def feed_events(client: FlaskClient, url: str) -> list[tuple[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    parsed = Calendar.from_ical(response.get_data())
    return [(event.decoded("dtstart").isoformat(),
             str(event["summary"]).removeprefix("Frist: ")) for event in parsed.walk("VEVENT")]


def cli_dates(app: Flask, email: str) -> list[tuple[str, str]]:
    result = CliRunner().invoke(main, ["calendar", "2027", "--user", email],
                                obj=_script_info(app))
    assert result.exit_code == 0, result.output
    return [(found.group(1), found.group(2)) for found in re.finditer(
        r"^(\d{4}-\d{2}-\d{2}) \w+\s+(?:frist|dato)\s+(.*?)(?:\s+\[[^\]]*\])?\s+– ",
        result.output, flags=re.M)]


def _script_info(app: Flask) -> ScriptInfo:
    return ScriptInfo(create_app=lambda: app)


@pytest.fixture
def a_full_round(app: Flask) -> None:
    """Round 2027 with every kind of date: internal deadlines, an approved competence service
    (establish by, term ends), and an administrator's own dates."""
    users_exist_since()
    with time_machine.travel(utc(2026, 11, 20, 11)):
        approved("soker.ous@demo.no", service_type=ServiceType.NATIONAL_COMPETENCE)
    draft("soker.ous@demo.no")
    set_internal_deadline(Region.SOR_OST, date(2027, 1, 8))
    set_internal_deadline(Region.VEST, date(2026, 12, 11))
    admin = user("admin@demo.no")
    calendar_service.add_round_date(round_2027(), date(2026, 12, 12), "Informasjonsmøte",
                                    roles=[Role.APPLICANT], region=Region.SOR_OST,
                                    actor=admin)
    calendar_service.add_round_date(round_2027(), date(2026, 12, 14), "Møte i Helse Vest",
                                    roles=[Role.APPLICANT], region=Region.VEST, actor=admin)


@pytest.mark.usefixtures("a_full_round")
@pytest.mark.parametrize("email", ["soker.ous@demo.no", "koordinator.vest@demo.no",
                                   "hdir@demo.no", "admin@demo.no"])
def test_dashboard_feed_and_command_show_the_same_dates(app: Flask, email: str) -> None:
    with time_machine.travel(BEFORE_ALL):
        client = signed_in(app, email)
        events = feed_events(client, feed_url_of(client))
        start = client.get("/").headers["Location"]
        on_start_page = [row[:2] for row in panel_rows(deadlines_section(page(client, start)))]
        calendar_rows = panel_rows(page(client, "/kalender"))
        listed = cli_dates(app, email)
    on_calendar_page = [row[:2] for row in calendar_rows]
    assert events == listed == on_calendar_page
    assert len(events) >= 7
    # The start page: only the dates the portal follows for the role, in the same order.
    assert on_start_page == [row[:2] for row in calendar_rows
                             if row[3] != "Følges ikke opp i portalen"]


@pytest.mark.usefixtures("a_full_round")
@pytest.mark.parametrize(("email", "expected"), [
    ("soker.ous@demo.no", [
        ("2027-01-08", "Intern frist i Helse Sør-Øst: søknader fra helseforetakene til RHF",
         "1 utkast er ikke sendt til RHF"),
        # The annual reports on 2026: none of Oslo universitetssykehus HF's is sent yet.
        ("2027-03-15", "Årsrapporter fra de nasjonale tjenestene til RHF",
         "60 årsrapporter er ikke sendt til RHF"),
        ("2027-06-01", "Helsedirektoratets vurdering av årsrapporteringen", "Ingenting gjenstår"),
        ("2027-09-01", "Tilleggsrapportering til årsrapportene", "Ingenting gjenstår"),
        (None, "Tjenesten skal være etablert: Nasjonal kompetansetjeneste for sjeldne "
         "beinsykdommer", "1 godkjent tjeneste er ikke registrert som etablert")]),
    ("koordinator.vest@demo.no", [
        ("2026-12-11", "Intern frist i Helse Vest: søknader fra helseforetakene til RHF",
         "Ingenting gjenstår"),
        ("2027-01-15", "Samlet søknad fra RHF-ene til Helsedirektoratet (kopi til HOD)",
         "Ingenting gjenstår"),
        ("2027-03-15", "Årsrapporter fra de nasjonale tjenestene til RHF",
         "21 årsrapporter er ikke mottatt fra helseforetakene"),
        ("2027-06-01", "Helsedirektoratets vurdering av årsrapporteringen", "Ingenting gjenstår"),
        ("2027-09-01", "Tilleggsrapportering til årsrapportene", "Ingenting gjenstår")]),
    ("hdir@demo.no", [
        ("2027-03-15", "Årsrapporter fra de nasjonale tjenestene til RHF", "Ingenting gjenstår"),
        ("2027-06-01", "Helsedirektoratets vurdering av årsrapporteringen", "Ingenting gjenstår"),
        ("2027-09-01", "Tilleggsrapportering til årsrapportene", "Ingenting gjenstår"),
        ("2027-12-01", "Helsedirektoratets vedtak om søknadene", "Ingenting gjenstår"),
        ("2028-05-30", "Endelig vedtak om søknader med utsatt behandling",
         "Ingenting gjenstår")]),
    ("admin@demo.no", []),
])
def test_the_start_page_shows_only_the_dates_the_portal_follows_for_the_role(
        app: Flask, email: str, expected: list[tuple[str | None, str, str]]) -> None:
    # None: a date that follows from the approval (its rule is the decisions' own).
    with time_machine.travel(BEFORE_ALL):
        client = signed_in(app, email)
        section = deadlines_section(page(client, client.get("/").headers["Location"]))
    rows = panel_rows(section)
    assert len(rows) == len(expected), rows
    shown = [(None if want is None else day, title, left)
             for (day, title, _, left), (want, _, _) in zip(rows, expected, strict=True)]
    assert shown == expected
    assert "Følges ikke opp i portalen" not in section
    assert '<a href="/kalender">Alle frister, påminnelser og kalenderabonnement</a>' in section


@pytest.mark.usefixtures("a_full_round")
def test_each_user_gets_the_dates_that_concern_them(app: Flask) -> None:
    with time_machine.travel(BEFORE_ALL):
        applicant = cli_dates(app, "soker.ous@demo.no")
        other_applicant = cli_dates(app, "soker.bergen@demo.no")
        coordinator = cli_dates(app, "koordinator.vest@demo.no")
    titles = {title for _, title in applicant}
    assert {"Informasjonsmøte", "Intern frist i Helse Sør-Øst: søknader fra helseforetakene "
            "til RHF"} <= titles
    assert not any("Vest" in title for title in titles)
    assert any(title.startswith("Tjenesten skal være etablert: ") for title in titles)
    assert ("2032-12-31", next(title for title in titles if title.startswith("Virketiden"))) \
        in applicant  # «opplæring»: round 2027, five years from 1 January 2028
    assert {title for _, title in other_applicant} & {"Informasjonsmøte"} == set()
    assert ("2026-12-11", "Intern frist i Helse Vest: søknader fra helseforetakene til RHF") \
        in coordinator
    assert ("2026-12-14", "Møte i Helse Vest") not in coordinator  # for applicants only


# --------------------------------------------------------------------------- the feed


def test_the_feed_is_a_calendar_programs_accept(app: Flask) -> None:
    set_internal_deadline(Region.SOR_OST, date(2027, 1, 9))  # a Saturday
    draft("soker.ous@demo.no")
    with time_machine.travel(BEFORE_ALL):
        client = signed_in(app, "soker.ous@demo.no")
        response = app.test_client().get(feed_url_of(client))  # as a calendar program
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, no-store"
    parsed = Calendar.from_ical(response.get_data())
    assert (str(parsed["version"]), str(parsed["x-wr-timezone"])) == ("2.0", "Europe/Oslo")
    assert parsed["prodid"]
    events = {str(event["uid"]): event for event in parsed.walk("VEVENT")}
    assert len(events) == len(parsed.walk("VEVENT"))  # unique UIDs
    internal = events["2027-internal-helse-sor-ost@soknadsportal"]
    assert internal.decoded("dtstart") == date(2027, 1, 9)
    assert internal.decoded("dtend") == date(2027, 1, 10)  # an all-day event
    assert "VALUE=DATE" in internal.to_ical().decode()
    description = str(internal["description"])
    assert description.startswith("Helseforetakene i Helse Sør-Øst sender søknadene om "
                                  "nasjonale tjenester til Helse Sør-Øst RHF innen denne fristen")
    assert "Frist: innen lørdag 9. januar 2027 (fristen gjelder til kl. 23.59 norsk tid)." \
        in description
    assert "Merk: datoen er lørdag." in description
    assert "Gjenstår: 1 utkast er ikke sendt til RHF." in description
    assert str(internal["summary"]) == (
        "Frist: Intern frist i Helse Sør-Øst: søknader fra helseforetakene til RHF")


def test_a_revoked_or_replaced_address_answers_404(app: Flask) -> None:
    client = signed_in(app, "soker.ous@demo.no")
    first = feed_url_of(client)
    second = feed_url_of(client)  # a new address: the old one stops working
    assert (client.get(first).status_code, client.get(second).status_code) == (404, 200)
    response = client.post("/kalender/abonnement/slett")
    assert response.status_code == 302
    assert client.get(second).status_code == 404
    assert "Du har ingen kalenderadresse." in page(client, "/kalender")


def test_another_users_address_cannot_be_guessed_or_read_back(app: Flask) -> None:
    set_internal_deadline(Region.VEST, date(2026, 12, 11))
    set_internal_deadline(Region.SOR_OST, date(2027, 1, 8))
    ous = signed_in(app, "soker.ous@demo.no")
    vest = signed_in(app, "koordinator.vest@demo.no")
    ous_url, vest_url = feed_url_of(ous), feed_url_of(vest)
    token = ous_url.removeprefix("/kalender/").removesuffix(".ics")
    assert len(token) >= 43  # 256 random bits
    stored = [row.token_hash for row in db.session.query(CalendarFeed)]
    assert token not in stored
    assert all(len(value) == 64 for value in stored)
    assert token not in page(ous, "/kalender")  # shown once, when it was made
    anonymous = app.test_client()
    for guess in (token[:-1] + ("A" if token[-1] != "A" else "B"), token.upper(), "1",
                  stored[0]):
        assert anonymous.get(f"/kalender/{guess}.ics").status_code == 404
    titles = [title for _, title in feed_events(anonymous, vest_url)]
    assert "Intern frist i Helse Vest: søknader fra helseforetakene til RHF" in titles
    assert not any("Sør-Øst" in title for title in titles)


def test_a_deactivated_users_feed_answers_404(app: Flask) -> None:
    client = signed_in(app, "soker.ous@demo.no")
    url = feed_url_of(client)
    user("soker.ous@demo.no").active = False
    db.session.commit()
    assert app.test_client().get(url).status_code == 404


# --------------------------------------------------------------------------- /kalender


def test_calendar_page_lists_dates_and_the_reminders_received(
        app: Flask, mail_server: MailServer) -> None:
    users_exist_since()
    submitted("soker.bergen@demo.no")
    with time_machine.travel(utc(2026, 12, 16, 7)):
        reminders.run()
        html = page(signed_in(app, "koordinator.vest@demo.no"), "/kalender")
    assert "<h2>Søknadsrunden 2027</h2>" in html
    assert "Den samlede søknaden fra de regionale helseforetakene" in html
    assert "Påminnelser til deg" in html
    assert re.search(r"Samlet søknad fra RHF-ene til Helsedirektoratet \(kopi til HOD\), "
                     r'<time datetime="2027-01-15">', html)
    assert "Sendt 16. desember 2026 kl. 08:00" in html


# --------------------------------------------------------------------------- admin's own dates


def test_admin_adds_and_removes_a_date_of_the_round(app: Flask) -> None:
    admin = signed_in(app, "admin@demo.no")
    refused = admin.post("/admin/frister/2027", data={"day": "2026-12-05", "title": "Møte"})
    assert refused.status_code == 422
    assert "Velg hvem datoen gjelder for." in refused.get_data(as_text=True)
    wrong_day = admin.post("/admin/frister/2027", data={"day": "5.12.2026", "title": "Møte",
                                                        "roles": "coordinator"})
    assert "Skriv datoen som åååå-mm-dd" in wrong_day.get_data(as_text=True)
    response = admin.post("/admin/frister/2027", data={
        "day": "2026-12-05", "title": "Ekstra koordinatormøte", "description": "Digitalt.",
        "roles": ["coordinator", "directorate"], "region": "", "remind": "y"})
    assert response.status_code == 302
    row = db.session.query(RoundDate).one()
    assert (row.day, row.roles, row.region, row.remind) == (
        date(2026, 12, 5), ["coordinator", "directorate"], None, True)
    html = page(admin, "/admin/frister/2027")
    assert "Ekstra koordinatormøte" in html
    assert "RHF-koordinatorer og Helsedirektoratet" in html
    assert ("2026-12-05", "Ekstra koordinatormøte") in cli_dates(app, "hdir@demo.no")
    assert ("2026-12-05", "Ekstra koordinatormøte") not in cli_dates(app, "soker.ous@demo.no")
    row_id = row.id
    assert admin.post(f"/admin/frister/2027/{row_id}/slett").status_code == 302
    assert db.session.query(RoundDate).count() == 0
    assert admin.post(f"/admin/frister/2027/{row_id}/slett").status_code == 404


def test_calendar_command_prints_flags_and_missing_internal_deadlines(app: Flask) -> None:
    result = CliRunner().invoke(main, ["calendar", "2027"], obj=_script_info(app))
    assert result.exit_code == 0, result.output
    assert ("2028-01-01 lør  dato   Godkjenninger får virkning  "
            "[lørdag og helligdag (første nyttårsdag)]") in result.output
    assert "2027-01-15 fre  frist  Samlet søknad fra RHF-ene" in result.output
    assert "Intern frist for Helse Nord er ikke satt." in result.output
    missing = CliRunner().invoke(main, ["calendar", "1999"], obj=_script_info(app))
    assert missing.exit_code == 1
    assert "Fant ingen søknadsrunde 1999." in missing.output


def test_the_year_of_each_date_follows_the_round(app: Flask) -> None:
    listed = {title: day for day, title in cli_dates(app, "hdir@demo.no")}
    assert listed["Samlet søknad fra RHF-ene til Helsedirektoratet (kopi til HOD)"] == \
        "2027-01-15"
    assert listed["Helsedirektoratets vedtak om søknadene"] == "2027-12-01"
    assert listed["Godkjenninger får virkning"] == "2028-01-01"
    assert listed["Endelig vedtak om søknader med utsatt behandling"] == "2028-05-30"
