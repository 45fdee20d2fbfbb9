"""Norwegian plural agreement where a number meets a noun."""

from __future__ import annotations

import pytest

from soknad.domain.words import amount

NBSP = "\u00a0"


@pytest.mark.parametrize(("number", "one", "many", "expected"), [
    (1, "advarsel", "advarsler", "1 advarsel"),
    (2, "advarsel", "advarsler", "2 advarsler"),
    (0, "advarsel", "advarsler", "0 advarsler"),
    (1, "feil", "feil", "1 feil"),
    (1, "vedlegg", "vedlegg", "1 vedlegg"),
    (1, "søknad", "søknader", "1 søknad"),
    (2, "søknad", "søknader", "2 søknader"),
    (1, "tjeneste", "tjenester", "1 tjeneste"),
    (2, "tjeneste", "tjenester", "2 tjenester"),
    (1, "dag", "dager", "1 dag"),
    (14, "dag", "dager", "14 dager"),
    (30000, "tegn", "tegn", "30 000 tegn"),
])
def test_the_noun_agrees_with_the_number(number: int, one: str, many: str, expected: str) -> None:
    assert amount(number, one, many).replace(NBSP, " ") == expected
