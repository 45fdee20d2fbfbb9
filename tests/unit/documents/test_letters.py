"""The joint cover letter and the decision letters."""

from __future__ import annotations

from dataclasses import replace

import pytest

from soknad.documents import (
    DecisionKind,
    cover_letter_docx,
    decision_letter_docx,
)
from soknad.documents.data import NO_APPEAL
from tests.unit.documents.helpers import (
    COVER_TEMPLATE,
    DECISION_TEMPLATE,
    cover_data,
    decision_data,
    full_text,
    open_docx,
    table_rows,
)


def test_cover_letter_lists_the_national_priorities_and_consents() -> None:
    data = cover_letter_docx(cover_data(), COVER_TEMPLATE)
    document = open_docx(data)
    text = full_text(data)
    assert "Samlet søknad om nasjonale tjenester – søknadsrunden 2027" in text
    assert "Til: Helsedirektoratet" in text
    assert "Kopi: Helse- og omsorgsdepartementet" in text
    assert "Dato: 14. januar 2027" in text
    priorities, consents = (table_rows(table) for table in document.tables)
    assert priorities == [
        ["Prioritet", "Tjeneste", "Tjenestetype", "Helseforetak"],
        ["1", "Nasjonal behandlingstjeneste for sjeldne beinsykdommer",
         "Nasjonal behandlingstjeneste", "Oslo universitetssykehus HF\nHelse Sør-Øst"],
        ["2", "Nasjonal kompetansetjeneste for kognitiv svikt", "Nasjonal kompetansetjeneste",
         "Helse Bergen HF\nHelse Vest"],
    ]
    assert consents[0] == ["Helseregion", "Svar", "Gitt av", "Tidspunkt", "Merknad"]
    assert consents[1] == ["Helse Sør-Øst", "Samtykker", "Direktør i Helse Sør-Øst\nFagdirektør",
                           "10.01.2027 kl. 09:30", "Ingen merknader"]
    assert [row[0] for row in consents[1:]] == ["Helse Sør-Øst", "Helse Vest",
                                                "Helse Midt-Norge", "Helse Nord"]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == ["1. Nasjonal behandlingstjeneste for sjeldne beinsykdommer",
                        "2. Nasjonal kompetansetjeneste for kognitiv svikt"]
    assert "Bygger og sprer kompetanse om kognitiv svikt." in text


def test_cover_letter_carries_the_contact_the_signatories_titles_and_the_regions_reasons(
) -> None:
    document = open_docx(cover_letter_docx(cover_data(), COVER_TEMPLATE))
    lines = [p.text for p in document.paragraphs]
    contact = lines.index("Kontaktperson")
    assert lines[contact + 1:contact + 5] == [
        "Spørsmål om den samlede søknaden kan rettes til:",
        "Kari Nordmann, Seniorrådgiver, Helse Sør-Øst RHF",
        "E-post: kari.nordmann@helse-sorost.no", "Telefon: +47 22 33 44 55"]
    signed = lines.index("Med vennlig hilsen")
    assert lines[signed + 1:signed + 5] == [
        "Direktør i Helse Sør-Øst", "Fagdirektør, Helse Sør-Øst RHF",
        "Direktør i Helse Vest", "Fagdirektør, Helse Vest RHF"]
    regions = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert regions == ["Helse Sør-Øst RHF", "Helse Vest RHF", "Helse Midt-Norge RHF",
                       "Helse Nord RHF"]
    east = next(index for index, p in enumerate(document.paragraphs)
                if p.style.name == "Heading 3" and p.text == "Helse Sør-Øst RHF")
    assert lines[east + 1:east + 3] == [
        "Regionens prioritering: 1. Nasjonal behandlingstjeneste for sjeldne beinsykdommer.",
        "Begrunnelse for rekkefølgen: Størst pasientgrunnlag og mangel på tilbud i dag."]
    north = lines.index("Helse Nord RHF")
    assert lines[north + 1] == "Regionen har ikke godtatt søknader i denne søknadsrunden."


def test_a_signatory_without_a_title_signs_with_the_region_only() -> None:
    data = cover_data()
    untitled = [replace(item, title="") for item in data.consents]
    lines = [p.text for p in open_docx(cover_letter_docx(
        replace(data, consents=untitled), COVER_TEMPLATE)).paragraphs]
    signed = lines.index("Med vennlig hilsen")
    assert lines[signed + 1:signed + 3] == ["Direktør i Helse Sør-Øst", "Helse Sør-Øst RHF"]


def test_cover_letter_refuses_entries_out_of_order() -> None:
    entries = list(reversed(cover_data().entries))
    with pytest.raises(ValueError, match="priority order"):
        cover_data(entries=entries)


def test_approval_letter_has_the_dates_that_follow() -> None:
    text = full_text(decision_letter_docx(decision_data(DecisionKind.APPROVED),
                                          DECISION_TEMPLATE))
    assert "Vedtak: Godkjent" in text
    assert "Godkjenningen gjelder fra 1. januar 2028." in text
    assert "Tjenesten skal være etablert innen 31. desember 2028" in text
    assert ("Tjenesten har funksjonen «Opplæring» med en virketid på 5 år, til og med "
            "31. desember 2032.") in text  # five years from 1 January 2028
    assert NO_APPEAL not in text
    assert "Søknaden dokumenterer et kompetansesvakt fagfelt.\nTo avsnitt." in text


def test_rejection_letter_says_it_cannot_be_appealed() -> None:
    text = full_text(decision_letter_docx(decision_data(DecisionKind.REJECTED),
                                          DECISION_TEMPLATE))
    assert "Vedtak: Avslått" in text
    assert "Helsedirektoratet avslår søknaden om nasjonal kompetansetjeneste" in text
    assert "Klageadgang" in text
    assert NO_APPEAL in text
    assert "gjelder fra" not in text


def test_postponement_letter_names_the_final_date() -> None:
    text = full_text(decision_letter_docx(decision_data(DecisionKind.POSTPONED),
                                          DECISION_TEMPLATE))
    assert "Vedtak: Utsatt for videre vurdering" in text
    assert "Endelig vedtak fattes senest 30. mai 2028." in text
    assert NO_APPEAL not in text


def test_a_letter_without_the_dates_its_decision_needs_is_refused() -> None:
    with pytest.raises(ValueError, match="postponed_until"):
        decision_data(DecisionKind.POSTPONED, postponed_until=None)
