"""The ``soknad`` command: Flask's CLI under the project's name, plus the project's commands.

``soknad run`` and ``soknad db upgrade`` come from Flask and Flask-Migrate; the rest is below.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade

from soknad import create_app
from soknad.domain.errors import DomainError
from soknad.domain.exchange import parse
from soknad.domain.findings import has_blocking
from soknad.domain.words import amount
from soknad.extensions import db
from soknad.models import Application, User


@click.group(cls=FlaskGroup, create_app=create_app)
def main() -> None:
    """Søknadsportal for nasjonale tjenester."""


def _user(email: str) -> User:
    """The user with ``email``; the command stops with a Norwegian message when there is none."""
    from soknad.services import users

    user = users.by_email(email)
    if user is None:
        raise click.ClickException(f"Fant ingen bruker med e-postadressen {email}.")
    return user


@main.command("demo")
@with_appcontext
def demo_command() -> None:
    """Create or upgrade the database, round 2027 and demo users for every role."""
    from soknad.services import demo

    upgrade(directory=current_app.extensions["migrate"].directory)
    created = demo.create()
    click.echo(f"Databasen er klar. Opprettet: {created}.")
    for email, role in demo.logins():
        click.echo(f"  {role:<28} {email}  (passord: {demo.PASSWORD})")


@main.command("export")
@click.argument("application_id", type=int)
@click.option("--files/--no-files", default=False,
              help="Include the attachments' bytes (base64) so that an import can restore them.")
@with_appcontext
def export_command(application_id: int, files: bool) -> None:
    """Print application ID as JSON in the exchange format."""
    from soknad.services import audit, exchange

    application = db.session.get(Application, application_id)
    if application is None:
        raise click.ClickException(f"Fant ingen søknad med id {application_id}.")
    data = exchange.export(application, include_content=files)
    audit.record(None, "export", "application", application_id, format="json",
                 files=files, via="cli")
    db.session.commit()
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--owner", required=True, help="E-mail of the applicant who will own the draft.")
@with_appcontext
def import_command(file: Path, owner: str) -> None:
    """Create a draft from FILE (exchange format) for the owner's health trust."""
    from soknad.services import exchange

    user = _user(owner)
    try:
        document = parse(file.read_bytes())
        application, notes = exchange.import_document(document, user)
    except (OSError, DomainError) as error:
        raise click.ClickException(str(error)) from error
    for note in notes:
        click.echo(f"Merk: {note}")
    click.echo(f"Importert som søknad {application.id}: {application.display_title}")


@main.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def check_command(file: Path) -> None:
    """Check FILE against the rules, with the applicant's region from the organisation list
    (the database's, or data/'s when there is no database). Exit 0: nothing blocks;
    1: something blocks; 2: the file cannot be read or does not follow the exchange format."""
    from soknad.services import exchange

    try:
        document = parse(file.read_bytes())
        result = exchange.check(document)
    except OSError as error:
        click.echo(f"Kan ikke lese {file}: {error.strerror}", err=True)
        sys.exit(2)
    except DomainError as error:
        click.echo(str(error), err=True)
        sys.exit(2)
    if result.note:
        click.echo(result.note, err=True)
    if result.unknown:
        click.echo(f"Filen har svar som skjemaet ikke har: {', '.join(result.unknown)}",
                   err=True)
        sys.exit(2)
    for finding in result.findings:
        click.echo(f"[{finding.severity.label}] {finding.rule}: {finding.text}")
    blocking = sum(finding.blocking for finding in result.findings)
    warnings = amount(len(result.findings) - blocking, "advarsel", "advarsler")
    click.echo(f"{blocking} må rettes, {warnings}.")
    sys.exit(1 if has_blocking(result.findings) else 0)


@main.command("setup")
@click.option("--round", "round_year", type=int, help="Also open the round for this year.")
@with_appcontext
def setup_command(round_year: int | None) -> None:
    """Create the organisations (from data/helseforetak.csv) and optionally a round; no users."""
    from soknad.services import organisations, rounds

    created = organisations.seed(Path(current_app.config["DATA_DIR"]) / "helseforetak.csv")
    click.echo(f"Organisasjoner opprettet: {created}.")
    if round_year:
        click.echo(rounds.ensure(round_year))


@main.command("create-user")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", required=True,
              type=click.Choice(["applicant", "coordinator", "directorate", "admin"]))
@click.option("--organisation", required=True, help="The organisation's exact name.")
@click.password_option(help="Asked for when not given.")
@with_appcontext
def create_user_command(email: str, name: str, role: str, organisation: str,
                        password: str) -> None:
    """Create a user, e.g. the first administrator of a new installation."""
    from soknad.domain.roles import Role
    from soknad.services import organisations, users

    found = organisations.by_name(organisation)
    if found is None:
        raise click.ClickException(f"Fant ingen organisasjon som heter «{organisation}».")
    try:
        user = users.create_user(name, email, Role(role), found, password)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Opprettet {user.name} <{user.email}> ({Role(role).label}, {found.name}).")


