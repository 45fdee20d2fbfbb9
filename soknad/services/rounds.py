"""Application rounds, and each region's settings for a round."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from soknad import clock
from soknad.domain import coordination
from soknad.domain.errors import DomainError
from soknad.domain.organisations import Region
from soknad.extensions import db
from soknad.models import Application, RegionRound, Round


def ensure(year: int) -> str:
    """Open the round for ``year`` if it does not exist; say what happened."""
    if db.session.scalar(select(Round).where(Round.year == year)) is not None:
        return f"Søknadsrunden {year} finnes allerede."
    db.session.add(Round(year=year, title=f"Søknadsrunden {year}"))
    db.session.commit()
    return f"Søknadsrunden {year} er opprettet."


def by_year(year: int) -> Round | None:
    return db.session.scalar(select(Round).where(Round.year == year))


def region_round(round_: Round, region: Region) -> RegionRound:
    """The region's settings for the round (created, unsaved, when missing)."""
    row = db.session.scalar(select(RegionRound).where(RegionRound.round_id == round_.id,
                                                      RegionRound.region == region.value))
    if row is None:
        row = RegionRound(round_id=round_.id, region=region.value, ranking_version=0)
        db.session.add(row)
        db.session.flush()
    return row


def internal_deadline(round_: Round, region: Region) -> date | None:
    """The last day the region's health trusts may submit (set by its coordinator)."""
    return db.session.scalar(select(RegionRound.internal_deadline).where(
        RegionRound.round_id == round_.id, RegionRound.region == region.value))


def last_submit_day(application: Application) -> date | None:
    """The last day the health trust may submit this application (None: no deadline yet)."""
    region = application.organisation.region_enum
    assert region is not None
    return coordination.last_submit_day(internal_deadline(application.round, region),
                                        application.submit_extended_to)


def check_may_submit(application: Application) -> None:
    """Refuse a submission after the region's internal deadline, unless extended."""
    region = application.organisation.region_enum
    assert region is not None
    deadline = internal_deadline(application.round, region)
    if not coordination.may_submit(clock.today(), deadline, application.submit_extended_to):
        assert deadline is not None
        raise DomainError(coordination.deadline_message(deadline, region))
