"""The overlap check as the applicant meets it on point 1: the finding names the approved
service and why, and the clarification table answers it."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from soknad.domain.service_types import ServiceType
from tests.factories import login, make_application, page

ABX = "Nasjonal kompetansetjeneste for påvisning av antibiotikaresistens"
DESCRIPTION = (
    "Tjenesten skal bygge opp og spre kompetanse om antibiotikaresistens: påvisning og "
    "karakterisering av resistente bakterier i de medisinske mikrobiologiske avdelingene, råd "
    "til infeksjonsmedisinere og smittevernpersonell, og faglige nettverk for bioingeniører."
)
FINDING = (f"Godkjente nasjonale tjenester dekker noe av det samme: {ABX} (lignende navn; "
           "lignende beskrivelse). Beskriv i «Ansvarsavklaring mot godkjente tjenester» hvordan "
           "ansvaret er fordelt mot hver av dem: én rad per tjeneste.")


def test_the_applicant_sees_the_overlap_and_answers_it(client: FlaskClient) -> None:
    login(client, "soker.ous@demo.no")
    application = make_application(
        service_type=ServiceType.NATIONAL_COMPETENCE, complete=True,
        answers={"navn_nb": "Nasjonal kompetansetjeneste for antibiotikaresistens",
                 "beskrivelse": DESCRIPTION, "icd10": ["Z16"]})
    url = f"/soknader/{application.id}/punkt/p1"
    html = page(client.get(url))
    assert FINDING in html
    assert ('href="/tjenester/nokkel/nasjonal_kompetansetjeneste:nasjonal-kompetansetjeneste-'
            f'for-p%C3%A5visning-av-antibiotikaresistens">{ABX}</a>') in html
    assert "Ansvarsavklaring mot godkjente tjenester" in html
    assert html.index(FINDING) < html.index('data-table="overlapp_avklaring"')

    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    response = client.post(url, data={
        "version": version, "beskrivelse": DESCRIPTION, "icd10": "Z16",
        "overlapp_avklaring-0-tjeneste": "påvisning av antibiotikaresistens",
        "overlapp_avklaring-0-avklaring": "De påviser resistens i laboratoriet; vi gir råd om "
                                          "behandling og forskrivning.",
    })
    assert response.status_code == 302
    html = page(client.get(url))
    assert "Godkjente nasjonale tjenester dekker noe av det samme" not in html
    assert "De påviser resistens i laboratoriet; vi gir råd om behandling og forskrivning." in html


def test_a_partial_answer_leaves_the_other_services_named(client: FlaskClient) -> None:
    login(client, "soker.ous@demo.no")
    application = make_application(
        service_type=ServiceType.NATIONAL_COMPETENCE, complete=True,
        answers={"navn_nb": "Nasjonal kompetansetjeneste for epilepsi", "beskrivelse": "Kurs.",
                 "icd10": ["G40"], "overlapp_avklaring": [
                     {"tjeneste": "Nasjonal behandlingstjeneste for kirurgisk epilepsi",
                      "avklaring": "De opererer; vi lærer opp."}]})
    html = page(client.get(f"/soknader/{application.id}/punkt/p1"))
    assert ("Godkjente nasjonale tjenester dekker noe av det samme: Nasjonal "
            "behandlingstjeneste for kompleks epilepsi med behov for høyspesialisert behandling "
            "(felles ICD-10-koder: G40; lignende navn).") in html
    assert "kirurgisk epilepsi (felles" not in html
