"""«Dine oppgaver» on each role's start page in a real browser, at 1280 and 375 pixels: the
tasks read as the user sees them, each link leads to where the task is done, the deadline
table beside it shows only what the portal follows, and axe-core finds no WCAG 2.1 A/AA
violation. Screenshots go to SHOTS_DIR when it is set (never into the repository)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from soknad.domain.coordination import Decision as Consent
from soknad.domain.workflow import Action
from soknad.extensions import db
from soknad.models import Application, Round
from soknad.services import applications, coordination, directorate
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll, h1, log_in
from tests.calendar_helpers import draft, submitted
from tests.factories import user

pytestmark = pytest.mark.browser

SOR_OST, VEST, HDIR = "koordinator.sorost@demo.no", "koordinator.vest@demo.no", "hdir@demo.no"
RETURNED = "1 søknad er returnert for endring og ikke sendt inn på nytt"
CONSENT = ("Den nasjonale listen for søknadsrunden 2027 (versjon 1) venter på samtykke fra "
           "Helse Vest RHF")


def the_round() -> Round:
    found = Round.current()
    assert found is not None
    return found


def health_trust() -> None:
    draft("soker.ous@demo.no")
    coordination.return_for_revision(submitted("soker.ous@demo.no"), "Punkt 2 mangler tall.",
                                     user(SOR_OST))


def region() -> None:
    submitted("soker.bergen@demo.no")
    coordination.accept(submitted("soker.ous@demo.no"), user(SOR_OST))
    coordination.propose(the_round(), user(SOR_OST))


def directorate_with_an_answer() -> None:
    application = submitted("soker.ous@demo.no")
    for action in (Action.ACCEPT, Action.INCLUDE_IN_JOINT, Action.SEND_TO_DIRECTORATE):
        applications.change_state(db.session.get(Application, application.id), action,
                                  user(SOR_OST))
        db.session.commit()
    application = db.session.get(Application, application.id)
    directorate.ask(application, "Hvor mange pasienter i året?", date(2099, 1, 1), user(HDIR))
    directorate.answer(db.session.get(Application, application.id), "Om lag 60.", user(SOR_OST))


def round_without_coordinator() -> None:
    the_round().coordinating_region = None
    db.session.commit()


def nothing() -> None:
    pass


@dataclass(frozen=True)
class Case:
    email: str
    setup: Callable[[], None]
    links: list[str]  # the tasks' link texts, in order
    follow: str  # the task to follow
    heading: str  # the h1 of the page it leads to
    followed_date: str = ""  # a date the start page's deadline table shows

    @property
    def name(self) -> str:
        return self.email.split("@", maxsplit=1)[0]


NO_COORDINATOR = ("Ingen RHF er satt til å koordinere søknadsrunden 2027, så den nasjonale "
                  "listen kan ikke lages")
ANSWER = "Søknadsrunde 2027: 1 svar på spørsmål til RHF er mottatt"
TITLE = "Nasjonal behandlingstjeneste for sjeldne beinsykdommer"
CASES = [
    Case("soker.ous@demo.no", health_trust, ["1 utkast er ikke sendt til RHF", RETURNED],
         RETURNED, TITLE),
    Case(VEST, region, ["1 søknad venter på behandling", CONSENT], CONSENT,
         "Nasjonal prioritert liste – søknadsrunden 2027",
         "Samlet søknad fra RHF-ene til Helsedirektoratet"),
    Case(HDIR, directorate_with_an_answer,
         ["Søknadsrunde 2027: 1 søknad venter på vedtak", ANSWER], ANSWER, TITLE,
         "Helsedirektoratets vedtak om søknadene"),
    Case("admin@demo.no", round_without_coordinator, [NO_COORDINATOR], NO_COORDINATOR,
         "Søknadsrunder"),
]


def shoot(page: Any, name: str) -> None:
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_role_sees_its_tasks_and_follows_one(app: Any, new_context: Any, width: int,
                                                  case: Case) -> None:
    with app.app_context():
        case.setup()
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, case.email)
    tasks = page.get_by_role("region", name="Dine oppgaver")
    expect(tasks.get_by_role("heading", level=2)).to_have_text("Dine oppgaver")
    expect(tasks.get_by_role("listitem").get_by_role("link")).to_have_text(case.links)
    deadlines = page.get_by_role("region", name="Frister", exact=True)
    if case.followed_date:
        expect(deadlines.get_by_role("rowheader").filter(has_text=case.followed_date)
               ).to_be_visible()
    expect(deadlines).not_to_contain_text("Følges ikke opp i portalen")
    expect(deadlines.get_by_role("link", name="Alle frister, påminnelser og "
                                              "kalenderabonnement")).to_be_visible()
    assert_no_horizontal_scroll(page, f"start page of {case.email} at {width} px")
    assert_accessible(page, f"start page of {case.email} with tasks at {width} px")
    shoot(page, f"start-{case.name}-{width}")
    tasks.get_by_role("link", name=case.follow).click()
    expect(h1(page)).to_have_text(case.heading)


@pytest.mark.parametrize("width", [1280, 375])
def test_nothing_to_do(new_context: Any, width: int) -> None:
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, "soker.bergen@demo.no")
    tasks = page.get_by_role("region", name="Dine oppgaver")
    expect(tasks).to_contain_text("Du har ingen oppgaver nå.")
    expect(tasks.get_by_role("link")).to_have_count(0)
    assert_no_horizontal_scroll(page, f"empty start page at {width} px")
    assert_accessible(page, f"start page without tasks at {width} px")
    shoot(page, f"start-no-tasks-{width}")


def test_a_task_to_consent_after_the_other_region_consented(app: Any, new_context: Any) -> None:
    """Helse Sør-Øst's own consent is a task too, until it has given it."""
    with app.app_context():
        region()
        coordination.answer(the_round(), user(VEST), Consent.CONSENT, "", 1)
    page = new_context().new_page()
    log_in(page, SOR_OST)
    expect(page.get_by_role("region", name="Dine oppgaver").get_by_role("link")).to_have_text(
        ["Den nasjonale listen for søknadsrunden 2027 (versjon 1) venter på samtykke fra "
         "Helse Sør-Øst RHF"])
