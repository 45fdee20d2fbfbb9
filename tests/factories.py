"""Plain functions that make test data: complete answers for each form, logins."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from soknad import clock
from soknad.domain.contact import ContactPerson
from soknad.domain.coordination import Decision as ConsentDecision
from soknad.domain.decisions import DecisionKind
from soknad.domain.formspec import Column, ColumnKind, FieldKind, FormSpec
from soknad.domain.formspec import Field as SpecField
from soknad.domain.organisations import Region
from soknad.domain.reports import ReportState
from soknad.domain.service_types import ApplicationKind, ServiceType
from soknad.extensions import db
from soknad.models import AnnualReport, Application, JointSubmission, Round, User
from soknad.models.advisory import AdvisoryRecommendation
from soknad.services import (
    advisory,
    applications,
    coordination,
    directorate,
    forms,
    joint,
    reports,
    users,
)
from soknad.services.demo import PASSWORD

REGION_ROWS = [
    {"region": region.value, "med_hvem": f"Fagdirektør i {region.label}", "dato": "2026-09-01",
     "enighet": "ja"}
    for region in Region
]

#: One member per RHF and a user representative; the chair from Helse Nord, a region none of the
#: test applications lies in (Oslo universitetssykehus HF, and Helse Bergen HF as partner).
REFERENCE_GROUP = [
    {"navn": "Anna Sør", "fag": "Overlege, ortopedi", "representerer": "helse-sor-ost",
     "verv": "medlem"},
    {"navn": "Bjørn Vest", "fag": "Overlege, pediatri", "representerer": "helse-vest",
     "verv": "medlem"},
    {"navn": "Cecilie Midt", "fag": "Overlege, genetikk", "representerer": "helse-midt-norge",
     "verv": "medlem"},
    {"navn": "Dag Nord", "fag": "Professor, ortopedi", "representerer": "helse-nord",
     "verv": "leder"},
    {"navn": "Eli Bruker", "fag": "Norsk forening for sjeldne", "representerer": "bruker",
     "verv": "medlem"},
]

COMMON = {
    "navn_nb": "Nasjonal behandlingstjeneste for sjeldne beinsykdommer",
    "kontakt_navn": "Kari Nordmann",
    "kontakt_epost": "kari.nordmann@ous-hf.no",
    "kontakt_telefon": "22 11 80 80",
    "beskrivelse": "Tjenesten utreder og behandler barn og voksne med sjeldne beinsykdommer.",
    "icd10": ["Q78.0", "M88"],
    "overlapp_avklaring": [],
    "forankring": REGION_ROWS,
    "forankring_kommentar": "",
    "brukere_konsultert": "ja",
    "brukerorganisasjoner": [{"organisasjon": "Norsk forening for sjeldne", "dato": "2026-08-15",
                              "synspunkt": "Støtter"}],
    "begrunnelse_ikke_brukere": "",
    "spredningsplan": [{"kompetanse": "Diagnostikk", "malgruppe": "Barneleger",
                        "virkemiddel": "Kurs", "frist": "2028-06-01"}],
    "resultatmal": [{"mal": "Kortere ventetid", "indikator": "Dager til utredning",
                     "malverdi": "Under 30 dager", "frist": "2029-12-31"}],
    "infrastruktur": "Operasjonsstuer og laboratorium.",
    "kostnadseffektivitet": "Færre feilbehandlinger.",
    # What the guides require beyond Appendix 6 (form version 2, «Veiledernes krav»).
    "effekt_dokumentasjon": "Spørreundersøkelse til henviserne hvert år.",
    "utgangspunkt": [{"mal_nr": "1", "verdi": "45 dager", "kilde": "Norsk pasientregister 2025"}],
    "kvalitetssystemer": [{"system": "Nasjonalt kvalitetsregister", "folger_med": "Ventetid",
                           "bruk": "Årlig forbedringsmøte"}],
    "referansegruppe_medlemmer": REFERENCE_GROUP,
    "privat_ideell": "nei",
    "ideell_avtale": "",
    "ideell_kostnader": "",
    "ideell_avtale_dokumentasjon": [],
}

TREATMENT = {
    **COMMON,
    "navn_en": "Norwegian National Unit for Rare Bone Diseases",
    "behandlingsmetode": "Kirurgi og medikamentell behandling.",
    "ny_metode": "nei",
    "pasientvolum": "60",
    "volum_beskrivelse": "Om lag 60 nye pasienter i året.",
    "p2_dokumentasjon": ["Norsk pasientregister 2025"],
    "sentralisering": "Få pasienter og høy kompleksitet.",
    "konsekvenser": "Lengre reisevei for noen.",
    "tilleggsgevinst": "Bedre prognose.",
    "p3_dokumentasjon": ["Smith et al. 2024"],
    "p4_dokumentasjon": ["Referat fra fagdirektørmøte 1.9.2026"],
    "p5_dokumentasjon": ["Brev fra brukerorganisasjonen"],
    "forskningsaktivitet": "Tre pågående studier.",
    "forskningsnettverk": "ERN BOND.",
    "p6_dokumentasjon": ["Publikasjonsliste"],
    "fagpersoner": [
        {"navn": "Ola Lege", "yrke": "Lege", "kompetanse": "Ortoped", "stillingsandel": "100"},
        {"navn": "Eva Sykepleier", "yrke": "Sykepleier", "kompetanse": "Barn",
         "stillingsandel": "50"},
        {"navn": "Per Fysio", "yrke": "Fysioterapeut", "kompetanse": "Rehabilitering",
         "stillingsandel": "20,5"},
    ],
    "tverrfaglig": "Ortopedi, pediatri, fysioterapi.",
    "p7_dokumentasjon": ["CV-er"],
    "forskningsbasert_praksis": "Metodevurdering 2023.",
    "p8_dokumentasjon": ["Metodevurdering ID2023_001"],
    "henvisningskriterier": "Mistanke om sjelden beinsykdom.",
    "pasientforlop": "Oppfølging lokalt.",
    "forebygging": "Genetisk veiledning.",
    "plan_resultat": "Årlig rapportering.",
    "p11_dokumentasjon": ["Utstyrsliste"],
    "p12_dokumentasjon": ["Kostnadsanalyse"],
    "stabil_kompetanse": "Tre leger deler vaktene; to er under opplæring.",
    "varslingsrutiner": "Fagdirektøren varsler de andre RHF-ene innen en uke.",
}

COMPETENCE = {
    **COMMON,
    "navn_nb": "Nasjonal kompetansetjeneste for sjeldne beinsykdommer",
    "navn_en": "Norwegian National Advisory Unit on Rare Bone Diseases",
    "funksjon": "opplaering",
    "kompetansesvakt": "Få fagfolk kjenner diagnosene.",
    "behov_kompetanseoppbygging": "Pasientene får sen diagnose.",
    "p2_dokumentasjon": ["Kartlegging 2025"],
    "p3_dokumentasjon": ["Referat"],
    "p4_dokumentasjon": ["Brev"],
    "forskningskompetanse": "To doktorgrader.",
    "forskernettverk": "ERN BOND.",
    "p5_dokumentasjon": ["Publikasjoner"],
    "kompetanse_fagfeltet": "Lang erfaring.",
    "p6_dokumentasjon": ["CV-er"],
    "formidling": "Kurs og e-læring.",
    "p7_dokumentasjon": ["Kursevaluering"],
    "plan_beskrivelse": "Kurs i alle regioner.",
    "tidsplan": "Innen 2030.",
    "p10_dokumentasjon": ["Utstyrsliste"],
    "p11_dokumentasjon": ["Kostnadsanalyse"],
    "regional_videreforing": "Regionale nettverk i alle fire regioner innen 2031.",
    "ingen_pasientbehandling": "bekreftet",
}

MULTIREGIONAL = {
    **TREATMENT,
    "navn_nb": "Flerregional behandlingstjeneste for sjeldne beinsykdommer",
    "partner_hf": "Helse Bergen HF",
    "samarbeid": "Felles henvisningskriterier og én referansegruppe.",
    "koordinerende_region": "helse-sor-ost",
}

VALID_ANSWERS: dict[ServiceType, dict[str, Any]] = {
    ServiceType.NATIONAL_TREATMENT: TREATMENT,
    ServiceType.MULTIREGIONAL_TREATMENT: MULTIREGIONAL,
    ServiceType.NATIONAL_COMPETENCE: COMPETENCE,
}


#: A registry service of each type that the non-establishment kinds concern in tests (from
#: data/nasjonale_tjenester.csv, which the demo data imports), by key and by name.
TARGET_SERVICES: dict[ServiceType, tuple[str, str]] = {
    ServiceType.NATIONAL_TREATMENT: (
        "nasjonal_behandlingstjeneste:nasjonal-behandlingstjeneste-for-akutt-replantasjonskirurgi",
        "Nasjonal behandlingstjeneste for akutt replantasjonskirurgi"),
    ServiceType.MULTIREGIONAL_TREATMENT: (
        "flerregional_behandlingstjeneste:"
        "flerregional-behandlingstjeneste-for-allogen-stamcelletransplantasjon",
        "Flerregional behandlingstjeneste for allogen stamcelletransplantasjon"),
    ServiceType.NATIONAL_COMPETENCE: (
        "nasjonal_kompetansetjeneste:nasjonale-kompetansetjeneste-for-albuekirurgi",
        "Nasjonale kompetansetjeneste for albuekirurgi"),
}

CONTACT_ANSWERS = {key: COMMON[key] for key in (
    "kontakt_navn", "kontakt_epost", "kontakt_telefon")}

RENAME = {
    "begrunnelse_navn": "Dagens navn gir et feil bilde av innholdet i tjenesten.",
    "navn_dokumentasjon": ["Referat fra fagrådet 2026"],
}
NEW_NAMES = {
    ServiceType.NATIONAL_TREATMENT: (
        "Nasjonal behandlingstjeneste for replantasjon",
        "Norwegian National Unit for Replantation"),
    ServiceType.MULTIREGIONAL_TREATMENT: (
        "Flerregional behandlingstjeneste for stamcelletransplantasjon",
        "Norwegian National Unit for Allogeneic Stem Cell Transplantation"),
    ServiceType.NATIONAL_COMPETENCE: (
        "Nasjonal kompetansetjeneste for albue- og skulderkirurgi",
        "Norwegian National Advisory Unit on Elbow and Shoulder Surgery"),
}
TERMINATION = {
    "begrunnelse_avvikling": "Målene er nådd, og kunnskapen er spredt til alle regioner.",
    "oppgaver_videre": "Undervisning og registeret videreføres i vanlig drift ved OUS.",
    "videreforing": "nettverk",
    "videreforing_beskrivelse": "Kvalitets- og kompetansenettverk med tilslutning i alle regioner.",
    "ansatte": "To stillinger går over til nettverket; ingen blir oppsagt.",
    "pasienter": "Pasientene følges opp ved sine regionale sykehus.",
    "sluttdato": "2028-12-31",  # ≥ 18 months after 15 January 2027
}
CHANGE_OF_CONTENT = {
    "endringer": "Tjenesten skal også omfatte oppfølging etter behandlingen.",
    "begrunnelse_endring": "Pasientene mangler et samlet tilbud etter behandlingen.",
}


def kind_answers(service_type: ServiceType, kind: ApplicationKind) -> dict[str, Any]:
    """Complete answers for the newest form of ``service_type`` and an application of ``kind``
    (a change, rename or termination concerns ``TARGET_SERVICES[service_type]``)."""
    if kind is ApplicationKind.ESTABLISHMENT:
        return dict(VALID_ANSWERS[service_type])
    target = {"gjeldende_tjeneste": TARGET_SERVICES[service_type][0]}
    if kind is ApplicationKind.CHANGE_OF_CONTENT:
        own = {key: value for key, value in VALID_ANSWERS[service_type].items()
               if key not in {"navn_nb", "navn_en"}}
        return {**own, **target, **CHANGE_OF_CONTENT}
    if kind is ApplicationKind.CHANGE_OF_NAME:
        name_nb, name_en = NEW_NAMES[service_type]
        return {**CONTACT_ANSWERS, **target, **RENAME, "navn_nb": name_nb, "navn_en": name_en}
    return {**CONTACT_ANSWERS, **target, **TERMINATION}


#: Complete answers per (service type, kind) for the newest forms.
KIND_ANSWERS: dict[tuple[ServiceType, ApplicationKind], dict[str, Any]] = {
    (service_type, kind): kind_answers(service_type, kind)
    for service_type in ServiceType for kind in ApplicationKind
}


def user(email: str) -> User:
    found = db.session.scalar(select(User).where(User.email == email))
    assert found is not None, email
    return found


def page(response: Any) -> str:
    """A response's HTML, as the browser gets it."""
    return response.get_data(as_text=True)


