"""Plain functions that make test data: complete answers for each form, logins."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from soknad import clock
from soknad.domain.contact import ContactPerson
from soknad.domain.coordination import Decision as ConsentDecision
from soknad.domain.decisions import DecisionKind
from soknad.domain.organisations import Region
from soknad.domain.service_types import ApplicationKind, ServiceType
from soknad.extensions import db
from soknad.models import Application, User
from soknad.models.advisory import AdvisoryRecommendation
from soknad.services import advisory, applications, coordination, directorate, joint
from soknad.services.demo import PASSWORD

REGION_ROWS = [
    {"region": region.value, "med_hvem": f"Fagdirektør i {region.label}", "dato": "2026-09-01",
     "enighet": "ja"}
    for region in Region
]

COMMON = {
    "navn_nb": "Nasjonal behandlingstjeneste for sjeldne beinsykdommer",
    "kontakt_navn": "Kari Nordmann",
    "kontakt_epost": "kari.nordmann@ous-hf.no",
    "kontakt_telefon": "22 11 80 80",
    "beskrivelse": "Tjenesten utreder og behandler barn og voksne med sjeldne beinsykdommer.",
    "icd10": ["Q78.0", "M88"],
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
}

MULTIREGIONAL = {
    **TREATMENT,
    "navn_nb": "Flerregional behandlingstjeneste for sjeldne beinsykdommer",
    "partner_hf": "Helse Bergen HF",
    "samarbeid": "Felles henvisningskriterier og én referansegruppe.",
}

VALID_ANSWERS: dict[ServiceType, dict[str, Any]] = {
    ServiceType.NATIONAL_TREATMENT: TREATMENT,
    ServiceType.MULTIREGIONAL_TREATMENT: MULTIREGIONAL,
    ServiceType.NATIONAL_COMPETENCE: COMPETENCE,
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


def login(client: FlaskClient, email: str) -> None:
    response = client.post("/logg-inn", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def make_application(owner_email: str = "soker.ous@demo.no",
                     service_type: ServiceType = ServiceType.NATIONAL_TREATMENT,
                     kind: ApplicationKind = ApplicationKind.ESTABLISHMENT,
                     answers: dict[str, Any] | None = None, *, complete: bool = False
                     ) -> Application:
    values = dict(VALID_ANSWERS[service_type]) if complete else {}
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
    coordinator = user(COORDINATORS[0])
    coordination.accept(application, coordinator)
    found = coordination.propose(application.round, coordinator)
    for email in COORDINATORS:
        coordination.answer(application.round, user(email), ConsentDecision.CONSENT, "",
                            found.version)
    joint.set_contact(application.round, coordinator, CONTACT)
    sent = joint.send(application.round, coordinator)
    return db.session.get(Application, application.id), sent.id


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
