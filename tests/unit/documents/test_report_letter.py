"""The 1 June letter on a region's annual reports: what the template sees, the letter read back
with python-docx, and LibreOffice (an independent reader) finding every service and outcome."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from soknad.config import PROJECT_ROOT
from soknad.documents import TemplateKind, check_template
from soknad.documents.render import report_letter_docx
from soknad.documents.report_letter import (
    NOT_ASSESSED,
    ReportLetterData,
    ReportOutcome,
    report_letter_context,
    sample,
)
from soknad.domain.reports import OUTCOME_LABELS, AssessmentOutcome
from tests.unit.documents.test_libreoffice import SOFFICE, convert

TEMPLATE = PROJECT_ROOT / "templates" / "docx" / TemplateKind.REPORT_LETTER.filename


def test_the_counts_proposals_and_supplements() -> None:
    context = report_letter_context(sample())
    counts = [context[key] for key in ("antall", "antall_i_orden", "antall_oppfolging",
                                       "antall_endring", "antall_avvikling",
                                       "antall_ikke_vurdert")]
    assert counts == ["5", "1", "1", "1", "1", "1"]
    assert [str(item["navn"]) for item in context["forslag"]] == [
        "Nasjonal behandlingstjeneste for et tredje", "Nasjonal behandlingstjeneste for et fjerde"]
    assert [str(item["tillegg"]) for item in context["tillegg"]] == ["Rapporter resultatmålene."]
    assert len(context["oppfolging"]) == 3  # follow-up, change, termination have points
    assert (context["vurderingsfrist"], context["tilleggsfrist"]) == ("1. juni 2027",
                                                                      "1. september 2027")
    assert str(context["rhf"]) == "Helse Sør-Øst RHF"


@pytest.mark.parametrize(("outcome", "label"), [
    *[(outcome, OUTCOME_LABELS[outcome]) for outcome in AssessmentOutcome],
    (None, NOT_ASSESSED),
])
def test_each_outcome_reads_as_its_label(outcome: AssessmentOutcome | None, label: str) -> None:
    assert ReportOutcome("T", "S", "HF", "Vurdert", True, outcome).outcome_label == label


def test_the_bundled_template_passes_and_reads_back() -> None:
    assert check_template(TemplateKind.REPORT_LETTER, TEMPLATE.read_bytes()) == []
    document = docx.Document(io.BytesIO(report_letter_docx(sample(), TEMPLATE)))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Til: Helse Sør-Øst RHF" in text
    assert "Vurdering av årsrapportene for 2026 – Helse Sør-Øst" in text
    assert "Tilleggsrapportering innen 1. september 2027" in text
    assert ("Nasjonal behandlingstjeneste for et femte (Oslo universitetssykehus HF): "
            "Rapporter resultatmålene.") in text
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert [row[3] for row in rows] == ["Vurdering", *[OUTCOME_LABELS[o] for o in
                                                       AssessmentOutcome], NOT_ASSESSED]


def test_a_region_without_proposals_or_supplements_says_so() -> None:
    data = ReportLetterData(2026, "Helse Nord", sample().letter_date, entries=(
        ReportOutcome("Nasjonal tjeneste i nord", "Nasjonal behandlingstjeneste",
                      "Universitetssykehuset Nord-Norge HF", "Vurdert", True,
                      AssessmentOutcome.FINE),))
    document = docx.Document(io.BytesIO(report_letter_docx(data, TEMPLATE)))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Helsedirektoratet foreslår ingen endring eller avvikling" in text
    assert "Helsedirektoratet ber ikke om tilleggsrapportering fra regionen." in text
    assert "Årsrapporter som ikke er mottatt" not in text
    assert "Punkter til oppfølging" not in text


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed and could "
                    "not be installed: run scripts/ensure-system-deps.sh as root")
def test_libreoffice_finds_every_service_and_outcome(tmp_path: Path) -> None:
    data = sample()
    texts = convert({"vurdering": report_letter_docx(data, TEMPLATE)}, tmp_path)
    text = " ".join(texts["vurdering"].split())
    for entry in data.entries:
        assert entry.name in text
        assert entry.outcome_label in text
    assert "Forslag om avvikling av tjenesten: Tjenesten er etablert i alle regioner." in text
    assert "Tilleggsrapportering innen 1. september 2027" in text
    assert "Nasjonal behandlingstjeneste for et sjette (Sykehuset Innlandet HF)" in text
