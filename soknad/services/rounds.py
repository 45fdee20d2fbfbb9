"""Application rounds."""

from __future__ import annotations

from sqlalchemy import select

from soknad.extensions import db
from soknad.models import Round


def ensure(year: int) -> str:
    """Open the round for ``year`` if it does not exist; say what happened."""
    if db.session.scalar(select(Round).where(Round.year == year)) is not None:
        return f"Søknadsrunden {year} finnes allerede."
    db.session.add(Round(year=year, title=f"Søknadsrunden {year}"))
    db.session.commit()
    return f"Søknadsrunden {year} er opprettet."