def client_for(app: Flask, email: str) -> FlaskClient:
    """A test client of its own, logged in as ``email``."""
    client = app.test_client()
    login(client, email)
    return client


def token_of(html: str) -> str:
    """The form token on a page (for the tests that check tokens, ``csrf_on``)."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None, "no form token on the page"
    return found.group(1)


def login_with_token(client: FlaskClient, email: str = "soker.ous@demo.no") -> None:
    """Log in through the page with its form token (``csrf_on``)."""
    token = token_of(client.get("/logg-inn").get_data(as_text=True))
    response = client.post("/logg-inn", data={"email": email, "password": PASSWORD,
                                              "csrf_token": token})
    assert response.status_code == 302


def login(client: FlaskClient, email: str) -> None:
    response = client.post("/logg-inn", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def make_application(owner_email: str = "soker.ous@demo.no",
                     service_type: ServiceType = ServiceType.NATIONAL_TREATMENT,
                     kind: ApplicationKind = ApplicationKind.ESTABLISHMENT,
                     answers: dict[str, Any] | None = None, *, complete: bool = False
                     ) -> Application:
    values = dict(KIND_ANSWERS[service_type, kind]) if complete else {}
    values.update(answers or {})
    return applications.create_draft(user(owner_email), service_type, kind, values)


COORDINATORS = ("koordinator.sorost@demo.no", "koordinator.vest@demo.no",
                "koordinator.midt@demo.no", "koordinator.nord@demo.no")


#: The joint submission's contact person in tests (the coordinating RHF's coordinator).
CONTACT = ContactPerson("Anne Berg", "Fagdirektør", "koordinator.sorost@demo.no",
                        "+47 22 33 44 55")


def recommend(application: Application, kind: DecisionKind = DecisionKind.APPROVED,
              email: str = "hdir@demo.no") -> AdvisoryRecommendation:
    """Rådgivingsgruppen's recommendation of ``kind``, recorded today as Helsedirektoratet does
    before every decision (``services.advisory``; a decision without one is refused)."""
    return advisory.record(application, kind.value, clock.today(),
                           "Rådgivingsgruppen har vurdert søknaden i sitt møte.", user(email))


def sent_in_joint_submission(owner: User) -> tuple[Application, int]:
    """(application, joint submission id): an application of ``owner``'s region in a joint
    submission sent to Helsedirektoratet, not decided yet."""
    application = make_application(owner.email, complete=True)
    applications.submit(application, owner)
    coordination.accept(application, user(COORDINATORS[0]))
    sent = send_jointly(application.round)
    return db.session.get(Application, application.id), sent.id


def send_jointly(round_: Round) -> JointSubmission:
    """The joint submission of ``round_``'s accepted applications: the coordinating RHF (Helse
    Sør-Øst in the demo) proposes the national list, the four RHFs consent, and the coordinator
    names the contact person and sends it to Helsedirektoratet."""
    coordinator = user(COORDINATORS[0])
    found = coordination.propose(round_, coordinator)
    for email in COORDINATORS:
        coordination.answer(round_, user(email), ConsentDecision.CONSENT, "", found.version)
    joint.set_contact(round_, coordinator, CONTACT)
    return joint.send(round_, coordinator)


def sent_and_postponed(owner: User) -> tuple[int, int, int]:
    """(application, decision, joint submission) ids: an application of ``owner``'s region in a
    sent joint submission, postponed by Helsedirektoratet."""
    application = make_application(owner.email, complete=True)
    applications.submit(application, owner)
    coordinator = user(COORDINATORS[0])
    coordination.accept(application, coordinator)
    found = coordination.propose(application.round, coordinator)
    for email in COORDINATORS:
        coordination.answer(application.round, user(email), ConsentDecision.CONSENT, "",
                            found.version)
    joint.set_contact(application.round, coordinator, CONTACT)
    sent = joint.send(application.round, coordinator)
    recommend(application, DecisionKind.POSTPONED)
    decision = directorate.decide(application, DecisionKind.POSTPONED, "Mer utredning", None,
                                  user("hdir@demo.no"))
    return application.id, decision.id, sent.id


def listed(*owner_emails: str) -> list[Application]:
    """One complete application per owner, submitted, accepted by its RHF and on the round's
    proposed national list (no region has consented yet). The coordinating RHF proposes."""
    found = []
    for email in owner_emails:
        application = make_application(email, complete=True)
        applications.submit(application, user(email))
        region = application.organisation.region_enum
        assert region is not None
        coordination.accept(application, users.coordinators(region)[0])
        found.append(application)
    round_ = found[0].round
    coordinating = coordination.coordinating_region(round_)
    assert coordinating is not None
    coordination.propose(round_, users.coordinators(coordinating)[0])
    return found


def multiregional(owner_email: str = "soker.ous@demo.no", partner: str = "Helse Bergen HF",
                  *, submit: bool = True) -> Application:
    """A complete multi-regional application naming ``partner`` as the other health trust;
    submitted to the owner's RHF unless ``submit`` is false."""
    application = make_application(owner_email, ServiceType.MULTIREGIONAL_TREATMENT,
                                   answers={"partner_hf": partner}, complete=True)
    if submit:
        applications.submit(application, user(owner_email))
    return application


