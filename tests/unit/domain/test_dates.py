"""Norwegian dates from one place: prose, tables and times in Oslo."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from soknad.domain.dates import long_date, long_moment, short_date, short_moment


@pytest.mark.parametrize(("day", "prose", "table"), [
    (date(2027, 1, 15), "15. januar 2027", "15.01.2027"),
    (date(2027, 12, 2), "2. desember 2027", "02.12.2027"),
    (date(2028, 2, 29), "29. februar 2028", "29.02.2028"),
    (date(2027, 8, 1), "1. august 2027", "01.08.2027"),
    (None, "", ""),
])
def test_dates_read_the_norwegian_way(day: date | None, prose: str, table: str) -> None:
    assert long_date(day) == prose
    assert short_date(day) == table


@pytest.mark.parametrize(("moment", "prose", "table"), [
    (datetime(2027, 1, 15, 8, 30, tzinfo=UTC), "15. januar 2027 kl. 09:30", "15.01.2027 kl. 09:30"),
    (datetime(2027, 6, 30, 22, 5, tzinfo=UTC), "1. juli 2027 kl. 00:05", "01.07.2027 kl. 00:05"),
])
def test_times_are_oslo_times(moment: datetime, prose: str, table: str) -> None:
    assert long_moment(moment) == prose
    assert short_moment(moment) == table


def test_a_weekday_when_asked() -> None:
    assert long_date(date(2027, 1, 15), weekday=True) == "fredag 15. januar 2027"


def test_a_time_without_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        long_moment(datetime(2027, 1, 15, 9, 30))  # noqa: DTZ001 - the point of the test
