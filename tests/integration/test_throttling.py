"""Login throttling: failed logins per account and per client address, in windows that expire,
checked before the password hash, shared between workers through Redis."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
import time_machine
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from soknad import create_app
from soknad.config import Defaults
from soknad.extensions import db
from soknad.models import AuditEntry, LoginSession
from soknad.models.types import utcnow
from soknad.services import applications
from soknad.services.demo import PASSWORD
from tests.conftest import TEST_CONFIG, IsolatedClient
from tests.factories import make_application, user

REDIS_URL = "redis://127.0.0.1:6379/0"
APPLICANT = "soker.ous@demo.no"
OTHER_APPLICANT = "soker2.ous@demo.no"
WRONG = "feil-passord"
THROTTLED_15 = "For mange mislykkede innlogginger. Vent 15 minutter og prøv igjen."
# Documentation addresses (RFC 5737): only ever a REMOTE_ADDR in the test client's environ.
ADDRESS = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.9"

AppFactory = Callable[..., Flask]


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def make_app(database_url: str, tmp_path: Path) -> Iterator[AppFactory]:
    """Apps with throttling on (the production default), on the suite's database. Two apps
    made here are two workers: they share the database and, with Redis, the counts."""
    made: list[Flask] = []

    def make(**config: Any) -> Flask:
        application = create_app({
            **TEST_CONFIG, "INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": database_url, "RATELIMIT_ENABLED": True, **config,
        })
        application.test_client_class = IsolatedClient
        made.append(application)
        return application

    yield make
    for application in made:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of the test's own in the real Redis, deleted afterwards."""
    if not redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}; start redis-server to run this")
    prefix = f"soknad-test-{uuid.uuid4().hex}"
    yield prefix
    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)


@pytest.fixture(params=["memory", "redis"])
def storage(request: pytest.FixtureRequest) -> dict[str, str]:
    """The settings for each storage: memory:// (one process) and the real Redis."""
    if request.param == "memory":
        return {"RATELIMIT_STORAGE_URI": "memory://"}
    prefix = request.getfixturevalue("redis_prefix")
    return {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix}


def client_at(application: Flask, address: str = ADDRESS) -> FlaskClient:
    client = application.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def attempt(client: FlaskClient, email: str = APPLICANT, password: str = WRONG,
            **data: str) -> Any:
    return client.post("/logg-inn", data={"email": email, "password": password, **data})


def fail(client: FlaskClient, times: int, email: str = APPLICANT) -> None:
    for _ in range(times):
        response = attempt(client, email)
        assert response.status_code == 422
        assert "Feil e-postadresse eller passord." in response.get_data(as_text=True)


def assert_throttled(response: Any, minutes: int = 15, email: str = APPLICANT) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= minutes * 60
    assert (f"For mange mislykkede innlogginger. Vent {minutes} "
            f"{'minutt' if minutes == 1 else 'minutter'} og prøv igjen.") in html
    assert "<title>Feil: Logg inn" in html
    assert f'value="{email}"' in html  # the e-mail field keeps what was typed
    assert PASSWORD not in html


def signed_in(client: FlaskClient) -> bool:
    return client.get("/soknader/").status_code == 200


def later(minutes: int, seconds: int = 1) -> time_machine.travel:
    return time_machine.travel(datetime.now(UTC) + timedelta(minutes=minutes, seconds=seconds))


def test_throttling_is_on_by_default_with_windows_that_expire() -> None:
    assert Defaults.RATELIMIT_ENABLED is True
    assert Defaults.LOGIN_LIMIT_PER_ACCOUNT == "5 per 15 minutes"
    assert Defaults.LOGIN_LIMIT_PER_ADDRESS == "30 per 15 minutes"
    assert Defaults.RATELIMIT_STORAGE_URI == "memory://"
    assert Defaults.PROXY_FIX_X_FOR == 0


def test_a_mistyped_limit_stops_the_app_at_start(make_app: AppFactory) -> None:
    with pytest.raises(ValueError, match="couldn't parse"):
        make_app(LOGIN_LIMIT_PER_ACCOUNT="fem i kvarteret")


def test_after_five_failures_even_the_right_password_is_refused(
        make_app: AppFactory, storage: dict[str, str]) -> None:
    client = client_at(make_app(**storage))
    fail(client, 5)
    assert_throttled(attempt(client, password=PASSWORD))
    assert not signed_in(client)
    assert_throttled(attempt(client))  # and wrong ones are not even tried


def test_one_account_throttled_leaves_the_others_alone(make_app: AppFactory,
                                                       storage: dict[str, str]) -> None:
    client = client_at(make_app(**storage))
    fail(client, 5)
    assert attempt(client, APPLICANT, PASSWORD).status_code == 429
    assert attempt(client, OTHER_APPLICANT, PASSWORD).status_code == 302
    assert signed_in(client)


