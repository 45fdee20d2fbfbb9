"""Configuration: defaults → ``instance/config.toml`` → ``SOKNAD_*`` environment → test mapping.

``DATABASE_URL`` (or ``SOKNAD_DATABASE_URL``) chooses the database; the default is a SQLite file
in the instance folder. Every key is documented in ``instance/config.example.toml``.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

from flask import Flask
from limits import parse

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    # Where the project's data lives; override when the source tree is not deployed.
    FORMS_DIR = str(PROJECT_ROOT / "forms")
    DATA_DIR = str(PROJECT_ROOT / "data")
    # Attachments (content-addressed by SHA-256); relative paths are inside the instance folder.
    UPLOAD_DIR = "uploads"
    MAX_UPLOAD_MB = 25
    # The whole request may be larger than one file: text fields plus a few files.
    MAX_REQUEST_MB = 110
    MAX_FORM_MEMORY_SIZE = 4 * 1024 * 1024  # the longest text field in a multipart post
    MAX_FORM_PARTS = 2_000
    # Sessions last 20 hours: WCAG 2.1 SC 2.2.1 exempts time limits longer than 20 hours, so a
    # long day of writing never meets an expired session. The CSRF token lives as long.
    SESSION_HOURS = 20
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set true behind HTTPS (see README)
    SESSION_COOKIE_NAME = "soknad_session"
    # argon2id parameters (argon2-cffi's RFC 9106 low-memory profile by default).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65_536
    TIMEZONE = "Europe/Oslo"
    # Mail (reminders and notices); see README.
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_SENDER = "Søknadsportal for nasjonale tjenester <ikke-svar@soknad.invalid>"
    MAIL_USE_TLS = False
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    # Deadline reminders (README "Deadlines and reminders"): sent this many days before each
    # deadline, at this hour Oslo time, to the people who still have something to do. The
    # scheduler looks every REMINDER_INTERVAL_MINUTES. SCHEDULER = "inprocess" runs it inside
    # the web process (`make run` sets it); in production leave it "off" and run
    # `soknad scheduler` as its own process.
    REMINDER_OFFSETS_DAYS = (30, 14, 7, 1)
    REMINDER_HOUR = 8
    REMINDER_INTERVAL_MINUTES = 5
    SCHEDULER = "off"
    # How long a link to set a password (e-mailed to a new user, or sent again by an
    # administrator) can be used; it works once.
    SET_PASSWORD_LINK_HOURS = 48
    # PDF of an application (README "Word and PDF"): LibreOffice headless, run by the scheduler
    # every PDF_INTERVAL_SECONDS (or `soknad pdf`), never in a request. The PDFs are kept in
    # PDF_DIR (relative: inside the instance folder).
    SOFFICE_COMMAND = "soffice"
    PDF_TIMEOUT_SECONDS = 120
    PDF_INTERVAL_SECONDS = 15
    PDF_DIR = "pdf"
    # The address people reach the app on, for links in e-mails.
    BASE_URL = "http://127.0.0.1:5000"
    # The joint submission goes to Helsedirektoratet with a copy to the ministry (002 ch. II.1).
    MINISTRY_NAME = "Helse- og omsorgsdepartementet"
    MINISTRY_EMAIL = ""  # where the copy is e-mailed; empty: no e-mail, the copy is recorded
    # How old the kept list of health trusts and registry of services may get before a worker
    # compares it with the database again (changes made through the same worker show at once).
    CATALOGUE_RECHECK_SECONDS = 5.0
    # Login throttling (README "Configuration"). Only failed logins count, in windows that
    # expire: past the limit every login for that account (or from that address) is refused,
    # the right password too, until the window that began with the first failure has passed.
    # The check comes before the password hash, so a refused attempt costs no argon2.
    # Limits are Flask-Limiter's notation ("5 per 15 minutes"). RATELIMIT_* are Flask-Limiter's
    # own keys: memory:// suits one process (`make run`); several workers must share Redis,
    # e.g. "redis://127.0.0.1:6379/0". RATELIMIT_ENABLED stays true in production.
    LOGIN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    LOGIN_LIMIT_PER_ADDRESS = "30 per 15 minutes"
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_KEY_PREFIX = "soknad"
    # Behind a reverse proxy: how many proxies in front set X-Forwarded-For / X-Forwarded-Proto
    # (werkzeug's ProxyFix). 0 trusts no such header: the client address is the peer's.
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    # Strict-Transport-Security on requests that came over HTTPS; 0 sends none.
    HSTS_SECONDS = 31_536_000
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {"pool_pre_ping": True}


def _database_url(app: Flask) -> str:
    url = (
        app.config.get("DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or f"sqlite:///{Path(app.instance_path) / 'soknad.sqlite'}"
    )
    # Accept the common postgres:// and postgresql:// spellings; use the psycopg 3 driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _secret_key(app: Flask) -> str:
    """The configured key, or one generated once and kept in the instance folder (mode 0600)."""
    path = Path(app.instance_path) / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_hex(32)
    path.touch(mode=0o600)
    path.write_text(key, encoding="ascii")
    return key


def load(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_file("config.toml", load=tomllib.load, text=False, silent=True)
    app.config.from_prefixed_env("SOKNAD")
    if test_config:
        app.config.update(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = _database_url(app)
    for key in ("LOGIN_LIMIT_PER_ACCOUNT", "LOGIN_LIMIT_PER_ADDRESS"):
        parse(app.config[key])  # a mistyped limit stops the app at start, not at a login
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app)
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["SESSION_HOURS"])
    # A login lasts SESSION_HOURS from the login (the server's record decides), so the cookie is
    # written when the session changes, not again on every request.
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_REQUEST_MB"] * 1024 * 1024
    upload_dir = Path(app.config["UPLOAD_DIR"])
    if not upload_dir.is_absolute():
        upload_dir = Path(app.instance_path) / upload_dir
    app.config["UPLOAD_DIR"] = str(upload_dir)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"], "connect_args": {"timeout": 15},
        }
