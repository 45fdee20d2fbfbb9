from __future__ import annotations

from datetime import timedelta

import pytest

from soknad.domain.outbox import age_text, is_stale


@pytest.mark.parametrize(
    ("age", "text"),
    [
        (timedelta(seconds=20), "under 1 minutt"),
        (timedelta(minutes=1), "1 minutt"),
        (timedelta(minutes=59), "59 minutter"),
        (timedelta(hours=1), "1 time"),
        (timedelta(hours=1, minutes=1), "1 time og 1 minutt"),
        (timedelta(hours=2, minutes=30), "2 timer og 30 minutter"),
        (timedelta(days=1), "1 døgn"),
        (timedelta(days=1, hours=2, minutes=5), "1 døgn og 2 timer"),
        (timedelta(days=3, hours=1), "3 døgn og 1 time"),
        (timedelta(seconds=-5), "under 1 minutt"),
    ],
)
def test_age_text(age: timedelta, text: str) -> None:
    assert age_text(age) == text


@pytest.mark.parametrize(
    ("age", "stale"),
    [(None, False), (timedelta(minutes=30), False), (timedelta(minutes=31), True)],
)
def test_is_stale(age: timedelta | None, stale: bool) -> None:
    assert is_stale(age) is stale
