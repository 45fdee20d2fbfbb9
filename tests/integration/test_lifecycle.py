"""The registry as the service's life: each kind of approval's effect on the registry, its
letter, its calendar dates, and the registry pages."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import docx
import pytest
from flask import Flask
from sqlalchemy import select

from soknad import clock
from soknad.domain import calendar as cal
from soknad.domain.decisions import DecisionKind
from soknad.domain.errors import DomainError
from soknad.domain.lifecycle import EventKind, ServiceState, ServiceStatus
from soknad.domain.registry import service_key
from soknad.domain.service_types import ApplicationKind, ServiceType
from soknad.extensions import db
from soknad.models import Application, NationalService, NationalServiceEvent
from soknad.services import calendar, directorate, joint, lifecycle, registry
from tests.factories import at_the_directorate, client_for, page, user

HDIR = "hdir@demo.no"
COMPETENCE = ServiceType.NATIONAL_COMPETENCE
RESISTANCE = "Nasjonal kompetansetjeneste for påvisning av antibiotikaresistens"
RESISTANCE_KEY = service_key(COMPETENCE, RESISTANCE)


def service(key: str = RESISTANCE_KEY) -> NationalService:
    db.session.expire_all()
    return db.session.query(NationalService).filter_by(key=key).one()


def about(kind: ApplicationKind, **answers: object) -> Application:
    """An application of ``kind`` about the antibiotic resistance service (form v2: its key)."""
    return at_the_directorate("soker.bergen@demo.no", COMPETENCE, kind,
                              {"gjeldende_tjeneste": RESISTANCE_KEY, **answers})


def letter_text(application: Application) -> str:
    decision = directorate.decisions_for(application)[-1]
    document = docx.Document(io.BytesIO(joint.decision_document(application, decision)))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def test_the_service_an_application_is_about_is_found_by_key_else_by_exact_name(
        app: Flask) -> None:
    by_key = about(ApplicationKind.TERMINATION)
    by_name = at_the_directorate("soker.bergen@demo.no", COMPETENCE,
                                 ApplicationKind.TERMINATION,
                                 {"gjeldende_tjeneste": RESISTANCE}, version=1)  # free text
    unknown = at_the_directorate("soker.bergen@demo.no", COMPETENCE,
                                 ApplicationKind.TERMINATION,
                                 {"gjeldende_tjeneste": "Nasjonal tjeneste som ikke finnes"},
                                 version=1)
    new = at_the_directorate("soker.bergen@demo.no", COMPETENCE)
    assert lifecycle.target_service(by_key).key == RESISTANCE_KEY
    assert lifecycle.target_service(by_name).key == RESISTANCE_KEY
    assert lifecycle.target_service(unknown) is None
    assert lifecycle.target_service(new) is None


def test_an_approved_termination_ends_the_service_and_nothing_else(app: Flask) -> None:
    before = {row.key: (row.name_nb, row.approved_from, row.function, row.term_ends,
                        row.description) for row in db.session.query(NationalService)}
    application = about(ApplicationKind.TERMINATION)
    decision = directorate.decide(application, DecisionKind.APPROVED, "Målene er nådd.", None,
                                  user(HDIR))
    assert (decision.terminated_from, decision.establish_by, decision.term_ends,
            decision.function) == (date(2028, 1, 1), None, None, None)
    ended = service()
    assert (ended.status, ended.terminated_from) == (ServiceStatus.TERMINATED, date(2028, 1, 1))
    assert (ended.name_nb, ended.approved_from, ended.function, ended.term_ends,
            ended.description) == before[RESISTANCE_KEY]
    after = {row.key: (row.name_nb, row.approved_from, row.function, row.term_ends,
                       row.description) for row in db.session.query(NationalService)}
    assert after == before  # no new row, no other row changed
    (event,) = lifecycle.history(ended)
    assert (event.kind, event.day, event.application_id) == (
        EventKind.TERMINATED, date(2028, 1, 1), application.id)
    assert ended.state_on(clock.today()) is ServiceState.ENDING
    assert ended.state_on(date(2028, 1, 1)) is ServiceState.TERMINATED
    assert RESISTANCE_KEY in {entry.key for entry in registry.active_entries()}
    assert RESISTANCE_KEY not in {entry.key for entry in registry.active_entries(
        date(2028, 1, 1))}


def test_the_termination_letter_says_what_ends_and_from_when(app: Flask) -> None:
    application = about(ApplicationKind.TERMINATION)
    directorate.decide(application, DecisionKind.APPROVED, "", None, user(HDIR),
                       terminated_from=date(2028, 7, 1))
    text = letter_text(db.session.get(Application, application.id))
    assert (f"Helsedirektoratet godkjenner avvikling av nasjonal kompetansetjeneste "
            f"«{RESISTANCE}»") in text
    assert "Tjenesten avvikles som nasjonal tjeneste fra og med 1. juli 2028." in text
    assert "Vedtaket kan ikke påklages" in text
    for wrong in ("etablert innen", "virketid", "funksjonen", "Godkjenningen gjelder fra"):
        assert wrong not in text


def test_a_termination_is_approved_without_a_function_and_refused_with_one(
        app: Flask) -> None:
    application = about(ApplicationKind.TERMINATION)
    with pytest.raises(DomainError, match="Bare godkjenning av en ny kompetansetjeneste"):
        directorate.decide(application, DecisionKind.APPROVED, "", "opplaering", user(HDIR))
    db.session.rollback()
    with pytest.raises(DomainError, match=r"tidligst få virkning fra 1\. januar 2028"):
        directorate.decide(db.session.get(Application, application.id),
                           DecisionKind.APPROVED, "", None, user(HDIR),
                           terminated_from=date(2027, 12, 1))
    db.session.rollback()
    assert service().status is ServiceStatus.ACTIVE


def test_a_change_of_an_unknown_service_cannot_be_approved(app: Flask) -> None:
    application = at_the_directorate("soker.bergen@demo.no", COMPETENCE,
                                     ApplicationKind.CHANGE_OF_CONTENT,
                                     {"gjeldende_tjeneste": "Finnes ikke"}, version=1)
    with pytest.raises(DomainError, match="Fant ikke tjenesten"):
        directorate.decide(application, DecisionKind.APPROVED, "", None, user(HDIR))


def test_an_approved_rename_keeps_one_row_with_its_key_and_former_name(app: Flask) -> None:
    count = db.session.query(NationalService).count()
    new_name = "Nasjonal kompetansetjeneste for antimikrobiell resistens"
    application = about(ApplicationKind.CHANGE_OF_NAME, navn_nb=new_name)
    directorate.decide(application, DecisionKind.APPROVED, "", None, user(HDIR))
    renamed = service()
    assert (renamed.name_nb, renamed.former_names, renamed.status) == (
        new_name, [RESISTANCE], ServiceStatus.ACTIVE)
    assert db.session.query(NationalService).count() == count
    (event,) = lifecycle.history(renamed)
    assert event.kind is EventKind.RENAMED
    text = letter_text(db.session.get(Application, application.id))
    assert f"Helsedirektoratet godkjenner at nasjonal kompetansetjeneste «{RESISTANCE}»" in text
    assert f"får det nye navnet «{new_name}»." in text
    assert "Det nye navnet gjelder fra 1. januar 2028." in text
    assert "etablert innen" not in text
    assert "virketid" not in text


def test_an_approved_change_of_content_records_the_new_description(app: Flask) -> None:
    new = "Tjenesten påviser antibiotikaresistens og gir råd om smittevern i alle regioner."
    application = about(ApplicationKind.CHANGE_OF_CONTENT, beskrivelse=new)
    directorate.decide(application, DecisionKind.APPROVED, "", None, user(HDIR))
    changed = service()
    assert (changed.name_nb, changed.description, changed.status) == (
        RESISTANCE, new, ServiceStatus.ACTIVE)
    (event,) = lifecycle.history(changed)
    assert event.kind is EventKind.CONTENT_CHANGED
    text = letter_text(db.session.get(Application, application.id))
    assert ("Helsedirektoratet godkjenner endret innhold i nasjonal kompetansetjeneste "
            f"«{RESISTANCE}»") in text
    assert new in text
    assert "etablert innen" not in text


def test_an_approved_establishment_is_entered_with_a_history_line(app: Flask) -> None:
    application = at_the_directorate(answers={"navn_nb": "Nasjonal kompetansetjeneste for test"})
    directorate.decide(application, DecisionKind.APPROVED, "", "opplaering", user(HDIR))
    entered = service(service_key(COMPETENCE, "Nasjonal kompetansetjeneste for test"))
    (event,) = lifecycle.history(entered)
    assert (event.kind, event.day) == (EventKind.ESTABLISHED, date(2028, 1, 1))
    assert "skal være etablert innen 31. desember 2028" in letter_text(
        db.session.get(Application, application.id))


def test_the_decision_page_asks_only_what_the_kind_needs(app: Flask) -> None:
    hdir = client_for(app, HDIR)
    termination = page(hdir.get(f"/hdir/soknader/{about(ApplicationKind.TERMINATION).id}"))
    establishment = page(hdir.get(f"/hdir/soknader/{at_the_directorate().id}"))
    assert 'name="funksjon"' not in termination
    assert 'name="avvikles_fra"' in termination
    assert "avvikles fra og med 1. januar 2028" in termination
    assert "etablert innen" not in termination
    assert 'name="funksjon"' in establishment
    assert 'name="avvikles_fra"' not in establishment


def test_the_termination_is_confirmed_and_recorded_through_the_pages(app: Flask) -> None:
    application = about(ApplicationKind.TERMINATION)
    hdir = client_for(app, HDIR)
    typed = {"vedtak": "approved", "begrunnelse": "", "avvikles_fra": "2028-07-01",
             "underskriver": "Ola Direktør", "tittel": "Avdelingsdirektør"}
    too_early = hdir.post(f"/hdir/soknader/{application.id}/vedtak",
                          data=typed | {"avvikles_fra": "2027-06-01"})
    assert too_early.status_code == 422
    assert ('<a href="#vedtak-avvikles-fra">En avvikling vedtatt i søknadsrunden 2027 kan '
            'tidligst få virkning fra 1. januar 2028.</a>') in page(too_early)
    assert 'value="2027-06-01"' in page(too_early)  # nothing typed is lost
    confirm = page(hdir.post(f"/hdir/soknader/{application.id}/vedtak", data=typed))
    assert "Tjenesten avvikles fra og med" in confirm
    assert "1. juli 2028" in confirm
    assert "etablert innen" not in confirm
    hdir.post(f"/hdir/soknader/{application.id}/vedtak/bekreft", data=typed)
    assert service().terminated_from == date(2028, 7, 1)


def test_terms_ending_lists_existing_services_counted_from_their_approval(app: Flask) -> None:
    today = date(2028, 9, 1)
    ending = registry.terms_ending(548, today)
    assert ending, "imported competence services approved before 2020 end on 31.12.2029"
    assert date(2029, 12, 31) in {row.term_end for row in ending}
    for row in ending:
        assert row.term_ends is None or row.application_id
        assert row.term_end is not None
        assert 0 <= (row.term_end - today).days <= 548
        assert row.status is ServiceStatus.ACTIVE


def test_the_calendar_has_each_kind_s_own_dates(app: Flask) -> None:
    termination = about(ApplicationKind.TERMINATION)
    directorate.decide(termination, DecisionKind.APPROVED, "", None, user(HDIR))
    rename = at_the_directorate("soker.bergen@demo.no", COMPETENCE,
                                ApplicationKind.CHANGE_OF_NAME,
                                {"gjeldende_tjeneste": service_key(
                                    COMPETENCE, "Nasjonal kompetansetjeneste for antibiotikabruk"
                                    " i spesialisthelsetjenesten"),
                                 "navn_nb": "Nasjonal kompetansetjeneste for antibiotikabruk"})
    directorate.decide(rename, DecisionKind.APPROVED, "", None, user(HDIR))
    # an existing service with the function «opplæring» approved in 2022: its five years,
    # counted from 1 January 2023, end in the round's year
    existing = db.session.scalars(select(NationalService).where(
        NationalService.service_type == COMPETENCE.value,
        NationalService.status == ServiceStatus.ACTIVE,
        NationalService.application_id.is_(None)).order_by(NationalService.id)).first()
    existing.approved_from, existing.function = date(2022, 6, 1), "opplaering"
    db.session.commit()
    found = calendar.load(termination.round).deadlines
    mine = {item.key: item for item in found}
    assert mine[f"service_term:{existing.id}"].day == date(2027, 12, 31)
    ends = mine[f"service_ends:{termination.id}"]
    assert (ends.kind, ends.day) == (cal.DeadlineKind.SERVICE_ENDS, date(2028, 1, 1))
    assert mine[f"change_effective:{rename.id}"].day == date(2028, 1, 1)
    for application in (termination, rename):
        assert f"establish_by:{application.id}" not in mine
        assert f"term_ends:{application.id}" not in mine
    terms = [item for item in found if item.key.startswith("service_term:")]
    assert terms
    assert all(item.day.year in {2027, 2028} for item in terms)


def test_the_registry_pages_show_status_end_date_former_names_and_history(
        app: Flask) -> None:
    application = about(ApplicationKind.TERMINATION)
    directorate.decide(application, DecisionKind.APPROVED, "", None, user(HDIR))
    reader = client_for(app, "soker.ous@demo.no")
    detail = page(reader.get(f"/tjenester/{service().id}"))
    assert "Tjenesten avvikles som nasjonal tjeneste f.o.m." in detail
    assert "Avviklet fra og med" in detail
    assert "1. januar 2028" in detail
    assert "Historikk" in detail
    assert f"Søknad {application.id}" in detail
    listed = page(reader.get("/tjenester/?status=avvikles"))
    assert RESISTANCE in listed
    assert "Avvikles f.o.m. 01.01.2028" in listed
    ended = page(reader.get("/tjenester/?status=avviklet"))
    assert "Nasjonal behandlingstjeneste for barnerevmakirurgi" in ended
    assert RESISTANCE not in ended


def test_the_import_marks_a_published_termination(app: Flask) -> None:
    ended = service(service_key(ServiceType.NATIONAL_TREATMENT,
                                "Nasjonal behandlingstjeneste for barnerevmakirurgi"))
    assert (ended.status, ended.terminated_from) == (ServiceStatus.TERMINATED, date(2019, 1, 1))
    assert [event.kind for event in db.session.query(NationalServiceEvent).filter_by(
        service_id=ended.id)] == [EventKind.TERMINATED]
    assert ended.key not in {entry.key for entry in registry.active_entries()}


def test_the_termination_letter_reads_the_same_in_word_and_libreoffice(
        app: Flask, tmp_path: Path) -> None:
    """The letter as the health trust downloads it, read by python-docx and by LibreOffice."""
    application = about(ApplicationKind.TERMINATION)
    decision = directorate.decide(application, DecisionKind.APPROVED, "", None, user(HDIR))
    data = client_for(app, "soker.bergen@demo.no").get(
        f"/soknader/{application.id}/vedtak/{decision.id}.docx").data
    readers = ["\n".join(paragraph.text
                         for paragraph in docx.Document(io.BytesIO(data)).paragraphs)]
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is needed to read the letter independently"
    (tmp_path / "vedtak.docx").write_bytes(data)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(tmp_path),
                    str(tmp_path / "vedtak.docx")], check=True, capture_output=True, timeout=120)
    readers.append((tmp_path / "vedtak.txt").read_text(encoding="utf-8-sig"))
    for text in readers:
        assert f"godkjenner avvikling av nasjonal kompetansetjeneste «{RESISTANCE}»" in text
        assert "Tjenesten avvikles som nasjonal tjeneste fra og med 1. januar 2028." in text
        assert "etablert innen" not in text
        assert "virketid" not in text
