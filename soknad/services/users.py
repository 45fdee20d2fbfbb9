"""Users: created by an administrator (or ``soknad demo``), tied to one organisation.

A new user gets no password typed by anyone: they are e-mailed a link to set it themselves
(``send_password_link``). The link is signed (itsdangerous, with the app's secret key), expires
after ``SET_PASSWORD_LINK_HOURS`` and carries a fingerprint of the user's current password hash:
once a password is set with it the hash changes, so the link works once, and a newer link, or a
password set any other way, makes every older link worthless too.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from soknad.domain.errors import DomainError
from soknad.domain.organisations import OrgKind, Region
from soknad.domain.roles import Role
from soknad.extensions import db
from soknad.models import Organisation, User
from soknad.services import audit, auth, mail

MIN_PASSWORD_LENGTH = 12


NAME_MAX_CHARS = 200


class UserInputError(DomainError):
    """Bad input for a user; ``field`` is the form field the message belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _checked(name: str, email: str, role: Role, organisation: Organisation | None,
             user_id: int | None = None) -> tuple[str, str, Organisation]:
    """The name and e-mail address as they are stored, or ``UserInputError``."""
    name = " ".join(name.split())
    if not name:
        raise UserInputError("name", "Skriv navnet på brukeren.")
    if len(name) > NAME_MAX_CHARS:  # the column's width: refused here, not by the database
        raise UserInputError("name",
                             f"Navnet har {len(name)} tegn; høyst {NAME_MAX_CHARS} kan lagres.")
    try:
        address = auth.normalise_email(email)
    except ValueError as error:
        raise UserInputError("email", f"{error} Skriv den som navn@domene.no.") from error
    taken = select(User.id).where(func.lower(User.email) == address)
    if user_id is not None:
        taken = taken.where(User.id != user_id)
    if db.session.scalar(taken):
        raise UserInputError("email",
                             f"Det finnes allerede en bruker med e-postadressen {address}.")
    if organisation is None:
        raise UserInputError("organisation", "Velg en organisasjon.")
    if OrgKind(organisation.kind) not in role.org_kinds:
        raise UserInputError("organisation",
                             f"En bruker med rollen «{role.label}» kan ikke høre til "
                             f"{organisation.name}.")
    return name, address, organisation


def check_password(password: str, min_length: int = MIN_PASSWORD_LENGTH) -> None:
    """The password rules (one place): ``UserInputError`` on the ``password`` field."""
    if len(password) < min_length:
        raise UserInputError("password", f"Passordet må ha minst {min_length} tegn.")


def create_user(name: str, email: str, role: Role, organisation: Organisation | None,
                password: str | None = None, *, actor: User | None = None,
                min_password_length: int = MIN_PASSWORD_LENGTH) -> User:
    """Create a user; ``UserInputError`` (a ``DomainError``) with a Norwegian message when
    something is wrong. Without ``password`` the user is e-mailed a link to set one; until then
    no password opens the account."""
    name, address, organisation = _checked(name, email, role, organisation)
    if password is not None:
        check_password(password, min_password_length)
    user = User(name=name, email=address, role=role.value, organisation_id=organisation.id,
                password_hash=auth.hash_password(password or secrets.token_urlsafe(32)))
    db.session.add(user)
    db.session.flush()
    audit.record(actor.id if actor else None, "user_created", "user", user.id, role=role.value,
                 organisation=organisation.name)
    if password is None:
        _queue_password_link(user, actor, welcome=True)
    db.session.commit()
    return user


def update_user(user: User, *, name: str, email: str, role: Role,
                organisation: Organisation | None, active: bool, actor: User) -> list[str]:
    """Change a user's details; the Norwegian names of what changed (empty: nothing did).
    An administrator cannot take away their own administrator role or deactivate themselves."""
    name, address, organisation = _checked(name, email, role, organisation, user.id)
    if user.id == actor.id and role is not Role.ADMIN:
        raise UserInputError("role", "Du kan ikke fjerne din egen administratorrolle. "
                                     "Be en annen administrator om å gjøre det.")
    if user.id == actor.id and not active:
        raise UserInputError("active", "Du kan ikke deaktivere deg selv.")
    before = {"name": user.name, "email": user.email, "role": user.role,
              "organisation": user.organisation.name, "active": user.active}
    after = {"name": name, "email": address, "role": role.value,
             "organisation": organisation.name, "active": active}
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if not changes:
        return []
    user.name, user.email, user.role = name, address, role.value
    user.organisation_id, user.organisation = organisation.id, organisation
    user.active = active
    if "active" in changes and not active:
        auth.end_all_sessions(user)
    audit.record(actor.id, "user_updated", "user", user.id, **changes)
    db.session.commit()
    return [CHANGE_LABELS[key] for key in changes]


CHANGE_LABELS = {"name": "navn", "email": "e-postadresse", "role": "rolle",
                 "organisation": "organisasjon", "active": "status"}


# --------------------------------------------------------------------------- set-password links

LINK_SALT = "set-password"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=LINK_SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def link_hours() -> int:
    return int(current_app.config["SET_PASSWORD_LINK_HOURS"])


def _queue_password_link(user: User, actor: User | None, *, welcome: bool) -> None:
    token = _serializer().dumps([user.id, _fingerprint(user)])
    mail.queue(user.email, "set_password", user=user, token=token, hours=link_hours(),
               welcome=welcome)
    audit.record(actor.id if actor else None, "password_link_sent", "user", user.id,
                 email=user.email)


def send_password_link(user: User, actor: User) -> None:
    """Queue an e-mail with a new link to set a password (the current password keeps working
    until a new one is set)."""
    if not user.active:
        raise DomainError(f"{user.name} er deaktivert. Aktiver brukeren før du sender en lenke.")
    _queue_password_link(user, actor, welcome=False)
    db.session.commit()


class LinkProblem(StrEnum):
    EXPIRED = "expired"
    USED = "used"
    INVALID = "invalid"


@dataclass(frozen=True)
class LinkCheck:
    user: User | None
    problem: LinkProblem | None = None


def check_password_link(token: str) -> LinkCheck:
    """The user a set-password link is for, or why it cannot be used."""
    serializer = _serializer()
    try:
        user_id, fingerprint = serializer.loads(token, max_age=link_hours() * 3600)
    except SignatureExpired:
        return LinkCheck(None, LinkProblem.EXPIRED)
    except (BadSignature, ValueError, TypeError):
        return LinkCheck(None, LinkProblem.INVALID)
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active:
        return LinkCheck(None, LinkProblem.INVALID)
    if fingerprint != _fingerprint(user):
        return LinkCheck(None, LinkProblem.USED)
    return LinkCheck(user)


def set_password_with_link(user: User, password: str) -> None:
    """Set the password (the rules of ``check_password``); every login session ends and the
    link stops working."""
    check_password(password)
    user.password_hash = auth.hash_password(password)
    auth.end_all_sessions(user)
    audit.record(user.id, "password_set", "user", user.id)
    db.session.commit()


def set_active(user: User, active: bool, actor: User) -> None:
    user.active = active
    if not active:
        auth.end_all_sessions(user)
    audit.record(actor.id, "user_activated" if active else "user_deactivated", "user", user.id)
    db.session.commit()


def by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


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
