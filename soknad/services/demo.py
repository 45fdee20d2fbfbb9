"""Demo data for ``soknad demo`` and ``make run``: the organisations, round 2027 and one user
per role and region. The passwords are for demonstration only (see README)."""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from sqlalchemy import select

from soknad.domain.organisations import DIRECTORATE_NAME, Region
from soknad.domain.roles import Role
from soknad.extensions import db
from soknad.models import Round, User
from soknad.services import organisations, registry, users
from soknad.services import rounds as rounds_service

PASSWORD = "demo-passord-2027"  # noqa: S105  (demo only, documented in README)
ROUND_YEAR = 2027

# (e-mail, name, role, organisation)
DEMO_USERS = (
    ("soker.ous@demo.no", "Kari Nordmann", Role.APPLICANT, "Oslo universitetssykehus HF"),
    ("soker2.ous@demo.no", "Per Hansen", Role.APPLICANT, "Oslo universitetssykehus HF"),
    ("soker.bergen@demo.no", "Ingrid Vik", Role.APPLICANT, "Helse Bergen HF"),
    ("soker.stolav@demo.no", "Ola Moe", Role.APPLICANT, "St. Olavs hospital HF"),
    ("soker.unn@demo.no", "Sara Isaksen", Role.APPLICANT, "Universitetssykehuset Nord-Norge HF"),
    ("koordinator.sorost@demo.no", "Anne Berg", Role.COORDINATOR, f"{Region.SOR_OST.label} RHF"),
    ("koordinator.vest@demo.no", "Lars Dale", Role.COORDINATOR, f"{Region.VEST.label} RHF"),
    ("koordinator.midt@demo.no", "Eva Lien", Role.COORDINATOR, f"{Region.MIDT_NORGE.label} RHF"),
    ("koordinator.nord@demo.no", "Nils Eira", Role.COORDINATOR, f"{Region.NORD.label} RHF"),
    ("hdir@demo.no", "Hanne Dahl", Role.DIRECTORATE, DIRECTORATE_NAME),
    ("admin@demo.no", "Tor Admin", Role.ADMIN, DIRECTORATE_NAME),
)

#: The demo coordinators' titles: they sign the joint cover letter with them.
DEMO_TITLES = {
    "koordinator.sorost@demo.no": "Fagdirektør", "koordinator.vest@demo.no": "Fagdirektør",
    "koordinator.midt@demo.no": "Seniorrådgiver", "koordinator.nord@demo.no": "Fagsjef",
}


def create() -> str:
    """Create what is missing; running it again changes nothing."""
    data_dir = Path(current_app.config["DATA_DIR"])
    created = organisations.seed(data_dir / "helseforetak.csv")
    services = registry.import_file(data_dir / "nasjonale_tjenester.csv").created
    rounds = int(db.session.scalar(select(Round).where(Round.year == ROUND_YEAR)) is None)
    rounds_service.ensure(ROUND_YEAR)
    if rounds:  # a new demo round is coordinated by Helse Sør-Øst; an admin can change it
        round_ = rounds_service.by_year(ROUND_YEAR)
        assert round_ is not None
        round_.coordinating_region = Region.SOR_OST.value
        db.session.commit()
    people = 0
    for email, name, role, organisation_name in DEMO_USERS:
        if db.session.scalar(select(User.id).where(User.email == email)):
            continue
        organisation = organisations.by_name(organisation_name)
        assert organisation is not None, organisation_name
        person = users.create_user(name, email, role, organisation, PASSWORD)
        person.title = DEMO_TITLES.get(email)
        people += 1
    db.session.commit()
    return (f"{created} organisasjoner, {services} nasjonale tjenester, {rounds} søknadsrunde, "
            f"{people} brukere")


def logins() -> list[tuple[str, str]]:
    return [(email, role.label) for email, _, role, _ in DEMO_USERS]
