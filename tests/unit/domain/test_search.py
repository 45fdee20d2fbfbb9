"""How typed words and listed names compare: every letter folded (SQLite's lower() folds only
ASCII), and æ, ø, å sorted after z in the Norwegian order."""

from __future__ import annotations

import pytest

from soknad.domain.search import ListQuery, fold_text, sort_text


@pytest.mark.parametrize(("text", "folded"), [
    ("ØYE", "øye"), ("Ærlig Åpen", "ærlig åpen"), ("SÁMI", "sámi"), (None, None), (3, 3)])
def test_fold_text(text: object, folded: object) -> None:
    assert fold_text(text) == folded


def test_sort_text_puts_ae_oe_aa_after_z_in_norwegian_order() -> None:
    names = ["Åre", "øre", "Ære", "zeta", "Alfa", "beta"]
    assert sorted(names, key=sort_text) == ["Alfa", "beta", "zeta", "Ære", "øre", "Åre"]


@pytest.mark.parametrize(("query", "changes", "args"), [
    (ListQuery(sort="tittel", default_sort="tittel"), {}, {}),
    (ListQuery(text="øye", filters={"status": "submitted"}, sort="tittel",
               default_sort="sendt", default_descending=True), {"side": 2},
     {"q": "øye", "status": "submitted", "sorter": "tittel", "retning": "stigende", "side": 2}),
    (ListQuery(filters={"saksbehandler": "1"}, sort="sendt", descending=True,
               default_sort="sendt", default_descending=True), {"side": 1},
     {"saksbehandler": "1"}),  # page 1 is no page in the address; a filter «1» stays
])
def test_a_list_query_writes_its_address(query: ListQuery, changes: dict[str, object],
                                         args: dict[str, object]) -> None:
    assert query.args(**changes) == args
