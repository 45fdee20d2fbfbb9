"""How complete each point is: not started, missing something, warnings, complete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from soknad.domain.answers import empty_answers, normalise
from soknad.domain.completeness import SectionProgress, Status, percent_complete, progress
from soknad.domain.findings import Finding, Severity
from soknad.domain.formspec import FormLibrary
from soknad.domain.organisations import Region, read_health_trusts
from soknad.domain.rules import AttachmentRef, RuleContext, check_application
from soknad.domain.service_types import ApplicationKind, ServiceType
from tests.factories import VALID_ANSWERS

ROOT = Path(__file__).resolve().parents[3]
FORMS = FormLibrary.load(ROOT / "forms")
ORGANISATIONS = tuple(read_health_trusts(ROOT / "data" / "helseforetak.csv"))
NT = ServiceType.NATIONAL_TREATMENT


def context(kind: ApplicationKind = ApplicationKind.ESTABLISHMENT,
            attachments: tuple[AttachmentRef, ...] = ()) -> RuleContext:
    return RuleContext(kind=kind, round_year=2027,
                       applicant_organisation="Oslo universitetssykehus HF",
                       applicant_region=Region.SOR_OST, organisations=ORGANISATIONS,
                       attachments=attachments)


def statuses(service_type: ServiceType, changes: dict[str, Any] | None = None, *,
             empty: bool = False, ctx: RuleContext | None = None) -> dict[str, SectionProgress]:
    spec = FORMS.latest(service_type)
    ctx = ctx or context()
    if empty:
        answers = empty_answers(spec)
    else:
        answers, _ = normalise(spec, {**VALID_ANSWERS[service_type], **(changes or {})})
    findings = check_application(spec, answers, ctx)
    return {item.section.id: item for item in progress(spec, answers, findings, ctx)}


@pytest.mark.parametrize("service_type", list(ServiceType))
def test_progress_complete_application_is_complete_everywhere(service_type: ServiceType) -> None:
    result = statuses(service_type)
    assert {item.status for item in result.values()} == {Status.COMPLETE}
    assert "endring" not in result  # not asked of an establishment
    assert percent_complete(list(result.values())) == 100


@pytest.mark.parametrize("service_type", list(ServiceType))
def test_progress_empty_draft_is_not_started(service_type: ServiceType) -> None:
    result = statuses(service_type, empty=True)
    assert {item.status for item in result.values()} == {Status.NOT_STARTED}
    assert all(item.blocking > 0 for item in result.values())
    assert percent_complete(list(result.values())) == 0


@pytest.mark.parametrize(
    ("changes", "section", "status", "blocking", "warnings"),
    [
        pytest.param({}, "p7", Status.COMPLETE, 0, 0, id="complete"),
        pytest.param({"tverrfaglig": ""}, "p7", Status.MISSING, 1, 0, id="one-field-missing"),
        pytest.param({"fagpersoner": [], "tverrfaglig": "", "p7_dokumentasjon": [],
                      "stabil_kompetanse": ""}, "p7", Status.NOT_STARTED, 4, 0,
                     id="nothing-filled-in"),
        pytest.param({"pasientvolum": "10"}, "p2", Status.WARNINGS, 0, 1, id="warning-only"),
        pytest.param({"pasientvolum": "10", "volum_beskrivelse": ""}, "p2", Status.MISSING, 1, 1,
                     id="warning-and-missing"),
        pytest.param({"navn_en": "Norwegian National Unit for rare bone diseases"}, "om",
                     Status.WARNINGS, 0, 1, id="english-name-capitals"),
        pytest.param({"resultatmal": [{"mal": "Mål", "indikator": "I", "malverdi": "Bedre",
                                       "frist": "2027-06-01"}]}, "p10", Status.WARNINGS, 0, 2,
                     id="two-warnings"),
    ],
)
def test_progress_status_of_a_point(changes: dict[str, Any], section: str, status: Status,
                                    blocking: int, warnings: int) -> None:
    item = statuses(NT, changes)[section]
    assert (item.status, item.blocking, item.warnings) == (status, blocking, warnings)


def test_progress_attachment_alone_starts_a_point() -> None:
    """A point whose only answer so far is an uploaded file is started, not untouched."""
    changes = {"fagpersoner": [], "tverrfaglig": "", "p7_dokumentasjon": []}
    ctx = context(attachments=(AttachmentRef("p7_dokumentasjon", "CV-er.pdf"),))
    item = statuses(NT, changes, ctx=ctx)["p7"]
    assert (item.status, item.blocking) == (Status.MISSING, 2)


def test_progress_follows_the_kind_of_application() -> None:
    result = statuses(NT, ctx=context(ApplicationKind.CHANGE_OF_NAME))
    assert list(result) == ["om", "endring", "navneendring"]
    assert result["om"].status is Status.COMPLETE  # the contact person only
    assert result["endring"].status is Status.NOT_STARTED
    assert result["navneendring"].status is Status.MISSING  # the new names, not why
    assert percent_complete(list(result.values())) == 33


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (Status.NOT_STARTED, "Ikke påbegynt"),
        (Status.MISSING, "Mangler noe"),
        (Status.WARNINGS, "Utfylt, med advarsler"),
        (Status.COMPLETE, "Utfylt"),
    ],
)
def test_status_label_is_norwegian(status: Status, label: str) -> None:
    assert status.label == label


def _items(*items: Status) -> list[SectionProgress]:
    section = FORMS.latest(NT).section("p1")
    return [SectionProgress(section, status, 0, 0) for status in items]


@pytest.mark.parametrize(
    ("items", "percent"),
    [
        pytest.param([], 100, id="nothing-to-do"),
        pytest.param([Status.COMPLETE], 100, id="one-complete"),
        pytest.param([Status.WARNINGS], 100, id="warnings-count-as-done"),
        pytest.param([Status.MISSING], 0, id="one-missing"),
        pytest.param([Status.NOT_STARTED, Status.COMPLETE], 50, id="half"),
        pytest.param([Status.COMPLETE, Status.WARNINGS, Status.MISSING], 67, id="two-of-three"),
        pytest.param([Status.COMPLETE] + [Status.MISSING] * 13, 7, id="one-of-fourteen"),
    ],
)
def test_percent_complete_counts_points_with_nothing_blocking(items: list[Status],
                                                              percent: int) -> None:
    assert percent_complete(_items(*items)) == percent


def test_progress_counts_only_the_points_own_findings() -> None:
    spec = FORMS.latest(NT)
    answers, _ = normalise(spec, VALID_ANSWERS[NT])
    stray = Finding(rule="required", section="p3", severity=Severity.BLOCKING, message="x")
    result = {item.section.id: item for item in progress(spec, answers, [stray], context())}
    assert result["p3"].status is Status.MISSING
    assert {item.status for key, item in result.items() if key != "p3"} == {Status.COMPLETE}
