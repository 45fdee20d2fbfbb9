"""The organisation list: the four RHFs, their health trusts, and Helsedirektoratet."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from soknad.domain.organisations import (
    DIRECTORATE_NAME,
    OrganisationEntry,
    OrgKind,
    Region,
    read_health_trusts,
)
from soknad.extensions import db
from soknad.models import Organisation
from soknad.services import catalogue


def _ensure(name: str, kind: OrgKind, region: Region | None, private: bool = False) -> bool:
    if db.session.scalar(select(Organisation.id).where(Organisation.name == name)):
        return False
    db.session.add(Organisation(name=name, kind=kind.value, region=region.value if region else None,
                                private_nonprofit=private))
    return True


def seed(health_trusts_csv: Path) -> int:
    """Create the directorate, the four RHFs and the health trusts in the CSV that are missing.
    Returns how many were created; running it again creates nothing."""
    created = _ensure(DIRECTORATE_NAME, OrgKind.DIRECTORATE, None)
    for region in Region:
        created += _ensure(f"{region.label} RHF", OrgKind.RHF, region)
    for entry in read_health_trusts(health_trusts_csv):
        created += _ensure(entry.name, OrgKind.HF, entry.region, entry.private_nonprofit)
    db.session.commit()
    return created


def health_trusts() -> tuple[OrganisationEntry, ...]:
    """The active health trusts, as the rules see them (kept per process: see ``catalogue``)."""
    return catalogue.current().health_trusts


def rhf_of(region: Region) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(
        Organisation.kind == OrgKind.RHF.value, Organisation.region == region.value))


def by_name(name: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.name == name))
