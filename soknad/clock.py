"""The one place that reads the clock: now in UTC, and today's date in Oslo."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Norway (deadlines are Oslo dates)."""
    return now().astimezone(OSLO).date()