@main.group("registry")
def registry_group() -> None:
    """The registry of approved national services."""


@registry_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def registry_import_command(file: Path) -> None:
    """Import FILE (columns as data/nasjonale_tjenester.csv); importing again changes nothing."""
    from soknad.services import registry

    report = registry.import_file(file)
    click.echo(f"Tjenester: {report.created} nye, {report.updated} endret, "
               f"{report.unchanged} uendret.")
    if report.unparsed:
        click.echo("ICD-10-tekst som ikke kunne leses som WHO ICD-10:")
        for name, items in report.unparsed:
            click.echo(f"  {name}: {'; '.join(items)}")
    if report.notes:
        click.echo("Tekst ved kodene (beholdt i originalteksten):")
        for name, items in report.notes:
            click.echo(f"  {name}: {'; '.join(items)}")


@main.group("mail")
def mail_group() -> None:
    """The e-mail outbox."""


@mail_group.command("send")
@with_appcontext
def mail_send_command() -> None:
    """Send the e-mails that are due now (safe to run at any time, and in parallel)."""
    from soknad.services import mail

    report = mail.send_pending()
    for line in report.sent:
        click.echo(f"Sendt: {line}")
    for line in report.failed:
        click.echo(f"Ikke sendt, prøver igjen senere: {line}")
    click.echo(f"{len(report.sent)} sendt, {len(report.failed)} feilet.")


@main.command("pdf")
@with_appcontext
def pdf_command() -> None:
    """Make the PDFs the health trusts asked for (LibreOffice headless); safe to run at any
    time, and in parallel. The scheduler does the same every PDF_INTERVAL_SECONDS."""
    from soknad.services import pdfs

    report = pdfs.convert_pending()
    for line in report.done:
        click.echo(f"Laget: {line}")
    for line in report.superseded:
        click.echo(f"Ikke laget, utkastet er endret siden: {line}")
    for line in report.failed:
        click.echo(f"Feilet: {line}")
    click.echo(f"{amount(len(report.done), 'PDF', 'PDF-er')} laget, {len(report.failed)} feilet.")


# --------------------------------------------------------------------------- calendar, reminders


@main.command("calendar")
@click.argument("round_year", type=int)
@click.option("--user", "email", help="Only the dates that concern this user (e-mail).")
@with_appcontext
def calendar_command(round_year: int, email: str | None) -> None:
    """Print the dates of round ROUND_YEAR (Oslo dates; a deadline holds until 23:59:59)."""
    from soknad.domain import calendar as cal
    from soknad.services import calendar as calendar_service

    round_ = calendar_service.round_by_year(round_year)
    if round_ is None:
        raise click.ClickException(f"Fant ingen søknadsrunde {round_year}.")
    calendar = calendar_service.load(round_)
    user = _user(email) if email else None
    click.echo(f"Søknadsrunden {round_year}: datoer i Europe/Oslo; en frist «innen» en dato "
               "gjelder til kl. 23:59:59.")
    for deadline in calendar.deadlines:
        if user is not None and not deadline.visible_to(user.actor()):
            continue
        kind = "frist" if deadline.is_deadline else "dato "
        note = f"  [{deadline.note}]" if deadline.note else ""
        click.echo(f"{deadline.day.isoformat()} {cal.WEEKDAYS[deadline.day.weekday()][:3]}  "
                   f"{kind}  {deadline.title}{note}  – {deadline.audience.describe()}")
    for region in calendar.without_internal:
        click.echo(f"Intern frist for {region.label} er ikke satt.")


@main.command("remind")
@click.option("--dry-run", is_flag=True, help="Only list what is due; queue and send nothing.")
@with_appcontext
def remind_command(dry_run: bool) -> None:
    """Queue the reminders due now and send the outbox; safe to run at any time, in parallel."""
    from soknad.services import reminders

    report = reminders.run(dry_run=dry_run)
    verb = "Ville lagt i kø" if dry_run else "Lagt i kø"
    for line in report.queued:
        click.echo(f"{verb}: {line}")
    for line in report.already:
        click.echo(f"Allerede lagt i kø av en annen prosess: {line}")
    for line in report.sent:
        click.echo(f"Sendt: {line}")
    for line in report.failed:
        click.echo(f"Ikke sendt, prøver igjen senere: {line}")
    if dry_run:
        click.echo(f"{amount(len(report.queued), 'påminnelse', 'påminnelser')} er forfalt. "
                   "Ingenting er sendt (--dry-run).")
    else:
        click.echo(f"{amount(len(report.queued), 'påminnelse', 'påminnelser')} lagt i kø, "
                   f"{amount(len(report.sent), 'e-post', 'e-poster')} sendt, "
                   f"{len(report.failed)} feilet.")


