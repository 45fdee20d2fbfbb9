from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from soknad.extensions import db
from soknad.models.types import UTCDateTime, utcnow
from soknad.models.user import User


class Attachment(db.Model):
    """An uploaded file documenting one field. The bytes are stored once, named by their
    SHA-256; the person's file name is kept only for display. Removing an attachment from a
    draft sets ``removed_at``: submitted versions that list it keep it."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    section_id: Mapped[str] = mapped_column(String(40))
    field_id: Mapped[str] = mapped_column(String(80))
    display_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(120))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    uploaded_by: Mapped[User] = relationship(lazy="joined")
