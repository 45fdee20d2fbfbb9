"""Editing one section of an annual report, with the form builder the application's points use
(``web.form_builder``): tables with «Legg til rad» and «Fjern», the report's version in a hidden
field, and what was typed shown again on every refused save."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, get_template_attribute, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from soknad import clock
from soknad.domain.answers import normalise_value
from soknad.domain.errors import DomainError
from soknad.domain.formspec import FieldKind, FormSpec, Section
from soknad.domain.roles import Role
from soknad.models import AnnualReport
from soknad.services import applications, organisations
from soknad.services import report_writing as writing
from soknad.services import reports as service
from soknad.web import form_builder, fragments
from soknad.web.auth import current_user, requires
from soknad.web.filters import clock as time_of_day
from soknad.web.reports import bp, can_edit, report_or_404


def _section_or_404(spec: FormSpec, section_id: str) -> Section:
    try:
        return spec.section(section_id)
    except KeyError:
        abort(404)


def stored_values(report: AnnualReport, section: Section) -> dict[str, Any]:
    """The section's answers as stored, every field present (a table per region with its four
    rows)."""
    values = {}
    for spec_field in section.fields:
        empty = [] if spec_field.kind in {FieldKind.TABLE, FieldKind.ICD10_LIST,
                                          FieldKind.EVIDENCE} else ""
        value = report.answers.get(spec_field.id, empty)
        values[spec_field.id] = (normalise_value(spec_field, value)
                                 if spec_field.kind is FieldKind.TABLE else value)
    return values


def render_section(report: AnnualReport, section: Section,
                   unsaved: dict[str, Any] | None = None, version: int | None = None, *,
                   status: int = 200, message: str = "", message_kind: str = "error",
                   problems: dict[str, list[str]] | None = None,
                   conflict: AnnualReport | None = None) -> Any:
    """The section's page with the stored answers, or with ``unsaved`` ones (a refused save:
    what was typed, checked as typed, with the ``version`` to save it on)."""
    spec = service.spec_of(report)

    def values() -> dict[str, Any]:
        return unsaved if unsaved is not None else stored_values(report, section)

    found = writing.findings(report, answers=None if unsaved is None else {
        **report.answers, **unsaved})
    started = any(spec_field.id in report.answers for spec_field in section.fields)
    shown = unsaved is not None or started or request.args.get("sjekk") == "1"
    own = found.of(section.id) if shown else []
    editable = can_edit(report)
    key = service.revision(report) if unsaved is None else None
    if editable:
        fields = fragments.cached(
            key and ("report-part", *key, section.id, shown, clock.today()),
            lambda: get_template_attribute("_fields.html", "section_fields")(
                section, values(), own, [], organisations.health_trusts(), 0, editable, []))
    else:  # sent: the answers as read, as on the read page
        fields = fragments.cached(
            key and ("report-part-read", *key, section.id),
            lambda: get_template_attribute("reports/_sections.html", "part_answers")(
                section, values(), 2))
    position = [item.id for item in spec.sections].index(section.id)
    return render_template(
        "reports/section.html", report=report, spec=spec, section=section, fields=fields,
        version=report.version if version is None else version, findings=own,
        statuses={item.section_id: item for item in found.sections},
        previous=spec.sections[position - 1] if position else None,
        next=spec.sections[position + 1] if position + 1 < len(spec.sections) else None,
        editable=editable, message=message, message_kind=message_kind,
        conflict=stored_values(conflict, section) if conflict is not None else None,
        conflict_by=conflict.updated_by.name if conflict and conflict.updated_by else "",
        conflict_at=conflict.updated_at if conflict is not None else None,
        problems=[(field_id, text) for field_id, texts in (problems or {}).items()
                  for text in texts],
    ), status


def show_rescued(data: MultiDict[str, str], report_id: int, section_id: str, *,
                 why: str = "", status: int = 200) -> Any:
    """After logging in again, an expired form or a failure of ours: the section as the person
    had typed it, ready to save (``why`` says what happened first)."""
    report = report_or_404(report_id)
    spec = service.spec_of(report)
    part = _section_or_404(spec, section_id)
    form = form_builder.build(spec, part, formdata=data, meta={"csrf": False})
    values = writing.clean(report, part.id, form_builder.posted_values(form, part))
    return render_section(
        report, part, values, form.version.data or 0, status=status,
        message=f"{why}Teksten du skrev, er satt inn i skjemaet igjen, men den er ikke lagret "
        "ennå. Trykk «Lagre» for å lagre den.", message_kind="error" if why else "info")




@bp.route("/<int:report_id>/del/<section_id>", methods=["GET", "POST"])
@requires(Role.APPLICANT)
def section(report_id: int, section_id: str) -> Any:
    report = report_or_404(report_id)
    part = _section_or_404(service.spec_of(report), section_id)
    if request.method == "GET":
        return render_section(report, part)
    spec = service.spec_of(report)
    form = form_builder.build(spec, part)
    values = form_builder.posted_values(form, part)
    version = form.version.data

    def refused(message: str, status: int, *, at: int | None = None,
                problems: dict[str, list[str]] | None = None,
                conflict: AnnualReport | None = None) -> Any:
        return render_section(report, part, writing.clean(report, part.id, values),
                              at if at is not None else version or 0, status=status,
                              message=message, problems=problems, conflict=conflict)

    if not form.validate() or version is None:
        return refused("Skjemaet kunne ikke leses helt. Teksten din står under – trykk "
                       "«Lagre» igjen.", 400)
    row_action = form_builder.apply_row_action(form.handling.data or "", values, part)
    try:
        writing.save_section(report, part.id, values, version, current_user())
    except writing.StaleReportError as stale:
        return refused(str(stale), 409, at=stale.report.version, conflict=stale.report)
    except applications.OverLimitError as error:
        return refused(str(error), 422, problems=error.problems)
    except DomainError as error:
        return refused(str(error), 409)
    flash(f"Lagret kl. {time_of_day(report.updated_at)}.", "success")
    if row_action.refusal:
        flash(row_action.refusal, "error")
    target = url_for("reports.section", report_id=report.id, section_id=part.id)
    return redirect(target + (f"#{row_action.anchor}" if row_action.anchor else ""))
