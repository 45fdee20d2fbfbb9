"""Dates the Norwegian way, in one place: «15. januar 2027» in prose, «15.01.2027» in tables,
times in Oslo («15. januar 2027 kl. 09:30»). Pages (filters), documents and messages use these."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")

WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
          "oktober", "november", "desember")


def long_date(value: date | None, *, weekday: bool = False) -> str:
    """``15. januar 2027`` (``fredag 15. januar 2027`` with ``weekday``); empty for None."""
    if value is None:
        return ""
    text = f"{value.day}. {MONTHS[value.month - 1]} {value.year}"
    return f"{WEEKDAYS[value.weekday()]} {text}" if weekday else text


def short_date(value: date | None) -> str:
    """``15.01.2027``; empty for None."""
    return f"{value.day:02d}.{value.month:02d}.{value.year}" if value else ""


def oslo(moment: datetime) -> datetime:
    """The moment in Oslo time; a naive moment is refused (it could be any zone)."""
    if moment.tzinfo is None:
        raise ValueError("a time shown to a user must carry its time zone")
    return moment.astimezone(OSLO)


def long_moment(moment: datetime) -> str:
    """``15. januar 2027 kl. 09:30`` in Oslo time."""
    local = oslo(moment)
    return f"{long_date(local.date())} kl. {local:%H:%M}"


def short_moment(moment: datetime) -> str:
    """``15.01.2027 kl. 09:30`` in Oslo time."""
    local = oslo(moment)
    return f"{short_date(local.date())} kl. {local:%H:%M}"