def at_the_directorate(owner_email: str = "soker.bergen@demo.no",
                       service_type: ServiceType = ServiceType.NATIONAL_COMPETENCE,
                       kind: ApplicationKind = ApplicationKind.ESTABLISHMENT,
                       answers: dict[str, Any] | None = None, *, version: int | None = None,
                       recommended: DecisionKind | None = DecisionKind.APPROVED
                       ) -> Application:
    """A complete application of ``kind``, submitted, accepted by its region's coordinator and
    sent to Helsedirektoratet, waiting for a decision with Rådgivingsgruppen's ``recommended``
    outcome recorded (for a change or termination, put the registry key of the service in
    ``answers["gjeldende_tjeneste"]``; on form ``version`` 1, its name as typed)."""
    from soknad.domain.workflow import Action

    if version is None:
        application = make_application(owner_email, service_type, kind, answers, complete=True)
    else:
        spec = forms.library().get(service_type.value, version)
        known = {spec_field.id for _, spec_field in spec.fields()}
        # version 1 asks every kind the establishment's fields
        complete_answers = {**VALID_ANSWERS[service_type], **KIND_ANSWERS[service_type, kind]}
        values = {key: value for key, value in complete_answers.items() if key in known}
        if kind is not ApplicationKind.ESTABLISHMENT:
            values["begrunnelse_endring"] = "Tjenesten har nådd målene i virketiden."
        application = applications.create_draft(user(owner_email), service_type, kind,
                                                {**values, **(answers or {})}, spec=spec)
    applications.submit(db.session.get(Application, application.id), user(owner_email))
    region = user(owner_email).organisation.region_enum
    assert region is not None
    coordinator = users.coordinators(region)[0]
    for action in (Action.ACCEPT, Action.INCLUDE_IN_JOINT, Action.SEND_TO_DIRECTORATE):
        applications.change_state(db.session.get(Application, application.id), action,
                                  coordinator)
        db.session.commit()
    if recommended is not None:
        recommend(db.session.get(Application, application.id), recommended)
        db.session.commit()
    return db.session.get(Application, application.id)


