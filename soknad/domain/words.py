"""Norwegian words that depend on a number: «1 advarsel», «2 advarsler»."""

from __future__ import annotations

from soknad.domain.limits import count_text


def amount(number: int, one: str, many: str) -> str:
    """``number`` with its noun in agreement: ``amount(1, "advarsel", "advarsler")`` →
    ``"1 advarsel"``; 0 and 2 and up take the plural (``"0 advarsler"``). Large numbers
    are grouped the Norwegian way (``"30 000 tegn"``)."""
    return f"{count_text(number)} {one if number == 1 else many}"
