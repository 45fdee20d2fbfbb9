"""What the guides require beyond Appendix 6 (form version 2, «Veiledernes krav»), through the
pages: the applicant's new points, a version-1 application still checked by version 1, and the
RHF told when a region does not agree about the need."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from soknad.domain.organisations import Region
from soknad.domain.service_types import ApplicationKind, ServiceType
from soknad.extensions import db
from soknad.models import Application
from soknad.services import applications, forms
from tests.factories import REGION_ROWS, VALID_ANSWERS, client_for, make_application, page, user

OWNER = "soker.ous@demo.no"
COORDINATOR = "koordinator.sorost@demo.no"
GUIDE_FIELDS = {"stabil_kompetanse", "kvalitetssystemer", "effekt_dokumentasjon",
                "utgangspunkt", "varslingsrutiner", "referansegruppe_medlemmer", "privat_ideell",
                "ideell_avtale", "ideell_kostnader", "ideell_avtale_dokumentasjon",
                "koordinerende_region", "regional_videreforing", "ingen_pasientbehandling"}


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def submitted(answers: dict[str, Any] | None = None,
              service_type: ServiceType = ServiceType.NATIONAL_TREATMENT) -> Application:
    application = make_application(OWNER, service_type, complete=True, answers=answers)
    applications.submit(application, user(OWNER))
    return db.session.get(Application, application.id)


def rows_with(**enighet: str) -> list[dict[str, str]]:
    return [{**row, "enighet": enighet.get(row["region"].replace("-", "_"), row["enighet"])}
            for row in REGION_ROWS]


# --------------------------------------------------------------------------- version 1 stays


@pytest.mark.parametrize("service_type", list(ServiceType))
def test_a_version_1_application_is_still_checked_by_version_1(app: Flask,
                                                               service_type: ServiceType) -> None:
    spec = forms.get(forms.library().latest(service_type).id, 1)
    answers = {key: value for key, value in VALID_ANSWERS[service_type].items()
               if key not in GUIDE_FIELDS}
    application = applications.create_draft(user(OWNER), service_type,
                                            ApplicationKind.ESTABLISHMENT, answers, spec=spec)
    status = applications.draft_status(application)
    assert status.spec.key == f"{spec.id}.v1"
    assert [finding.text for finding in status.findings] == []
    submission = applications.submit(application, user(OWNER))
    assert submission.number == 1
    html = page(client_for(app, OWNER).get(f"/soknader/{application.id}/punkt/p7"))
    assert "Plan for å sikre og opprettholde en stabil" not in html
    assert "Faglig referansegruppe" not in text_of(page(client_for(app, OWNER).get(
        f"/soknader/{application.id}")))


def test_a_new_application_gets_version_2_and_misses_the_guide_fields(app: Flask) -> None:
    application = make_application(OWNER, ServiceType.NATIONAL_TREATMENT, answers={
        key: value for key, value in VALID_ANSWERS[ServiceType.NATIONAL_TREATMENT].items()
        if key not in GUIDE_FIELDS})
    status = applications.draft_status(application)
    assert status.spec.version == 2
    missing = {finding.field for finding in status.findings if finding.blocking}
    assert missing == {"stabil_kompetanse", "kvalitetssystemer", "effekt_dokumentasjon",
                       "utgangspunkt", "varslingsrutiner", "referansegruppe_medlemmer",
                       "privat_ideell"}


# --------------------------------------------------------------------------- the applicant's pages


def test_the_reference_group_point_quotes_the_guide(app: Flask) -> None:
    application = make_application(OWNER, complete=True)
    html = text_of(page(client_for(app, OWNER).get(
        f"/soknader/{application.id}/punkt/referansegruppe")))
    assert "Faglig referansegruppe" in html
    assert "Foreslått faglig referansegruppe" in html
    assert ("Alle referansegrupper skal ha representasjon fra alle regionale helseforetak og fra "
            "brukerorganisasjoner.") in html
    assert "Dag Nord" in html
    assert "Brukerrepresentant" in html


def test_the_private_provider_follow_ups_are_asked_when_it_is_one(app: Flask) -> None:
    application = make_application(OWNER, complete=True, answers={"privat_ideell": "ja"})
    status = applications.draft_status(application)
    assert {finding.field for finding in status.findings if finding.blocking} == {
        "ideell_avtale", "ideell_kostnader", "ideell_avtale_dokumentasjon"}
    html = text_of(page(client_for(app, OWNER).get(f"/soknader/{application.id}/punkt/ideell")))
    assert "Tjenesten ytes av en privat ideell institusjon" in html
    assert "Hvordan kostnadene til pasientbehandling, forskning og utdanning dekkes" in html


# --------------------------------------------------------------------------- the RHF's notice


@pytest.mark.parametrize(
    ("service_type", "enighet", "shown", "point"),
    [
        pytest.param(ServiceType.NATIONAL_TREATMENT, {"helse_nord": "nei"}, "Helse Nord",
                     "Punkt 4", id="treatment-one-no"),
        pytest.param(ServiceType.NATIONAL_COMPETENCE,
                     {"helse_vest": "nei", "helse_midt_norge": "nei"},
                     "Helse Vest og Helse Midt-Norge", "Punkt 3", id="competence-two-no"),
        pytest.param(ServiceType.MULTIREGIONAL_TREATMENT, {"helse_sor_ost": "nei"},
                     "Helse Sør-Øst", "Punkt 4", id="multiregional-own-region-no"),
    ],
)
def test_the_rhf_is_told_which_regions_said_no(app: Flask, service_type: ServiceType,
                                               enighet: dict[str, str], shown: str,
                                               point: str) -> None:
    application = submitted({"forankring": rows_with(**enighet)}, service_type)
    html = page(client_for(app, COORDINATOR).get(f"/rhf/soknader/{application.id}"))
    notice = text_of(html[html.index('aria-labelledby="uenighet"'):])
    assert notice.startswith('aria-labelledby="uenighet"> Ikke enighet om behovet i alle '
                             f"helseregioner {shown} har svart «Nei» på om det er enighet om "
                             f"behovet for tjenesten. Se svarene under {point}: Forankring")
    section = "p3" if service_type is ServiceType.NATIONAL_COMPETENCE else "p4"
    assert f'href="#del-{section}"' in html
    assert f'id="del-{section}"' in html


@pytest.mark.parametrize("enighet", [{}, {"helse_vest": "delvis"}], ids=["all-yes", "partly"])
def test_the_rhf_sees_no_notice_when_no_region_said_no(app: Flask,
                                                       enighet: dict[str, str]) -> None:
    application = submitted({"forankring": rows_with(**enighet)})
    html = page(client_for(app, COORDINATOR).get(f"/rhf/soknader/{application.id}"))
    assert "Ikke enighet om behovet" not in html
    assert application.state == "submitted"


def test_the_rhf_notice_reads_a_version_1_application_too(app: Flask) -> None:
    service_type = ServiceType.NATIONAL_TREATMENT
    spec = forms.get(forms.library().latest(service_type).id, 1)
    answers = {key: value for key, value in VALID_ANSWERS[service_type].items()
               if key not in GUIDE_FIELDS}
    answers["forankring"] = rows_with(helse_nord="nei")
    application = applications.create_draft(user(OWNER), service_type,
                                            ApplicationKind.ESTABLISHMENT, answers, spec=spec)
    applications.submit(application, user(OWNER))
    html = text_of(page(client_for(app, COORDINATOR).get(f"/rhf/soknader/{application.id}")))
    assert f"{Region.NORD.label} har svart «Nei»" in html
