"""Set up what the benchmark measures, through the app's own pages, as a browser would.

* log in the demo applicants (``POST /logg-inn`` with the scraped ``csrf_token``);
* create treatment applications (``POST /soknader/ny``);
* fill one application completely with long text (every point through its normal form post,
  the professionals table of point 7 with many rows): its pages are the ones measured;
* fill point 3 of every application: these are the drafts that the autosave load writes to.

Every save is tracked per (application, point), so that the database can be checked afterwards:
the point's version must be 1 + the number of saves that succeeded, and its text the last text
that was saved.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from bench import content
from bench.client import Session, hidden_inputs, path_of
from soknad.domain.formspec import FieldKind, FormLibrary, FormSpec, Section
from soknad.domain.service_types import ApplicationKind, ServiceType

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "demo-passord-2027"  # the demo users' password (soknad/services/demo.py)
APPLICANTS = ("soker.ous@demo.no", "soker2.ous@demo.no", "soker.bergen@demo.no",
              "soker.stolav@demo.no", "soker.unn@demo.no")
SERVICE_TYPE = ServiceType.NATIONAL_TREATMENT
KIND = ApplicationKind.ESTABLISHMENT
AUTOSAVE_POINT = "p3"
VARIANTS = 4  # texts per draft; consecutive saves alternate, so every save changes the text


class SetupError(RuntimeError):
    pass


@dataclass
class Draft:
    """One (application, point) that one virtual user edits, and what it knows about it."""

    application_id: int
    section: Section
    cookie: str
    csrf: str
    version: int = 1
    successes: int = 0  # saves that succeeded (the point's version is 1 + this)
    variants: list[dict[str, Any]] = field(default_factory=list)  # answers, stored shape
    encoded: list[bytes] = field(default_factory=list)  # the same, urlencoded form fields
    next_variant: int = 0
    last_saved: dict[str, Any] | None = None
    uncertain: int = 0  # requests whose outcome is unknown (connection error, timeout)
    in_flight: bool = False

    @property
    def autosave_path(self) -> str:
        return f"/soknader/{self.application_id}/punkt/{self.section.id}/autolagre"


@dataclass
class Scenario:
    spec: FormSpec
    heavy_id: int
    spare_id: int  # a draft for the in-process autosave, not one of ``drafts``
    heavy_cookie: str
    drafts: list[Draft]
    pages: dict[str, str]  # name → path of the pages measured
    page_facts: dict[str, dict[str, Any]]
    users: int


def load_spec() -> FormSpec:
    return FormLibrary.load(ROOT / "forms").latest(SERVICE_TYPE)


def login(session: Session, email: str) -> None:
    page = session.get("/logg-inn")
    token = hidden_inputs(page.text).get("csrf_token")
    if page.status != 200 or not token:
        raise SetupError(f"GET /logg-inn gave {page.status} without a csrf_token")
    answer = session.post("/logg-inn", [("csrf_token", token), ("neste", ""),
                                        ("rescue_target", ""), ("email", email),
                                        ("password", PASSWORD)])
    if answer.status != 302:
        raise SetupError(f"login as {email} gave {answer.status}, expected 302")


def create_application(session: Session) -> int:
    page = session.get("/soknader/ny")
    token = hidden_inputs(page.text).get("csrf_token")
    if page.status != 200 or not token:
        raise SetupError(f"GET /soknader/ny gave {page.status} without a csrf_token")
    answer = session.post("/soknader/ny", [("csrf_token", token),
                                           ("service_type", SERVICE_TYPE.value),
                                           ("kind", KIND.value)])
    match = re.fullmatch(r"/soknader/(\d+)", path_of(answer.location))
    if answer.status != 302 or not match:
        raise SetupError(f"POST /soknader/ny gave {answer.status} → {answer.location!r}")
    return int(match[1])


def save_point(session: Session, application_id: int, section: Section,
               values: dict[str, Any]) -> tuple[int, str]:
    """Open the point, post it as the "Lagre" button does; returns (old version, csrf)."""
    path = f"/soknader/{application_id}/punkt/{section.id}"
    page = session.get(path)
    hidden = hidden_inputs(page.text)
    if page.status != 200 or "csrf_token" not in hidden or "version" not in hidden:
        raise SetupError(f"GET {path} gave {page.status} without csrf_token/version")
    version = int(hidden["version"])
    answer = session.post(path, [("csrf_token", hidden["csrf_token"]),
                                 ("version", str(version)), ("handling", "lagre"),
                                 *content.form_pairs(section, values)])
    if answer.status != 302 or path_of(answer.location) != path:
        raise SetupError(f"POST {path} gave {answer.status} → {answer.location!r}: "
                         f"{answer.text[:300]!r}")
    return version, hidden["csrf_token"]


def encode(csrf: str, version: int, fields: bytes) -> bytes:
    """The autosave body, as section.js posts it (form fields plus handling=autolagre)."""
    return (f"csrf_token={quote(csrf, safe='')}&version={version}&handling=autolagre&"
            .encode() + fields)


def _encoded_fields(section: Section, values: dict[str, Any]) -> bytes:
    return urlencode(content.form_pairs(section, values)).encode()


def prepare(base_session: Session, applications: int, table_rows: int, seed: int = 2027,
            log: Any = print) -> Scenario:
    rng = random.Random(seed)
    spec = load_spec()
    sections = spec.sections_for(KIND)
    point = spec.section(AUTOSAVE_POINT)
    sessions = []
    for email in APPLICANTS:
        session = Session(base_session.host, base_session.port)
        login(session, email)
        sessions.append(session)
    log(f"  logged in {len(sessions)} demo applicants")

    # The application whose pages are measured: every point filled in, point 7 with many rows.
    # It is nobody's autosave draft, so its pages stay the same through the run.
    heavy_session = sessions[0]
    heavy_id = create_application(heavy_session)
    for section in sections:
        save_point(heavy_session, heavy_id, section,
                   content.section_values(rng, section, table_size=table_rows))

    # A draft of its own for the in-process measurement (bench/inproc.py).
    spare_id = create_application(heavy_session)
    save_point(heavy_session, spare_id, point, content.section_values(rng, point))

    drafts: list[Draft] = []
    for number in range(applications):
        session = sessions[number % len(sessions)]
        application_id = create_application(session)
        values = content.section_values(rng, point)
        old_version, csrf = save_point(session, application_id, point, values)
        draft = Draft(application_id, point, session.cookie_header, csrf,
                      version=old_version + 1, successes=old_version, last_saved=values)
        for _ in range(VARIANTS):
            variant = content.section_values(rng, point)
            draft.variants.append(variant)
            draft.encoded.append(_encoded_fields(point, variant))
        drafts.append(draft)
    log(f"  application {heavy_id}: all {len(sections)} points filled in ({table_rows} rows in "
        f"point 7's table); {applications} more applications with point {AUTOSAVE_POINT} "
        f"filled in, one autosave draft each")

    pages = {
        "p7": f"/soknader/{heavy_id}/punkt/p7",
        "p4": f"/soknader/{heavy_id}/punkt/p4",
        "overview": f"/soknader/{heavy_id}",
    }
    facts = {}
    for name, path in pages.items():
        page = heavy_session.get(path)
        if page.status != 200:
            raise SetupError(f"GET {path} gave {page.status}")
        facts[name] = {
            "path": path, "bytes": len(page.body),
            "form_controls": len(re.findall(r"<(?:input|textarea|select)\b", page.text)),
            "words": len(page.text.split()),
        }
    return Scenario(spec, heavy_id, spare_id, heavy_session.cookie_header, drafts, pages,
                    facts, len(sessions))


def body_fields_bytes(draft: Draft) -> int:
    return len(encode(draft.csrf, draft.version, draft.encoded[0]))


def stored_shape(section: Section, values: dict[str, Any]) -> dict[str, Any]:
    """What the database holds for ``values`` (all of them are already clean)."""
    shaped = {}
    for spec_field in section.fields:
        if spec_field.kind is FieldKind.ATTACHMENT or spec_field.id not in values:
            continue
        shaped[spec_field.id] = values[spec_field.id]
    return shaped


def verify(database: Path, drafts: list[Draft]) -> dict[str, Any]:
    """Compare every draft's row with what the clients were told was saved."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    try:
        checked = version_wrong = text_wrong = skipped = 0
        problems: list[str] = []
        for draft in drafts:
            row = connection.execute(
                "SELECT version, data FROM application_section "
                "WHERE application_id = ? AND section_id = ?",
                (draft.application_id, draft.section.id),
            ).fetchone()
            if draft.uncertain:
                skipped += 1
                continue
            checked += 1
            if row is None:
                version_wrong += 1
                problems.append(f"application {draft.application_id}: point row missing")
                continue
            version, data = row[0], json.loads(row[1])
            if version != 1 + draft.successes:
                version_wrong += 1
                problems.append(f"application {draft.application_id}/{draft.section.id}: "
                                f"version {version}, expected 1 + {draft.successes}")
            expected = stored_shape(draft.section, draft.last_saved or {})
            actual = {key: data.get(key) for key in expected}
            if actual != expected:
                text_wrong += 1
                differing = [key for key in expected if actual[key] != expected[key]]
                problems.append(f"application {draft.application_id}/{draft.section.id}: "
                                f"stored text differs from the last saved in {differing}")
        return {"drafts": len(drafts), "checked": checked, "version_mismatch": version_wrong,
                "text_mismatch": text_wrong, "skipped_uncertain": skipped,
                "saves_ok_total": sum(d.successes for d in drafts),
                "problems": problems[:20]}
    finally:
        connection.close()
