from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from soknad.domain.organisations import OrganisationEntry, OrgKind, Region
from soknad.extensions import db


class Organisation(db.Model):
    """A health trust (HF), a regional health authority (RHF) or Helsedirektoratet."""

    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint("kind IN ('hf', 'rhf', 'directorate')", name="kind"),
        CheckConstraint("kind = 'directorate' OR region IS NOT NULL", name="region_required"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    region: Mapped[str | None] = mapped_column(String(40))
    private_nonprofit: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def org_kind(self) -> OrgKind:
        return OrgKind(self.kind)

    @property
    def region_enum(self) -> Region | None:
        return Region(self.region) if self.region else None

    def entry(self) -> OrganisationEntry:
        assert self.region_enum is not None
        return OrganisationEntry(self.name, self.region_enum, self.org_kind,
                                 self.private_nonprofit)
