"""The round's feedback letter: what the template sees, and the letter read back."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest

from soknad.config import PROJECT_ROOT
from soknad.documents import TemplateKind, check_template
from soknad.documents.render import round_letter_docx
from soknad.documents.round_letter import (
    RoundLetterData,
    RoundOutcome,
    round_letter_context,
    sample,
)
from soknad.domain.decisions import DecisionKind


def test_the_counts_and_each_region_in_priority_order() -> None:
    context = round_letter_context(sample())
    counts = [context[key] for key in ("antall", "antall_godkjent", "antall_avslatt",
                                       "antall_utsatt", "antall_ikke_avgjort")]
    assert counts == ["4", "1", "1", "1", "1"]
    assert [str(item["rang"]) for item in context["soknader"]] == ["1", "2", "3", "4"]
    regions = {str(region["region"]): [item["rang"] for item in region["soknader"]]
               for region in context["regioner"]}
    assert regions == {"Helse Sør-Øst": ["1"], "Helse Vest": ["2"], "Helse Midt-Norge": [],
                       "Helse Nord": ["3", "4"]}
    assert context["kopi"] == "Helse- og omsorgsdepartementet"


@pytest.mark.parametrize(("decision", "label"), [
    (DecisionKind.APPROVED, "Godkjent"),
    (DecisionKind.REJECTED, "Avslått"),
    (DecisionKind.POSTPONED, "Utsatt for videre vurdering"),
    (None, "Ikke avgjort ennå"),
])
def test_each_outcome_reads_as_the_decision(decision: DecisionKind | None, label: str) -> None:
    item = RoundOutcome(1, "T", "Nasjonal behandlingstjeneste", "Avvikling", "Helse Vest",
                        "Helse Bergen HF", decision=decision)
    assert item.outcome_label == label


def test_the_entries_must_be_in_priority_order() -> None:
    items = [RoundOutcome(rank, "T", "S", "K", "Helse Vest", "HF") for rank in (2, 1)]
    with pytest.raises(ValueError, match="priority order"):
        RoundLetterData(2027, date(2027, 12, 1), items, ["Helse Vest"])


def test_the_bundled_template_passes_and_reads_back() -> None:
    template = PROJECT_ROOT / "templates" / "docx" / TemplateKind.ROUND_LETTER.filename
    assert check_template(TemplateKind.ROUND_LETTER, template.read_bytes()) == []
    document = docx.Document(io.BytesIO(round_letter_docx(sample(), template)))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Til: Helse Sør-Øst RHF, Helse Vest RHF, Helse Midt-Norge RHF, Helse Nord RHF" in text
    assert "Kopi: Helse- og omsorgsdepartementet" in text
    assert "Samlet tilbakemelding om nasjonale tjenester – søknadsrunden 2027" in text
    assert ("1 er godkjent, 1 er avslått og 1 er utsatt for videre vurdering. 1 er ikke avgjort "
            "ennå.") in text
    assert "Regionen hadde ingen søknader i den samlede søknaden." in text
    assert "Rådgivingsgruppen anbefalte godkjenning (møte 12. november 2027)." in text
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert [row[0] for row in rows] == ["Prioritet", "1", "2", "3", "4"]
    assert [row[4] for row in rows[1:]] == ["Godkjent", "Avslått", "Utsatt for videre vurdering",
                                            "Ikke avgjort ennå"]
