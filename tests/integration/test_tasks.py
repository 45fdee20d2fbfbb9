"""«Dine oppgaver» on each role's start page: which tasks, counted, with their deadline, and
each a link to the page where it is done. Read from the page as the user reads it. Also: the
deadline table beside it shows only the dates the portal follows for the role, and computing
the tasks costs the same few queries however many applications there are."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from flask import Flask, url_for
from sqlalchemy import event, select, update

from soknad.domain.coordination import Decision as Consent
from soknad.domain.decisions import DecisionKind
from soknad.domain.organisations import Region
from soknad.domain.workflow import Action
from soknad.extensions import db
from soknad.models import Application, Decision, OutboxMessage, Round
from soknad.services import applications, coordination, directorate
from soknad.services import tasks as task_service
from soknad.web.filters import day
from tests.calendar_helpers import draft, set_internal_deadline, submitted, utc
from tests.factories import COORDINATORS, login, recommend, user

NOW = utc(2026, 12, 10, 11)  # 12:00 in Oslo, 10 December 2026; round 2027 is open
SOR_OST, VEST = "koordinator.sorost@demo.no", "koordinator.vest@demo.no"
HDIR = "hdir@demo.no"
START = {"soker.ous@demo.no": "/soknader/", "soker.bergen@demo.no": "/soknader/",
         SOR_OST: "/rhf", VEST: "/rhf", HDIR: "/hdir", "admin@demo.no": "/admin/brukere"}


def tasks_on_start_page(app: Flask, email: str, at: datetime = NOW
                        ) -> list[tuple[str, str | None]]:
    """(text, link) of each task in «Dine oppgaver» at ``at``; [("Du har ingen oppgaver nå.",
    None)] when the section says there are none."""
    client = app.test_client()
    with time_machine.travel(at):
        login(client, email)
        response = client.get(START[email])
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    start = page.index('<section class="tasks"')
    section = page[start:page.index("</section>", start)]
    assert '<h2 id="oppgaver-overskrift">Dine oppgaver</h2>' in section
    items = re.findall(r"<li>(.*?)</li>", section, flags=re.S)
    if not items:
        return [(_text(section.split("</h2>", 1)[1]), None)]
    return [(_text(item), _href(item)) for item in items]


def _text(html: str) -> str:
    return html_lib.unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def _href(html: str) -> str | None:
    found = re.search(r'<a href="([^"]+)"', html)
    return html_lib.unescape(found.group(1)) if found else None


def moved(application: Application, *steps: tuple[Action, str]) -> Application:
    for action, email in steps:
        applications.change_state(db.session.get(Application, application.id), action,
                                  user(email))
        db.session.commit()
    return db.session.get(Application, application.id)


TO_DIRECTORATE = ((Action.ACCEPT, SOR_OST), (Action.INCLUDE_IN_JOINT, SOR_OST),
                  (Action.SEND_TO_DIRECTORATE, SOR_OST))


def sent() -> Application:
    """An application of Helse Sør-Øst in Helsedirektoratet's hands."""
    return moved(submitted(), *TO_DIRECTORATE)


def asked(due: date = date(2026, 12, 18)) -> Application:
    application = sent()
    with time_machine.travel(NOW):
        directorate.ask(application, "Hvor mange pasienter i året?", due, user(HDIR))
    return db.session.get(Application, application.id)


def answered() -> Application:
    application = asked()
    directorate.answer(application, "Om lag 60.", user(SOR_OST))
    return db.session.get(Application, application.id)


def decided(kind: DecisionKind) -> Application:
    application = sent()
    recommend(application, kind)
    directorate.decide(application, kind, "Begrunnelse", None, user(HDIR))
    return db.session.get(Application, application.id)


def establish_by() -> str:
    """The approval's «skal være etablert innen» as the decision recorded it."""
    found = db.session.scalar(select(Decision.establish_by).where(
        Decision.kind == DecisionKind.APPROVED.value))
    return day(found) if found else ""


def the_round() -> Round:
    found = Round.current()
    assert found is not None
    return found


def proposed() -> None:
    """Helse Sør-Øst (coordinating the demo round) has accepted one application and proposed
    the national list."""
    coordination.accept(submitted(), user(SOR_OST))
    coordination.propose(the_round(), user(SOR_OST))


def locked() -> None:
    proposed()
    found = coordination.national_list(the_round())
    assert found is not None
    for email in COORDINATORS:
        coordination.answer(the_round(), user(email), Consent.CONSENT, "", found.version)


def failed_mail() -> None:
    submitted()  # queues a receipt and a notice
    db.session.execute(update(OutboxMessage).values(attempts=1, last_error="SMTP nede"))
    db.session.commit()