def test_an_account_is_throttled_from_every_address(make_app: AppFactory,
                                                    storage: dict[str, str]) -> None:
    application = make_app(**storage)
    fail(client_at(application, ADDRESS), 5)
    assert_throttled(attempt(client_at(application, OTHER_ADDRESS), password=PASSWORD))


def test_an_address_is_throttled_across_accounts(make_app: AppFactory,
                                                 storage: dict[str, str]) -> None:
    application = make_app(**storage, LOGIN_LIMIT_PER_ADDRESS="4 per 15 minutes")
    guesser = client_at(application, ADDRESS)
    for number in range(4):  # one guess each at four accounts, known and unknown
        fail(guesser, 1, f"gjett{number}@demo.no")
    assert_throttled(attempt(guesser, OTHER_APPLICANT, PASSWORD), email=OTHER_APPLICANT)
    # Someone at another address is not concerned.
    assert attempt(client_at(application, OTHER_ADDRESS), OTHER_APPLICANT, PASSWORD
                   ).status_code == 302


def test_the_right_password_works_again_when_the_window_has_passed(
        make_app: AppFactory) -> None:
    client = client_at(make_app(RATELIMIT_STORAGE_URI="memory://"))
    fail(client, 5)
    with later(minutes=14, seconds=0):
        response = attempt(client, password=PASSWORD)
        assert_throttled(response, minutes=1)
        assert 0 < int(response.headers["Retry-After"]) <= 60
    with later(minutes=15):
        assert attempt(client, password=PASSWORD).status_code == 302
        assert signed_in(client)


def test_a_window_in_redis_expires_too(make_app: AppFactory, redis_prefix: str) -> None:
    client = client_at(make_app(RATELIMIT_STORAGE_URI=REDIS_URL,
                                RATELIMIT_KEY_PREFIX=redis_prefix,
                                LOGIN_LIMIT_PER_ACCOUNT="2 per 1 second"))
    fail(client, 2)
    assert_throttled(attempt(client, password=PASSWORD), minutes=1)
    time.sleep(1.2)  # Redis expires the key by its own clock: time-machine cannot move it
    assert attempt(client, password=PASSWORD).status_code == 302


def test_a_successful_login_forgives_the_accounts_failures(make_app: AppFactory,
                                                           storage: dict[str, str]) -> None:
    client = client_at(make_app(**storage))
    fail(client, 4)
    assert attempt(client, password=PASSWORD).status_code == 302
    client.post("/logg-ut")
    fail(client, 5)  # five more, not one
    assert_throttled(attempt(client, password=PASSWORD))


def test_a_throttled_attempt_computes_no_password_hash(make_app: AppFactory,
                                                       storage: dict[str, str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    verify = PasswordHasher.verify

    def counting_verify(self: PasswordHasher, hash_: str, password: str) -> bool:
        calls.append(password)
        return verify(self, hash_, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    client = client_at(make_app(**storage))
    fail(client, 5)
    assert len(calls) == 5
    for password in [PASSWORD, WRONG] * 5:
        assert attempt(client, password=password).status_code == 429
    assert len(calls) == 5
    assert PASSWORD not in calls


def test_two_workers_share_the_counts_through_redis(make_app: AppFactory,
                                                    redis_prefix: str) -> None:
    settings = {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": redis_prefix}
    first, second = client_at(make_app(**settings)), client_at(make_app(**settings))
    fail(first, 3)
    fail(second, 2)
    assert_throttled(attempt(first, password=PASSWORD))
    assert_throttled(attempt(second, password=PASSWORD))


def test_two_workers_with_memory_storage_count_apart(make_app: AppFactory) -> None:
    """Why several workers need Redis: each memory:// worker counts only its own failures."""
    first = client_at(make_app(RATELIMIT_STORAGE_URI="memory://"))
    second = client_at(make_app(RATELIMIT_STORAGE_URI="memory://"))
    fail(first, 3)
    fail(second, 2)
    assert attempt(first, password=PASSWORD).status_code == 302


def test_with_redis_down_each_worker_still_throttles(make_app: AppFactory,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    # Port 1 on the loopback: nothing listens, the connection is refused at once.
    application = make_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    client = client_at(application)
    with caplog.at_level(logging.ERROR):
        fail(client, 5)
        assert_throttled(attempt(client, password=PASSWORD))
    assert "Login throttling storage unavailable" in caplog.text


def test_failed_and_throttled_logins_are_in_the_audit_log(make_app: AppFactory) -> None:
    client = client_at(make_app(RATELIMIT_STORAGE_URI="memory://"))
    applicant = user(APPLICANT)
    attempt(client, email="  SOKER.OUS@demo.no ")
    attempt(client, email="finnes.ikke@demo.no", password=PASSWORD)
    fail(client, 4)
    attempt(client, password=PASSWORD)

    rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action.in_(
        ["login_failed", "login_throttled"])).order_by(AuditEntry.id)).all()
    summary = [(row.action, row.actor_id, row.object_type, row.object_id, row.data["email"],
                row.address) for row in rows]
    assert summary == [
        ("login_failed", applicant.id, "user", applicant.id, APPLICANT, ADDRESS),
        ("login_failed", None, "user", None, "finnes.ikke@demo.no", ADDRESS),
        *[("login_failed", applicant.id, "user", applicant.id, APPLICANT, ADDRESS)] * 4,
        ("login_throttled", applicant.id, "user", applicant.id, APPLICANT, ADDRESS),
    ]
    assert 0 < rows[-1].data["retry_after"] <= 900
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "login")) is None


def test_a_password_typed_into_the_email_field_is_not_logged(make_app: AppFactory) -> None:
    client = client_at(make_app(RATELIMIT_STORAGE_URI="memory://"))
    attempt(client, email="Hemmelig-passord-2027")
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "login_failed")).one()
    assert entry.data["email"] == "(ikke en e-postadresse)"
    assert "Hemmelig" not in str(entry.data)