# --------------------------------------------------------------------------- annual reports

REPORT_YEAR = 2026  # the reports due 15 March 2027, the demo round's year


def report_answers(spec: FormSpec) -> dict[str, Any]:
    """Answers to every field of a report form that a checker accepts: plain values by kind,
    one row per region for regional tables, the rows a table needs at least."""
    answers: dict[str, Any] = {}
    for _, field in spec.fields():
        answers[field.id] = _report_value(field)
    return answers


def _cell(column: Column, row: int) -> str:
    match column.kind:
        case ColumnKind.DATE:
            return "2026-06-01"
        case ColumnKind.NUMBER | ColumnKind.PERCENT:
            return str(3 + row)
        case ColumnKind.CHOICE:
            return column.choices[0].value
        case _:
            return f"{column.label} {row + 1}"


def _report_value(field: SpecField) -> Any:
    match field.kind:
        case FieldKind.TABLE if field.row_per_region:
            return [{"region": region.value, **{column.id: _cell(column, index)
                                                for column in field.columns}}
                    for index, region in enumerate(Region)]
        case FieldKind.TABLE:
            return [{column.id: _cell(column, index) for column in field.columns}
                    for index in range(max(field.min_rows, 1))]
        case FieldKind.NUMBER:
            return "12"
        case FieldKind.DATE:
            return "2026-06-01"
        case FieldKind.CHOICE:
            return field.choices[0].value
        case FieldKind.LINE if field.input_type == "email":
            return "kontakt@ous-hf.no"
        case FieldKind.LINE if field.input_type == "url":
            return "https://www.oslo-universitetssykehus.no/tjenesten"
        case _:
            return f"{field.label}: svar fra tjenesten."