def no_coordinating_region() -> None:
    the_round().coordinating_region = None
    db.session.commit()


def sor_ost_deadline(day: date) -> Callable[[], None]:
    return lambda: set_internal_deadline(Region.SOR_OST, day)


def outbox_link(app: Flask) -> str:
    """The outbox page's «Feilet» part."""
    with app.test_request_context():
        return url_for(task_service.OUTBOX_ENDPOINT) + "#feilet"


def ids() -> list[int]:
    return [row.id for row in db.session.query(Application).order_by(Application.id)]


# Each case: who, what happened (set-up steps), and the tasks they read, with {0}, {1}, ...
# standing for the ids of the applications in the order they were made, and {establish_by}
# for the date the approval says the service must be established by; {outbox} is the e-mail
# outbox page.
CASES: list[tuple[str, str, list[Callable[[], Any]], list[tuple[str, str | None]]]] = [
    ("soker.ous@demo.no", "nothing yet", [], [("Du har ingen oppgaver nå.", None)]),
    ("soker.ous@demo.no", "one draft, no internal deadline", [draft],
     [("1 utkast er ikke sendt til RHF", "/soknader/{0}")]),
    ("soker.ous@demo.no", "two drafts before the internal deadline",
     [draft, draft, sor_ost_deadline(date(2027, 1, 8))],
     [("2 utkast er ikke sendt til RHF – frist 8. januar 2027", "/soknader/#mine-soknader")]),
    ("soker.ous@demo.no", "a draft after the internal deadline",
     [draft, sor_ost_deadline(date(2026, 12, 1))],
     [("1 utkast er ikke sendt til RHF – fristen gikk ut 1. desember 2026", "/soknader/{0}")]),
    ("soker.ous@demo.no", "an application returned for revision",
     [lambda: coordination.return_for_revision(submitted(), "Punkt 2 mangler tall.",
                                               user(SOR_OST)),
      sor_ost_deadline(date(2027, 1, 8))],
     [("1 søknad er returnert for endring og ikke sendt inn på nytt – frist 8. januar 2027",
       "/soknader/{0}#sendt-tilbake")]),
    ("soker.ous@demo.no", "a submitted application: the RHF's turn", [submitted],
     [("Du har ingen oppgaver nå.", None)]),
    ("soker.ous@demo.no", "a question from Helsedirektoratet", [asked],
     [("1 spørsmål fra Helsedirektoratet venter på svar – frist 18. desember 2026",
       "/soknader/{0}#sporsmal")]),
    ("soker.bergen@demo.no", "another health trust's draft and question", [draft, asked],
     [("Du har ingen oppgaver nå.", None)]),
    (SOR_OST, "nothing yet", [draft], [("Du har ingen oppgaver nå.", None)]),
    (SOR_OST, "one application to review", [submitted],
     [("1 søknad venter på behandling – frist 15. januar 2027", "/rhf/soknader/{0}#behandle")]),
    (SOR_OST, "two applications to review", [submitted, submitted],
     [("2 søknader venter på behandling – frist 15. januar 2027", "/rhf")]),
    (VEST, "another region's applications", [submitted, asked],
     [("Du har ingen oppgaver nå.", None)]),
    (SOR_OST, "an accepted application and no list (Sør-Øst coordinates)",
     [lambda: coordination.accept(submitted(), user(SOR_OST))],
     [("1 godtatt søknad venter på forslag til nasjonal liste – frist 15. januar 2027",
       "/rhf/nasjonal-liste")]),
    (VEST, "the proposed list", [proposed],
     [("Den nasjonale listen for søknadsrunden 2027 (versjon 1) venter på samtykke fra "
       "Helse Vest RHF – frist 15. januar 2027", "/rhf/nasjonal-liste#samtykker")]),
    (VEST, "the list after Helse Vest consented",
     [proposed, lambda: coordination.answer(the_round(), user(VEST), Consent.CONSENT, "", 1)],
     [("Du har ingen oppgaver nå.", None)]),
    (SOR_OST, "the locked list, to be sent", [locked],
     [("Den samlede søknaden for søknadsrunden 2027 er klar til å sendes til "
       "Helsedirektoratet – frist 15. januar 2027", "/rhf/nasjonal-liste#send")]),
    (VEST, "the locked list: the coordinating RHF sends it", [locked],
     [("Du har ingen oppgaver nå.", None)]),
    (SOR_OST, "a question from Helsedirektoratet", [asked],
     [("1 spørsmål fra Helsedirektoratet venter på svar – frist 18. desember 2026",
       "/rhf/soknader/{0}#sporsmal")]),
    (HDIR, "nothing received", [submitted], [("Du har ingen oppgaver nå.", None)]),
    (HDIR, "one application received", [sent],
     [("Søknadsrunde 2027: 1 søknad venter på vedtak – frist 1. desember 2027",
       "/hdir/soknader/{0}#nytt-vedtak")]),
    (HDIR, "two applications received", [sent, sent],
     [("Søknadsrunde 2027: 2 søknader venter på vedtak – frist 1. desember 2027",
       "/hdir/runder/2027")]),
    (HDIR, "a question waiting for the RHF", [asked], [("Du har ingen oppgaver nå.", None)]),
    (HDIR, "an answer received", [answered],
     [("Søknadsrunde 2027: 1 søknad venter på vedtak – frist 1. desember 2027",
       "/hdir/soknader/{0}#nytt-vedtak"),
      ("Søknadsrunde 2027: 1 svar på spørsmål til RHF er mottatt – frist 1. desember 2027",
       "/hdir/soknader/{0}#sporsmal")]),
    (HDIR, "a postponed application", [lambda: decided(DecisionKind.POSTPONED)],
     [("Søknadsrunde 2027: 1 utsatt søknad venter på endelig vedtak – frist 30. mai 2028",
       "/hdir/soknader/{0}#nytt-vedtak")]),
    (HDIR, "an approved service: the RHF records its establishment",
     [lambda: decided(DecisionKind.APPROVED)], [("Du har ingen oppgaver nå.", None)]),
    (SOR_OST, "an approved service not established", [lambda: decided(DecisionKind.APPROVED)],
     [("Søknadsrunde 2027: 1 godkjent tjeneste er ikke registrert som etablert – frist "
       "{establish_by}", "/tjenester/soknad/{0}")]),
    (SOR_OST, "two approved services not established",
     [lambda: decided(DecisionKind.APPROVED), lambda: decided(DecisionKind.APPROVED)],
     [("Søknadsrunde 2027: 2 godkjente tjenester er ikke registrert som etablert – frist "
       "{establish_by}", "/tjenester/?region=helse-sor-ost")]),
    (VEST, "another region's approved service", [lambda: decided(DecisionKind.APPROVED)],
     [("Du har ingen oppgaver nå.", None)]),
    (HDIR, "a rejected application", [lambda: decided(DecisionKind.REJECTED)],
     [("Du har ingen oppgaver nå.", None)]),
    ("admin@demo.no", "nothing wrong", [submitted], [("Du har ingen oppgaver nå.", None)]),
    ("admin@demo.no", "e-mail the outbox could not send", [failed_mail],
     [("2 e-poster kunne ikke sendes og prøves på nytt", "{outbox}")]),
    ("admin@demo.no", "a round without a coordinating RHF", [no_coordinating_region],
     [("Ingen RHF er satt til å koordinere søknadsrunden 2027, så den nasjonale listen kan "
       "ikke lages", "/admin/runder")]),
]


