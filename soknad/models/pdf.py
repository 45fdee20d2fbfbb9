from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from soknad.extensions import db
from soknad.models.types import UTCDateTime, utcnow


class PdfConversion(db.Model):
    """An application as PDF, asked for in a request and made later by
    ``services.pdfs.convert_pending`` (LibreOffice headless, outside the request).

    ``source`` names what was converted: ``utkast-<revision>`` (the draft at that revision) or
    ``versjon-<number>`` (a submitted version). Unique per application, so an unchanged
    application is converted once; the PDF is kept under the instance folder."""

    __tablename__ = "pdf_conversion"
    __table_args__ = (UniqueConstraint("application_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    source: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    size: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