def owed_report(owner_email: str = "soker.ous@demo.no",
                service_type: ServiceType | None = None,
                year: int = REPORT_YEAR) -> reports.Owed:
    """A service the owner's health trust must report on, of ``service_type`` if given."""
    owner = user(owner_email)
    for item in reports.owed(year, organisation_id=owner.organisation_id):
        if service_type is None or item.service.service_type_enum is service_type:
            return item
    raise AssertionError(f"{owner_email} owes no report of {service_type}")


def started_report(owner_email: str = "soker.ous@demo.no",
                   service_type: ServiceType | None = None, *, year: int = REPORT_YEAR,
                   complete: bool = False, state: ReportState = ReportState.DRAFT,
                   approved: bool | None = None) -> AnnualReport:
    """A report started by the owner's health trust. ``complete`` fills every field;
    ``state`` puts it straight in a later state (for the pages of the RHF and
    Helsedirektoratet), with the reference group's approval and the sending times that state
    implies."""
    item = owed_report(owner_email, service_type, year)
    assert item.host is not None
    report = reports.start(item.service, year, item.host, user(owner_email))
    if complete:
        report.answers = {**report_answers(reports.spec_of(report)), **report.answers}
    if approved if approved is not None else state is not ReportState.DRAFT:
        report.approved_on, report.approved_by = date(year + 1, 2, 20), "Dag Nord, leder"
    if state is not ReportState.DRAFT:
        moment = clock.now()
        report.first_sent_at = report.sent_at = moment
        if state in {ReportState.FORWARDED, ReportState.SUPPLEMENT_REQUESTED,
                     ReportState.ASSESSED}:
            report.forwarded_at = moment
    report.state = state
    report.version += 1
    db.session.commit()
    return report