@pytest.mark.parametrize(("email", "situation", "steps", "expected"), CASES,
                         ids=[f"{email.split('@')[0]}: {situation}"
                              for email, situation, _, _ in CASES])
def test_the_start_page_lists_the_tasks_of_the_role(
        app: Flask, email: str, situation: str, steps: list[Callable[[], Any]],
        expected: list[tuple[str, str | None]]) -> None:
    with time_machine.travel(NOW):
        for step in steps:
            step()
    made = ids()
    wanted = [(text.format(establish_by=establish_by()),
               outbox_link(app) if link == "{outbox}" else link.format(*made) if link else None)
              for text, link in expected]
    assert tasks_on_start_page(app, email) == wanted


def test_tasks_come_nearest_deadline_first(app: Flask) -> None:
    with time_machine.travel(NOW):
        asked(due=date(2027, 2, 1))  # Helse Sør-Øst's question, due after 15 January
        submitted()
    texts = [text for text, _ in tasks_on_start_page(app, SOR_OST)]
    assert texts == ["1 søknad venter på behandling – frist 15. januar 2027",
                     "1 spørsmål fra Helsedirektoratet venter på svar – frist 1. februar 2027"]


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


@pytest.mark.parametrize("email", ["soker.ous@demo.no", SOR_OST, HDIR, "admin@demo.no"])
def test_the_task_list_costs_the_same_queries_for_many_applications(app: Flask,
                                                                    email: str) -> None:
    def queries() -> int:
        person = user(email)
        db.session.expire_all()
        with counted_queries() as statements:
            task_service.for_user(person)
        return len(statements)

    with time_machine.travel(NOW):
        draft()
        submitted()
        sent()
        few = queries()
        for _ in range(3):
            draft()
            submitted()
            sent()
        asked()
        assert queries() == few
