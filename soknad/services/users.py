"""Users: created by an administrator (or ``soknad demo``), tied to one organisation."""

from __future__ import annotations

from sqlalchemy import func, select

from soknad.domain.errors import DomainError
from soknad.domain.organisations import OrgKind, Region
from soknad.domain.roles import Role
from soknad.extensions import db
from soknad.models import Organisation, User
from soknad.services import audit, auth

MIN_PASSWORD_LENGTH = 12


NAME_MAX_CHARS = 200


def create_user(name: str, email: str, role: Role, organisation: Organisation, password: str,
                *, actor: User | None = None, min_password_length: int = MIN_PASSWORD_LENGTH
                ) -> User:
    """Create a user; ``DomainError`` with a Norwegian message when something is wrong."""
    name = " ".join(name.split())
    if not name:
        raise DomainError("Skriv navnet på brukeren.")
    if len(name) > NAME_MAX_CHARS:  # the column's width: refused here, not by the database
        raise DomainError(f"Navnet har {len(name)} tegn; høyst {NAME_MAX_CHARS} kan lagres.")
    try:
        address = auth.normalise_email(email)
    except ValueError as error:
        raise DomainError(f"{error} Skriv den som navn@domene.no.") from error
    if db.session.scalar(select(User.id).where(func.lower(User.email) == address)):
        raise DomainError(f"Det finnes allerede en bruker med e-postadressen {address}.")
    if OrgKind(organisation.kind) not in role.org_kinds:
        raise DomainError(
            f"En bruker med rollen «{role.label}» kan ikke høre til {organisation.name}."
        )
    if len(password) < min_password_length:
        raise DomainError(f"Passordet må ha minst {min_password_length} tegn.")
    user = User(name=name, email=address, role=role.value, organisation_id=organisation.id,
                password_hash=auth.hash_password(password))
    db.session.add(user)
    db.session.flush()
    audit.record(actor.id if actor else None, "user_created", "user", user.id, role=role.value,
                 organisation=organisation.name)
    db.session.commit()
    return user


def set_active(user: User, active: bool, actor: User) -> None:
    user.active = active
    if not active:
        auth.end_all_sessions(user)
    audit.record(actor.id, "user_activated" if active else "user_deactivated", "user", user.id)
    db.session.commit()


def coordinators(region: Region) -> list[User]:
    """The active coordinators of a region's RHF."""
    return list(db.session.scalars(
        select(User).join(Organisation, User.organisation_id == Organisation.id)
        .where(User.role == Role.COORDINATOR.value, User.active.is_(True),
               Organisation.region == region.value).order_by(User.name)))


def directorate_users() -> list[User]:
    """The active users at Helsedirektoratet."""
    return list(db.session.scalars(select(User).where(
        User.role == Role.DIRECTORATE.value, User.active.is_(True)).order_by(User.name)))


def all_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.name)))


def organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.kind,
                                                                 Organisation.name)))