def test_behind_a_proxy_the_forwarded_address_is_counted(make_app: AppFactory) -> None:
    application = make_app(RATELIMIT_STORAGE_URI="memory://", PROXY_FIX_X_FOR=1,
                           LOGIN_LIMIT_PER_ADDRESS="2 per 15 minutes")
    proxy = client_at(application, "127.0.0.1")
    forwarded = {"X-Forwarded-For": ADDRESS}
    for email in ("a@demo.no", "b@demo.no"):
        proxy.post("/logg-inn", data={"email": email, "password": WRONG}, headers=forwarded)
    response = proxy.post("/logg-inn", data={"email": APPLICANT, "password": PASSWORD},
                          headers=forwarded)
    assert response.status_code == 429
    # Another client behind the same proxy is another address.
    response = proxy.post("/logg-inn", data={"email": APPLICANT, "password": PASSWORD},
                          headers={"X-Forwarded-For": OTHER_ADDRESS})
    assert response.status_code == 302
    addresses = db.session.scalars(select(AuditEntry.address).where(
        AuditEntry.action == "login_failed")).all()
    assert addresses == [ADDRESS, ADDRESS]


def test_without_a_proxy_setting_a_forged_forwarded_header_changes_nothing(
        make_app: AppFactory) -> None:
    client = client_at(make_app(RATELIMIT_STORAGE_URI="memory://",
                                LOGIN_LIMIT_PER_ADDRESS="2 per 15 minutes"))
    for number, email in enumerate(("a@demo.no", "b@demo.no")):
        client.post("/logg-inn", data={"email": email, "password": WRONG},
                    headers={"X-Forwarded-For": f"192.0.2.{number}"})
    response = client.post("/logg-inn", data={"email": APPLICANT, "password": PASSWORD},
                           headers={"X-Forwarded-For": "192.0.2.99"})
    assert response.status_code == 429


def test_a_rescued_post_survives_throttling_and_comes_back_after_the_window(
        make_app: AppFactory) -> None:
    application_row = make_application()
    client = client_at(make_app(RATELIMIT_STORAGE_URI="memory://"))
    assert attempt(client, password=PASSWORD).status_code == 302
    db.session.execute(update(LoginSession).values(expires_at=utcnow()))
    db.session.commit()
    text = "Et svar som ikke må gå tapt."
    path = f"/soknader/{application_row.id}/punkt/p3"
    html = client.post(path, data={"version": "1", "sentralisering": text}).get_data(
        as_text=True)
    rescued = dict(re.findall(r'<input type="hidden" name="(rescue__[^"]+)" value="([^"]*)"',
                              html))
    assert rescued["rescue__sentralisering"] == text

    for _ in range(5):
        assert attempt(client, rescue_target=path, **rescued).status_code == 422
    response = attempt(client, password=PASSWORD, rescue_target=path, **rescued)
    assert_throttled(response)
    html = response.get_data(as_text=True)
    assert f'name="rescue__sentralisering" value="{text}"' in html
    assert f'name="rescue_target" value="{path}"' in html

    with later(minutes=15):
        response = attempt(client, password=PASSWORD, rescue_target=path, **rescued)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Teksten du skrev, er satt inn i skjemaet igjen" in html
    assert text in html
    assert applications.section_row(application_row, "p3").data["sentralisering"] == ""
