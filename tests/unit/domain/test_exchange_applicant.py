"""The applicant of an exchange document as the organisation list knows it: the list's region,
never the file's."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from soknad.domain.exchange import ApplicationDocument, applicant
from soknad.domain.findings import Severity
from soknad.domain.organisations import OrganisationEntry, OrgKind, Region
from soknad.domain.service_types import ApplicationKind

LIST = (
    OrganisationEntry("Oslo universitetssykehus HF", Region.SOR_OST, OrgKind.HF),
    OrganisationEntry("Helse Bergen HF", Region.VEST, OrgKind.HF),
    OrganisationEntry("Haraldsplass Diakonale Sykehus", Region.VEST, OrgKind.HF,
                      private_nonprofit=True),
    OrganisationEntry("Helse Vest RHF", Region.VEST, OrgKind.RHF),
)


def document(organisation: str, region: Region) -> ApplicationDocument:
    return ApplicationDocument(
        form_id="nasjonal_behandlingstjeneste", form_version=1,
        kind=ApplicationKind.ESTABLISHMENT, round_year=2027, organisation=organisation,
        region=region, answers={},
    )


class Case(NamedTuple):
    organisation: str  # in the file
    stated: Region  # in the file
    region: Region | None  # the one the rules get
    rule: str | None  # the finding, if any
    severity: Severity | None
    message: str | None


CASES = [
    Case("Oslo universitetssykehus HF", Region.SOR_OST, Region.SOR_OST, None, None, None),
    Case("Haraldsplass Diakonale Sykehus", Region.VEST, Region.VEST, None, None, None),
    Case("Helse Bergen HF", Region.SOR_OST, Region.VEST, "applicant_region", Severity.WARNING,
         "Filen oppgir regionen Helse Sør-Øst for Helse Bergen HF, men organisasjonslisten "
         "sier Helse Vest. Sjekken bruker Helse Vest."),
    Case("Oslo universitetssykehus HF", Region.NORD, Region.SOR_OST, "applicant_region",
         Severity.WARNING, "Filen oppgir regionen Helse Nord for Oslo universitetssykehus HF, "
         "men organisasjonslisten sier Helse Sør-Øst. Sjekken bruker Helse Sør-Øst."),
    Case("Sykehuset Ukjent HF", Region.VEST, None, "applicant_organisation", Severity.BLOCKING,
         "«Sykehuset Ukjent HF» står ikke i organisasjonslisten som helseforetak."),
    # an RHF is in the list, but it is not a health trust that applies
    Case("Helse Vest RHF", Region.VEST, None, "applicant_organisation", Severity.BLOCKING,
         "«Helse Vest RHF» står ikke i organisasjonslisten som helseforetak."),
    # the name must be the list's: no guessing from a near miss
    Case("helse bergen HF", Region.VEST, None, "applicant_organisation", Severity.BLOCKING,
         "«helse bergen HF» står ikke i organisasjonslisten som helseforetak."),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.organisation}/{case.stated}")
def test_the_region_is_the_lists_and_a_disagreement_is_said(case: Case) -> None:
    found = applicant(document(case.organisation, case.stated), LIST)
    assert found.organisation == case.organisation
    assert found.region is case.region
    if case.rule is None:
        assert found.findings == ()
        return
    [finding] = found.findings
    assert (finding.rule, finding.severity) == (case.rule, case.severity)
    assert case.message in finding.text
    assert finding.text.startswith("Om søknaden: ")


def test_an_empty_list_knows_no_applicant() -> None:
    found = applicant(document("Helse Bergen HF", Region.VEST), ())
    assert found.region is None
    assert [finding.rule for finding in found.findings] == ["applicant_organisation"]
