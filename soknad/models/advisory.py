"""Rådgivingsgruppen for nasjonale tjenester's recommendation on one application, as
Helsedirektoratet records it before its decision (``soknad.domain.advisory``). Recorded only,
never edited: a new meeting gives a new row."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from soknad.domain.advisory import Recommendation, Recorded
from soknad.extensions import db
from soknad.models.types import UTCDateTime, utcnow
from soknad.models.user import User

_VALUES = ", ".join(f"'{item.value}'" for item in Recommendation)


class AdvisoryRecommendation(db.Model):
    __tablename__ = "advisory_recommendation"
    __table_args__ = (CheckConstraint(f"recommendation IN ({_VALUES})", name="recommendation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    recommendation: Mapped[str] = mapped_column(String(20))
    meeting_date: Mapped[date] = mapped_column(Date)
    justification: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The decision that rested on this recommendation (set when it is recorded).
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"))

    recorded_by: Mapped[User] = relationship(lazy="joined")

    @property
    def recommendation_enum(self) -> Recommendation:
        return Recommendation(self.recommendation)

    def recorded(self) -> Recorded:
        return Recorded(self.recommendation_enum, self.meeting_date, self.recorded_at,
                        used=self.decision_id is not None)