@main.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the scheduler in the foreground: reminders, the outbox and the PDFs (production: one
    such process)."""
    import logging

    from soknad.services import reminders

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    scheduler = reminders.make_scheduler(app, blocking=True)
    click.echo(f"Påminnelser: ser etter forfalte hvert {app.config['REMINDER_INTERVAL_MINUTES']}. "
               f"minutt. PDF-er: lager bestilte hvert {app.config['PDF_INTERVAL_SECONDS']}. "
               "sekund. Stopp med Ctrl+C.")
    import contextlib

    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()


@main.command("package")
@click.argument("round_year", type=int)
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="Where to write the ZIP.")
@with_appcontext
def package_command(round_year: int, out_path: Path) -> None:
    """Build the joint application package of a round (the national list must be locked):
    the cover letter, each application as Word in priority order with its attachments, and
    manifest.json. The same data gives the same bytes."""
    from soknad.documents.package import Progress
    from soknad.services import audit, joint, rounds

    round_ = rounds.by_year(round_year)
    if round_ is None:
        raise click.ClickException(f"Fant ingen søknadsrunde {round_year}.")
    last = {"percent": -1}

    def progress(state: Progress) -> None:
        percent = int(state.fraction * 100)
        if percent // 10 != last["percent"] // 10:  # every tenth, on standard error
            last["percent"] = percent
            click.echo(f"{percent:3d} %  {state.current}", err=True)

    try:
        manifest = joint.build(round_, out_path, progress=progress)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    audit.record(None, "export", "round", round_.id, year=round_year, file=out_path.name,
                 via="cli")
    db.session.commit()
    click.echo(f"Skrev {out_path} ({out_path.stat().st_size} byte, "
               f"{len(manifest['files'])} filer).")


# --------------------------------------------------------------------------- annual reports


@main.group("report")
def report_group() -> None:
    """Annual reports in the JSON exchange format (docs/exchange-format.md)."""


@report_group.command("export")
@click.argument("report_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the JSON to this file instead of standard output.")
@with_appcontext
def report_export_command(report_id: int, output: Path | None) -> None:
    """Print (or write) annual report REPORT_ID as JSON in the exchange format."""
    from soknad.models import AnnualReport
    from soknad.services import audit, report_exchange

    report = db.session.get(AnnualReport, report_id)
    if report is None:
        raise click.ClickException(f"Fant ingen årsrapport med id {report_id}.")
    text = json.dumps(report_exchange.export(report), ensure_ascii=False, indent=2,
                      sort_keys=True)
    audit.record(None, "export", "annual_report", report_id, format="json", via="cli")
    db.session.commit()
    if output is None:
        click.echo(text)
        return
    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"Kan ikke skrive {output}: {error.strerror}") from error
    click.echo(f"Skrev årsrapport {report_id} til {output}.")


@report_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--user", "email", required=True,
              help="E-mail of the health trust's user the import is made as.")
@with_appcontext
def report_import_command(file: Path, email: str) -> None:
    """Write FILE's answers into the report it is for (compare-and-swap on its version)."""
    from soknad.domain.report_exchange import parse as parse_report
    from soknad.services import report_exchange

    user = _user(email)
    try:
        document = parse_report(file.read_bytes())
        report, notes = report_exchange.import_document(document, user)
    except OSError as error:
        raise click.ClickException(f"Kan ikke lese {file}: {error.strerror}") from error
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    for note in notes:
        click.echo(f"Merk: {note}")
    click.echo(f"Importert i årsrapport {report.id} ({report.year}, {report.service.name_nb}), "
               f"versjon {report.version}.")


@report_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def report_check_command(file: Path) -> None:
    """Check FILE with the report rules. Exit 0: nothing blocks; 1: something blocks; 2: the
    file cannot be read or does not follow the exchange format."""
    from soknad.domain.report_exchange import parse as parse_report
    from soknad.services import report_exchange

    try:
        result = report_exchange.check(parse_report(file.read_bytes()))
    except OSError as error:
        click.echo(f"Kan ikke lese {file}: {error.strerror}", err=True)
        sys.exit(2)
    except DomainError as error:
        click.echo(str(error), err=True)
        sys.exit(2)
    if result.unknown:
        click.echo(f"Filen har svar som skjemaet ikke har: {', '.join(result.unknown)}",
                   err=True)
        sys.exit(2)
    for finding in result.findings:
        click.echo(f"[{finding.severity.label}] {finding.rule} "
                   f"({result.section_heading(finding)}): {finding.message}")
    blocking = sum(finding.blocking for finding in result.findings)
    warnings = amount(len(result.findings) - blocking, "advarsel", "advarsler")
    click.echo(f"{blocking} må rettes, {warnings}.")
    sys.exit(1 if has_blocking(result.findings) else 0)