# --------------------------------------------------------------------------- statistics


def decided_at_the_directorate(owner_email: str, service_type: ServiceType,
                               kind: DecisionKind | None, days: int = 0) -> Application:
    """An application of the owner's region at Helsedirektoratet, decided ``kind`` ``days``
    after it was sent (today); ``kind`` None leaves it undecided."""
    from datetime import timedelta

    from soknad.models import Decision

    application = at_the_directorate(owner_email, service_type,
                                     recommended=kind or DecisionKind.APPROVED)
    if kind is None:
        return application
    function = ("opplaering" if kind is DecisionKind.APPROVED
                and service_type is ServiceType.NATIONAL_COMPETENCE else None)
    decision = directorate.decide(application, kind, "Begrunnelse for vedtaket.", function,
                                  user("hdir@demo.no"))
    row = db.session.get(Decision, decision.id)
    assert row is not None
    row.decided_on = clock.today() + timedelta(days=days)
    db.session.commit()
    return application


def report_with_goals(year: int, state: ReportState, goals: list[str], courses: str,
                      owner_email: str = "soker.ous@demo.no") -> AnnualReport:
    """A complete competence service report on ``year`` in ``state``, with result goals of the
    given statuses («naadd», «delvis», «ikke_naadd») and ``courses`` as its «kurs» figure."""
    report = started_report(owner_email, ServiceType.NATIONAL_COMPETENCE, year=year,
                            complete=True, state=state)
    report.answers = {**report.answers, "kurs": courses,
                      "resultatmal": [{"mal": f"Mål {index}", "status": status}
                                      for index, status in enumerate(goals)]}
    report.version += 1  # every change of the answers counts up the version (the read page's key)
    db.session.commit()
    return report
