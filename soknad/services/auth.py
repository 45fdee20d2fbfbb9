"""Passwords (argon2id) and server-side login sessions."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import bindparam, func, select, update

from soknad.extensions import db
from soknad.models import LoginSession, User
from soknad.models.types import utcnow
from soknad.services import audit

# Verifying against this keeps a login for an unknown e-mail as slow as a wrong password.
_DUMMY_HASH_CACHE: dict[tuple[int, int], str] = {}


def _hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=current_app.config["ARGON2_TIME_COST"],
                          memory_cost=current_app.config["ARGON2_MEMORY_COST"])


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def normalise_email(text: str) -> str:
    """The normalised address, or ``ValueError`` with a Norwegian message. Only the syntax is
    checked: a deliverability check would need the network and reject real addresses offline."""
    try:
        return validate_email(text.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise ValueError(f"«{text.strip()}» er ikke en gyldig e-postadresse.") from error


def authenticate(email: str, password: str) -> User | None:
    try:
        address = normalise_email(email)
    except ValueError:
        return None
    user = db.session.scalar(select(User).where(func.lower(User.email) == address))
    hasher = _hasher()
    if user is None or not user.active:
        key = (hasher.time_cost, hasher.memory_cost)
        if key not in _DUMMY_HASH_CACHE:
            _DUMMY_HASH_CACHE[key] = hasher.hash(secrets.token_hex(8))
        with contextlib.suppress(VerificationError):
            hasher.verify(_DUMMY_HASH_CACHE[key], password)
        return None
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> str:
    """Record a new login session and return the token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(LoginSession(
        token_hash=_token_hash(token), user_id=user.id, created_at=now,
        expires_at=now + timedelta(hours=current_app.config["SESSION_HOURS"]),
    ))
    user.last_login_at = now
    audit.record(user.id, "login", "user", user.id)
    db.session.commit()
    return token


# Built once: it runs on every request, and building a statement costs more than running it.
_USER_FOR_SESSION = select(User).join(LoginSession, LoginSession.user_id == User.id).where(
    LoginSession.token_hash == bindparam("token_hash"),
    LoginSession.ended_at.is_(None),
    LoginSession.expires_at > bindparam("now"),
    User.active.is_(True),
)


def user_for_token(token: str) -> User | None:
    """The signed-in user of a live login session, or None (ended, expired, or deactivated)."""
    return db.session.scalar(_USER_FOR_SESSION, {"token_hash": _token_hash(token),
                                                 "now": utcnow()})


def end_session(token: str) -> None:
    row = db.session.scalar(select(LoginSession).where(
        LoginSession.token_hash == _token_hash(token)))
    if row is not None and row.ended_at is None:
        row.ended_at = utcnow()
        audit.record(row.user_id, "logout", "user", row.user_id)
        db.session.commit()


def end_all_sessions(user: User) -> None:
    """Used when an administrator deactivates a user."""
    db.session.execute(update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)).values(ended_at=utcnow()))
