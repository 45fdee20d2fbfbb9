"""End-to-end fixtures: the app on a real loopback port, Debian's Chromium through Playwright,
fresh demo data and CSRF protection on for every test. The axe-core check and the page helpers
are in ``helpers.py``.

Playwright's own browser download does not work on the build machines, so the tests launch
``/usr/bin/chromium`` (override with the CHROMIUM environment variable) and are skipped with a
clear reason when it is missing. CI installs Chromium, so they run there.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.database import fresh_data

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

# Generous for a loaded CI machine; a healthy page answers in milliseconds.
TIMEOUT_MS = 15_000


# --------------------------------------------------------------------------- server and browser


class _QuietHandler(WSGIRequestHandler):
    """No access log line per request (errors are still logged)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class _Answering:
    """The app, counting the requests it is answering: before a test empties the database,
    the saves a closed page still had in flight must be done (on PostgreSQL a save racing the
    emptying deadlocks with it)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.count = 0
        self.started = 0
        self.changed = threading.Condition()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        with self.changed:
            self.count += 1
            self.started += 1
            self.changed.notify_all()
        try:
            body = self.app(environ, start_response)
            try:
                return list(body)
            finally:
                getattr(body, "close", lambda: None)()
        finally:
            with self.changed:
                self.count -= 1
                self.changed.notify_all()

    def wait_until_quiet(self, quiet: float = 0.2, seconds: float = 15) -> None:
        """Until no request is being answered and none has come for ``quiet`` seconds (a page
        being closed may still send its last autosave)."""
        deadline = time.monotonic() + seconds
        with self.changed:
            while time.monotonic() < deadline:
                self.changed.wait_for(lambda: self.count == 0,
                                      timeout=max(0.0, deadline - time.monotonic()))
                started = self.started
                self.changed.wait(timeout=quiet)
                if self.count == 0 and self.started == started:
                    return


_answering: list[_Answering] = []  # the live server's, once it runs


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The app served over real HTTP on 127.0.0.1, in a thread, for the whole session."""
    answering = _Answering(app)
    _answering.append(answering)
    server = make_server("127.0.0.1", 0, answering, threaded=True,  # type: ignore[arg-type]
                         request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    _answering.remove(answering)


@pytest.fixture(scope="session")
def _playwright() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not installed: {CHROMIUM} is missing (apt-get install chromium, "
                    "or set CHROMIUM to the browser's path)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="Playwright is not installed (pip install -e .[dev])")
    with sync_api.sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):  # type: ignore[no-untyped-def]
    chromium = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture(autouse=True)
def _browser_state(app: Flask, _playwright: object) -> Iterator[None]:
    """Fresh demo data before each test, and CSRF protection on as in production (after the
    Chromium check, so that a machine without the browser skips before touching the data).

    The ``app`` fixture is shared by the whole session, and the other suites post without
    tokens, so the setting is restored afterwards."""
    for answering in _answering:
        answering.wait_until_quiet()
    with app.app_context():
        fresh_data()
    previous = app.config.get("WTF_CSRF_ENABLED")
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = previous


@pytest.fixture
def new_context(browser, live_server: str):  # type: ignore[no-untyped-def]
    """A factory of browser contexts (separate cookie jars), closed after the test."""
    contexts = []

    def make(**options):  # type: ignore[no-untyped-def]
        context = browser.new_context(base_url=live_server, locale="nb-NO",
                                      timezone_id="Europe/Oslo", **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):  # type: ignore[no-untyped-def]
    return new_context().new_page()
