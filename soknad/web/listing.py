"""Reading a list's search form (a GET form: bookmarkable, works without JavaScript) in one
place for the three long lists: the words typed (``q``), the filters (each a choice from an
allowed set: anything else in the address is ignored), the sort key (from a whitelist) and its
direction, and the page."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from flask import request, url_for

from soknad.domain.search import DESCENDING, DIRECTION, PAGE, SORT, TEXT, ListQuery


def read_list_args(filters: Mapping[str, Collection[str]], sorts: Collection[str],
                   default_sort: str, *, default_descending: bool = False,
                   args: Mapping[str, str] | None = None) -> ListQuery:
    """The list's query from the address (``request.args`` unless ``args`` is given)."""
    source = request.args if args is None else args
    chosen = {}
    for name, allowed in filters.items():
        value = source.get(name, "").strip()
        if value and value in allowed:
            chosen[name] = value
    sort = source.get(SORT, "")
    if sort in sorts:
        descending = source.get(DIRECTION, "") == DESCENDING
    else:
        sort, descending = default_sort, default_descending
    page_text = source.get(PAGE, "")
    return ListQuery(text=" ".join(source.get(TEXT, "").split())[:200], filters=chosen,
                     sort=sort, descending=descending,
                     page=int(page_text) if page_text.isdigit() and int(page_text) > 0 else 1,
                     default_sort=default_sort, default_descending=default_descending)


def list_url(query: ListQuery, **changes: Any) -> str:
    """This page's address with the list's query and ``changes``."""
    return url_for(request.endpoint or "", **(request.view_args or {}),
                   **query.args(**changes))


def sort_url(query: ListQuery, key: str) -> str:
    return url_for(request.endpoint or "", **(request.view_args or {}), **query.sort_args(key))


def list_options(items: Any, value: str = "value", label: str = "label") -> list[tuple[str, str]]:
    """(value, label) pairs for a filter's ``<select>``: enums by default, or any objects."""
    return [(str(getattr(item, value)), str(getattr(item, label))) for item in items]
