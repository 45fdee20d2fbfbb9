"""Passwords (argon2id), login throttling and server-side login sessions."""

from __future__ import annotations

import contextlib
import hashlib
import math
import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from functools import lru_cache
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import RateLimiter
from sqlalchemy import bindparam, func, select, update

from soknad.extensions import db, limiter_of
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


class LoginThrottled(Exception):  # noqa: N818  (a refusal, not an error)
    """Too many failed logins for this account or from this address; ``retry_after`` seconds
    until the window that holds them ends."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def authenticate(email: str, password: str, address: str | None = None) -> User | None:
    """The user whose password this is, or None. Raises ``LoginThrottled`` when the account
    (the normalised e-mail) or the client ``address`` has had too many failed logins in the
    current window: then even the right password is refused, and no hash is computed.
    Failures and refusals are recorded in the audit log (and committed: no session starts)."""
    try:
        normalised: str | None = normalise_email(email)
    except ValueError:
        normalised = None
    account = normalised or email.strip().lower()[:254]
    counters = _login_counters(account, address)
    user = (db.session.scalar(select(User).where(func.lower(User.email) == normalised))
            if normalised else None)
    wait = _seconds_throttled(counters)
    if wait:
        _record_attempt(user, "login_throttled", normalised, address, retry_after=wait)
        raise LoginThrottled(wait)
    hasher = _hasher()
    if normalised is None or not _password_matches(hasher, user, password):
        _throttle_call(lambda limiter: [limiter.hit(item, *keys) for item, keys in counters])
        _record_attempt(user, "login_failed", normalised, address)
        return None
    assert user is not None
    # The account's failures are forgiven; the address's are not (one's own account would
    # otherwise reset the count for guessing at others').
    item, keys = counters[0]
    _throttle_call(lambda limiter: limiter.clear(item, *keys))
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return user


def _password_matches(hasher: PasswordHasher, user: User | None, password: str) -> bool:
    if user is None or not user.active:
        # Verifying against a dummy keeps an unknown e-mail as slow as a wrong password.
        key = (hasher.time_cost, hasher.memory_cost)
        if key not in _DUMMY_HASH_CACHE:
            _DUMMY_HASH_CACHE[key] = hasher.hash(secrets.token_hex(8))
        with contextlib.suppress(VerificationError):
            hasher.verify(_DUMMY_HASH_CACHE[key], password)
        return False
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    return True


NOT_AN_ADDRESS = "(ikke en e-postadresse)"


def _record_attempt(user: User | None, action: str, email: str | None, address: str | None,
                    **data: object) -> None:
    """Audit a failed or throttled login. What was typed is kept only when it is an e-mail
    address: a password typed into the e-mail field must not end up in the log."""
    user_id = user.id if user is not None else None
    audit.record(user_id, action, "user", user_id, email=email or NOT_AN_ADDRESS,
                 address=address, **data)
    db.session.commit()


# --------------------------------------------------------------------------- throttling

Counter = tuple[RateLimitItem, tuple[str, ...]]
Result = TypeVar("Result")
_FALLBACK_KEY = "soknad.limiter_fallback"


@lru_cache(maxsize=16)
def _limit(text: str) -> RateLimitItem:
    return parse(text)


def _login_counters(account: str, address: str | None) -> list[Counter]:
    """The account's failure count first, then the address's. The e-mail is hashed: the
    throttling store (Redis) holds no personal data."""
    config = current_app.config
    prefix = config["RATELIMIT_KEY_PREFIX"]
    counters = [(_limit(config["LOGIN_LIMIT_PER_ACCOUNT"]),
                 (prefix, "login-account", hashlib.sha256(account.encode()).hexdigest()))]
    if address:
        counters.append((_limit(config["LOGIN_LIMIT_PER_ADDRESS"]),
                         (prefix, "login-address", address)))
    return counters


def _seconds_throttled(counters: list[Counter]) -> int:
    """0 when a login may be tried; else the seconds until every full window has ended."""
    def wait(limiter: RateLimiter) -> int:
        longest = 0
        for item, keys in counters:
            if not limiter.test(item, *keys):
                reset = limiter.get_window_stats(item, *keys).reset_time
                longest = max(longest, math.ceil(reset - time.time()), 1)
        return longest

    return _throttle_call(wait) or 0


def _throttle_call(operation: Callable[[RateLimiter], Result]) -> Result | None:
    """Run ``operation`` on Flask-Limiter's strategy and storage (``RATELIMIT_STORAGE_URI``).
    Throttling switched off (``RATELIMIT_ENABLED``): nothing is counted. The storage down
    (Redis unreachable): logins still work, and this worker counts in its own memory meanwhile."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    limiter = limiter_of(app)
    if not limiter.enabled:
        return None
    try:
        return operation(limiter.limiter)
    except Exception as error:  # the storage's own errors (redis, network) have no common base
        app.logger.error("Login throttling storage unavailable, counting in this worker: %s",
                         error)
        return operation(_fallback(app, limiter.limiter))


def _fallback(app: Flask, primary: RateLimiter) -> RateLimiter:
    if _FALLBACK_KEY not in app.extensions:
        app.extensions[_FALLBACK_KEY] = type(primary)(MemoryStorage())
    return app.extensions[_FALLBACK_KEY]


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
