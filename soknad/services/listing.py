"""What the long lists share (the RHF inbox, Helsedirektoratet's inbox, the registry): one
page of a filtered, sorted query, Norwegian-aware text search and sorting in SQL.

Case folding. SQLite's ``lower()`` folds ASCII only («ØYE» stays «ØYE»), PostgreSQL's folds
every letter by the database's UTF-8 locale. ``fold(x)`` is ``lower(x)`` on PostgreSQL and,
on SQLite, ``soknad_fold(x)``: Python's ``str.lower`` registered on every SQLite connection
(``domain.search``, from ``extensions``). The typed words are folded by the same function, so
«ÆRES», «æres» and «Æres» find the same rows on both databases, with nothing stored twice and
no column to keep up to date. (PostgreSQL needs a UTF-8 ``LC_CTYPE``, such as Debian's default
``C.UTF-8``; the tests run on it.)

Sorting. ``sort_key(x)`` orders case-insensitively and puts æ, ø, å after z in that order,
as a Norwegian reader expects (code-point order would give å, æ, ø).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, String, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from soknad.domain.search import fold_text
from soknad.extensions import db

T = TypeVar("T")

PER_PAGE = 50


class fold(FunctionElement[str]):  # noqa: N801  (an SQL function, named as in SQL)
    type = String()
    inherit_cache = True
    name = "fold"


class sort_key(FunctionElement[str]):  # noqa: N801
    type = String()
    inherit_cache = True
    name = "sort_key"


@compiles(fold)
def _fold_default(element: fold, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(fold, "sqlite")
def _fold_sqlite(element: fold, compiler: Any, **kw: Any) -> str:
    return f"soknad_fold({compiler.process(element.clauses, **kw)})"


@compiles(sort_key)
def _sort_key_default(element: sort_key, compiler: Any, **kw: Any) -> str:
    return (f"translate(lower({compiler.process(element.clauses, **kw)}), 'æøå', '{{|}}') "
            'COLLATE "C"')


@compiles(sort_key, "sqlite")
def _sort_key_sqlite(element: sort_key, compiler: Any, **kw: Any) -> str:
    return f"soknad_sort_key({compiler.process(element.clauses, **kw)})"


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def words_match(text: str, columns: Sequence[ColumnElement[Any]]) -> list[ColumnElement[bool]]:
    """One condition per typed word: the word is in one of ``columns`` (any case)."""
    return [or_(*(fold(column).like(_like(str(fold_text(word))), escape="\\")
                  for column in columns))
            for word in text.split()]


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, how many match in all, and of how many there are."""

    rows: list[T]
    total: int
    number: int
    pages: int
    of: int  # the size of the whole list, unfiltered (for «12 av 105»)


def page_of(statement: Select[Any], number: int, *, of: int,
            per_page: int | None = None, scalars: bool = True) -> Page[Any]:
    """Page ``number`` (from 1; out of range gives the nearest) of ``statement``, which must be
    ordered; counts the matches in SQL. ``PER_PAGE`` rows to a page unless told."""
    per_page = per_page or PER_PAGE
    total = db.session.scalar(select(func.count()).select_from(
        statement.order_by(None).subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    number = min(max(1, number), pages)
    limited = statement.limit(per_page).offset((number - 1) * per_page)
    rows = list(db.session.scalars(limited)) if scalars else list(db.session.execute(limited))
    return Page(rows=rows, total=total, number=number, pages=pages, of=of)
