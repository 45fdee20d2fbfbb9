"""Concurrent saves on the real database engine: no lost update, no "database is locked",
and a save racing a submission is either in the submitted version or refused."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask

from soknad.domain.errors import DomainError
from soknad.domain.service_types import ServiceType
from soknad.extensions import db
from soknad.models import Application
from soknad.services import applications
from tests.factories import make_application, user

SECTIONS = ["p2", "p3", "p5", "p6", "p8", "p9", "p11", "p12"]
FIELD = {"p2": "volum_beskrivelse", "p3": "sentralisering", "p5": "begrunnelse_ikke_brukere",
         "p6": "forskningsaktivitet", "p8": "forskningsbasert_praksis",
         "p9": "henvisningskriterier", "p11": "infrastruktur", "p12": "kostnadseffektivitet"}


def in_threads(app: Flask, count: int, work: Callable[[int], Any]) -> list[Any]:
    results: list[Any] = [None] * count
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                results[index] = work(index)
            except Exception as error:
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_eight_writers_on_eight_points_lose_nothing(app: Flask) -> None:
    application_id = make_application().id

    def work(index: int) -> list[int]:
        section = SECTIONS[index]
        writer = user("soker.ous@demo.no")
        versions = []
        version = 1
        for round_number in range(25):
            application = db.session.get(Application, application_id)
            row = applications.save_section(application, section,
                                            {FIELD[section]: f"{section} {round_number}"},
                                            version, writer)
            version = row.version
            versions.append(version)
        return versions

    results = in_threads(app, len(SECTIONS), work)
    assert [result for result in results if isinstance(result, BaseException)] == []
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    for section in SECTIONS:
        row = applications.section_row(application, section)
        assert row.version == 26
        assert row.data[FIELD[section]] == f"{section} 24"


def test_of_eight_saves_from_the_same_version_exactly_one_wins(app: Flask) -> None:
    application_id = make_application().id

    def work(index: int) -> int:
        application = db.session.get(Application, application_id)
        row = applications.save_section(application, "p3", {"sentralisering": f"skriver {index}"},
                                        1, user("soker.ous@demo.no"))
        return row.version

    results = in_threads(app, 8, work)
    winners = [result for result in results if isinstance(result, int)]
    conflicts = [result for result in results if isinstance(result, applications.ConflictError)]
    assert winners == [2]
    assert len(conflicts) == 7
    db.session.expire_all()
    saved = applications.section_row(db.session.get(Application, application_id), "p3")
    assert saved.version == 2
    assert saved.data["sentralisering"] == f"skriver {results.index(2)}"


def test_a_save_racing_the_submission_is_in_the_snapshot_or_refused(app: Flask) -> None:
    application_id = make_application(service_type=ServiceType.NATIONAL_TREATMENT,
                                      complete=True).id
    saved: list[str] = []

    def work(index: int) -> object:
        writer = user("soker.ous@demo.no")
        if index == 0:
            return applications.submit(db.session.get(Application, application_id), writer)
        version = applications.section_row(db.session.get(Application, application_id),
                                           "p3").version
        for attempt in range(30):
            text = f"lagring {attempt}"
            try:
                row = applications.save_section(db.session.get(Application, application_id),
                                                "p3", {"sentralisering": text}, version, writer)
            except applications.NotEditableError:
                return "refused"
            except DomainError as error:
                return error
            version = row.version
            saved.append(text)
        return "all saved"

    results = in_threads(app, 2, work)
    assert not isinstance(results[1], BaseException), results[1]
    db.session.expire_all()
    application = db.session.get(Application, application_id)
    assert application.state == "submitted"
    document = json.loads(application.latest_submission.document)
    expected = saved[-1] if saved else "Få pasienter og høy kompleksitet."
    assert document["answers"]["sentralisering"] == expected
