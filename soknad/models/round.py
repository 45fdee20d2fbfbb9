from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from soknad.extensions import db
from soknad.models.types import UTCDateTime, utcnow


class Round(db.Model):
    """An application round, named after the year whose 15 January is its joint deadline."""

    __tablename__ = "round"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200))
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    #: The RHF that coordinates the round and builds the national list (set by an admin).
    coordinating_region: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @classmethod
    def current(cls) -> Round | None:
        """The open round with the latest year."""
        return db.session.scalar(
            select(cls).where(cls.is_open.is_(True)).order_by(cls.year.desc()).limit(1)
        )
