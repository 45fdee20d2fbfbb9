"""Jinja filters: times in Oslo, sizes, Norwegian dates."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask

from soknad.domain import icd10, registry_pick
from soknad.domain.dates import long_date, long_moment, short_date
from soknad.domain.formspec import CELL_MAX_CHARS, Column, Field
from soknad.domain.limits import count_text
from soknad.domain.organisations import region_label
from soknad.domain.text import count_words
from soknad.domain.values import date_text
from soknad.domain.words import amount
from soknad.web.listing import list_options, list_url, sort_url

OSLO = ZoneInfo("Europe/Oslo")


def local(value: datetime) -> datetime:
    return value.astimezone(OSLO)


def clock(value: datetime) -> str:
    """"14:03" in Oslo time."""
    return local(value).strftime("%H:%M")


def when(value: datetime | None) -> str:
    """"22. november 2026 kl. 14:03" in Oslo time."""
    if value is None:
        return ""
    return long_moment(value)


def day(value: date | str | None) -> str:
    """"15. januar 2027" for a date or an ISO date string."""
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return long_date(value)


def short_day(value: date | str | None) -> str:
    """"15.01.2027" (in tables) for a date or an ISO date string."""
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return short_date(value)


def filesize(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} kB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def choice_label(spec: Field | Column, value: str) -> str:
    """An answer as a reader sees it: a choice by its label, a date as «15.01.2027» (the
    answer itself is an ISO date from the date input, or what was typed)."""
    if spec.kind.value == "date" and isinstance(value, str):
        return date_text(value)
    return spec.choice_label(value)


def registry_label(key: str) -> str:
    """A registry pick as a reader sees it: the service's name and place (or the answer as it
    is, when it names no service in the registry)."""
    from soknad.services import catalogue

    service = registry_pick.service_of(key, catalogue.current().registry)
    return registry_pick.option_label(service) if service else key


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(clock=clock, when=when, day=day, filesize=filesize,
                                 count=count_text, amount=amount,
                                 short_day=short_day)
    app.jinja_env.globals.update(
        count_words=count_words, icd10_lookup=icd10.lookup, icd10_note=icd10.TITLE_NOTE,
        icd10_title_lang=icd10.TITLE_LANG, region_label=region_label,
        choice_label=choice_label, cell_max_chars=CELL_MAX_CHARS,
        list_url=list_url, sort_url=sort_url, list_options=list_options,
        registry_label=registry_label, registry_option_label=registry_pick.option_label,
    )
