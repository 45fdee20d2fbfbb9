"""The HTTP boundary: blueprints, error pages, filters, and the deny-by-default check."""

from __future__ import annotations

from flask import Flask

from soknad.web import (
    admin,
    advisory,
    applicant,
    auth,
    calendar,
    coordinator,
    cross_region,
    directorate,
    documents,
    errors,
    filters,
    home,
    registry,
    report_assessment,
    report_exchange,
    report_inbox,
    reports,
    statistics,
)

BLUEPRINTS = (auth.bp, home.bp, applicant.bp, coordinator.bp, cross_region.bp, directorate.bp,
              admin.bp, registry.bp, calendar.bp, documents.bp, advisory.bp, reports.bp,
              statistics.bp, report_inbox.bp, report_assessment.bp, report_exchange.bp)


def init_app(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    auth.init_app(app)
    errors.init_app(app)
    filters.init_app(app)
    refuse_undeclared_views(app)


def refuse_undeclared_views(app: Flask) -> None:
    """Deny by default: every view must say who may use it (``@requires`` or ``@public``)."""
    for endpoint, view in app.view_functions.items():
        if endpoint != "static" and not hasattr(view, "allowed_roles"):
            raise RuntimeError(f"The view {endpoint!r} declares no roles (@requires or @public)")
