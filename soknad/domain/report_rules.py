"""The findings of an annual report: the report form's fields checked by the same field rules as
an application's (``soknad.domain.rules``), then the report's own named checks.

``check_report`` is the one entry point: the health trust's pages, the RHF's inbox and the
``soknad report check`` command all ask it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from soknad.domain.findings import Finding
from soknad.domain.formspec import FormSpec
from soknad.domain.rules import RuleContext, check_application
from soknad.domain.service_types import ApplicationKind


def check_report(spec: FormSpec, answers: Mapping[str, Any], *, year: int,
                 today: date) -> list[Finding]:
    """Every finding for a report on ``year`` as it stands ``today``, in the order of the
    form. A report is never an application of a kind: its form applies in full (the kinds
    default to all, and the report's fields name none)."""
    context = RuleContext(kind=ApplicationKind.ESTABLISHMENT, round_year=year + 1,
                          service_type=spec.service_type)
    return check_application(spec, dict(answers), context)
