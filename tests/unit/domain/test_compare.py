"""What changed between two submitted versions, as a coordinator reads it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from soknad.domain.compare import Op, Piece, changed_attachments, compare, display_lines, word_diff
from soknad.domain.formspec import FormLibrary
from soknad.domain.service_types import ApplicationKind, ServiceType

ROOT = Path(__file__).resolve().parents[3]
SPEC = FormLibrary.load(ROOT / "forms").latest(ServiceType.NATIONAL_TREATMENT)


def field(field_id: str) -> Any:
    return next(f for _, f in SPEC.fields() if f.id == field_id)


@pytest.mark.parametrize(("before", "after", "pieces"), [
    ("a b c", "a b c", [Piece(Op.SAME, "a b c")]),
    ("a b c", "a x c", [Piece(Op.SAME, "a"), Piece(Op.REMOVED, "b"), Piece(Op.ADDED, "x"),
                        Piece(Op.SAME, "c")]),
    ("", "ny tekst", [Piece(Op.ADDED, "ny tekst")]),
    ("gammel", "", [Piece(Op.REMOVED, "gammel")]),
    ("a b", "a b c", [Piece(Op.SAME, "a b"), Piece(Op.ADDED, "c")]),
])
def test_word_diff(before: str, after: str, pieces: list[Piece]) -> None:
    assert list(word_diff(before, after)) == pieces


@pytest.mark.parametrize(("field_id", "value", "lines"), [
    ("beskrivelse", "Første avsnitt.\n\nAndre avsnitt.", ("Første avsnitt.", "Andre avsnitt.")),
    ("icd10", ["Q78.0", "M88"], ("Q78.0", "M88")),
    ("ny_metode", "nei", ("Nei",)),
    ("forankring", [{"region": "helse-vest", "med_hvem": "Fagdirektør", "dato": "",
                     "enighet": "ja"}],
     ("Helse Vest – Med hvem (fagmiljø og ledelse): Fagdirektør · Enighet om behovet: Ja",)),
    ("forankring", [{"region": "helse-nord", "med_hvem": "", "dato": "", "enighet": ""}], ()),
    ("beskrivelse", None, ()),
])
def test_display_lines(field_id: str, value: Any, lines: tuple[str, ...]) -> None:
    assert display_lines(field(field_id), value) == lines


def test_compare_lists_only_the_points_that_changed_in_form_order() -> None:
    before = {"beskrivelse": "Tjenesten utreder barn.", "icd10": ["Q78.0"],
              "behandlingsmetode": "Kirurgi."}
    after = {"beskrivelse": "Tjenesten utreder barn og voksne.", "icd10": ["Q78.0"],
             "behandlingsmetode": "Kirurgi."}
    changes = compare(SPEC, ApplicationKind.ESTABLISHMENT, before, after)
    assert [change.section.id for change in changes] == ["p1"]
    (changed,) = changes[0].fields
    assert changed.field.id == "beskrivelse"
    # Words are compared with their punctuation: "barn." became "barn og voksne.".
    assert changed.pieces == (Piece(Op.SAME, "Tjenesten utreder"), Piece(Op.REMOVED, "barn."),
                              Piece(Op.ADDED, "barn og voksne."))
    assert changed.before == ("Tjenesten utreder barn.",)
    assert changed.after == ("Tjenesten utreder barn og voksne.",)


def test_no_changes_gives_an_empty_list() -> None:
    answers = {"beskrivelse": "Samme."}
    assert compare(SPEC, ApplicationKind.ESTABLISHMENT, answers, dict(answers)) == []


def test_attachments_are_compared_by_content() -> None:
    before = [{"sha256": "a", "name": "plan.pdf"}, {"sha256": "b", "name": "cv.pdf"}]
    after = [{"sha256": "a", "name": "plan (1).pdf"}, {"sha256": "c", "name": "ny.pdf"}]
    assert changed_attachments(before, after) == (["ny.pdf"], ["cv.pdf"])
