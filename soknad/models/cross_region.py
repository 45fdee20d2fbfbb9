"""The partner region's comments on a multi-regional application (``services.cross_region``).
Only ever added: no code path edits or deletes one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from soknad.domain.organisations import Region
from soknad.extensions import db
from soknad.models.types import UTCDateTime, utcnow
from soknad.models.user import User


class PartnerComment(db.Model):
    """One comment, in ``region``'s name, on the submitted version ``submission_number`` of an
    application from another region. Shown to the owning RHF and on the application."""

    __tablename__ = "partner_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    submission_number: Mapped[int] = mapped_column(Integer)
    region: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")

    @property
    def region_enum(self) -> Region:
        return Region(self.region)
