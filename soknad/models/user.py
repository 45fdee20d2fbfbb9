from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from soknad.domain.permissions import Actor
from soknad.domain.roles import Role
from soknad.extensions import db
from soknad.models.organisation import Organisation
from soknad.models.types import UTCDateTime, utcnow


class User(db.Model):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint("role IN ('applicant', 'coordinator', 'directorate', 'admin')",
                        name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: The person's title (e.g. «Fagdirektør»), shown under the name where the person signs.
    title: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def actor(self) -> Actor:
        return Actor(user_id=self.id, role=self.role_enum, organisation_id=self.organisation_id,
                     region=self.organisation.region_enum)


class LoginSession(db.Model):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored.
    Logging out ends the row, so a copied cookie is worthless afterwards."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")
