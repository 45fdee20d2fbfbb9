"""How typed search words and listed names are compared: case-insensitively for every letter
(æ, ø, å too), and sorted with æ, ø, å after z as in Norwegian. Plain Python: the database
side (``services.listing``) registers these on SQLite, whose own ``lower()`` folds ASCII only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# The names in a list's address: ?q=…&status=…&sorter=tittel&retning=synkende&side=2
SORT, DIRECTION, PAGE, TEXT = "sorter", "retning", "side", "q"
ASCENDING, DESCENDING = "stigende", "synkende"

_NORWEGIAN_LAST = str.maketrans({"æ": "{", "ø": "|", "å": "}"})  # the three after "z"


def fold_text(value: object) -> object:
    """«Ærlig ØYE» → «ærlig øye»; anything not text unchanged (SQL NULL stays NULL)."""
    return value.lower() if isinstance(value, str) else value


def sort_text(value: object) -> object:
    """A key that orders case-insensitively with æ < ø < å after z."""
    return value.lower().translate(_NORWEGIAN_LAST) if isinstance(value, str) else value


def register_sqlite_functions(connection: Any) -> None:
    """``soknad_fold`` and ``soknad_sort_key`` on one SQLite connection."""
    connection.create_function("soknad_fold", 1, fold_text, deterministic=True)
    connection.create_function("soknad_sort_key", 1, sort_text, deterministic=True)


@dataclass(frozen=True)
class ListQuery:
    """What the user asked the list for. ``filters`` holds only allowed, non-empty values."""

    text: str = ""
    filters: Mapping[str, str] = field(default_factory=dict)
    sort: str = ""
    descending: bool = False
    page: int = 1
    default_sort: str = ""
    default_descending: bool = False

    def get(self, name: str) -> str:
        return self.filters.get(name, "")

    @property
    def narrowed(self) -> bool:
        """Whether anything but the sort order was asked for (then «Nullstill» is offered)."""
        return bool(self.text or self.filters)

    @property
    def is_default(self) -> bool:
        return (not self.narrowed and self.sort == self.default_sort
                and self.descending == self.default_descending)

    def args(self, **changes: Any) -> dict[str, Any]:
        """The query string of this list with ``changes`` (for sort links and pages)."""
        values: dict[str, Any] = {TEXT: self.text, **self.filters}
        if (self.sort, self.descending) != (self.default_sort, self.default_descending):
            values.update({SORT: self.sort, DIRECTION: DESCENDING if self.descending
                           else ASCENDING})
        values.update(changes)
        if values.get(PAGE) == 1:
            del values[PAGE]
        return {key: value for key, value in values.items() if value not in ("", None)}

    def sort_args(self, key: str) -> dict[str, Any]:
        """The address args of a column header's link: by ``key``, or reversed if it already is."""
        descending = not self.descending if key == self.sort else False
        return self.args(**{SORT: key, DIRECTION: DESCENDING if descending else ASCENDING,
                            PAGE: None})

    def aria_sort(self, key: str) -> str:
        if key != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"
