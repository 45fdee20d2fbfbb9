"""How complete each point is, for the dashboard, the point navigation and the check page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from soknad.domain.findings import Finding
from soknad.domain.formspec import FormSpec, Section
from soknad.domain.rules import RuleContext, is_empty


class Status(StrEnum):
    NOT_STARTED = "not_started"
    MISSING = "missing"
    WARNINGS = "warnings"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        return {
            "not_started": "Ikke påbegynt",
            "missing": "Mangler noe",
            "warnings": "Utfylt, med advarsler",
            "complete": "Utfylt",
        }[self.value]


@dataclass(frozen=True)
class SectionProgress:
    section: Section
    status: Status
    blocking: int
    warnings: int
    started: bool = False  # some field of the point holds an answer


def progress(spec: FormSpec, answers: Mapping[str, Any], findings: Sequence[Finding],
             context: RuleContext) -> list[SectionProgress]:
    result = []
    for section in spec.for_kind(context.kind).sections:
        own = [finding for finding in findings if finding.section == section.id]
        blocking = sum(finding.blocking for finding in own)
        started = any(not is_empty(f, answers.get(f.id), context) for f in section.fields)
        if not started and blocking:
            status = Status.NOT_STARTED
        elif blocking:
            status = Status.MISSING
        elif own:
            status = Status.WARNINGS
        else:
            status = Status.COMPLETE
        result.append(SectionProgress(section, status, blocking, len(own) - blocking, started))
    return result


def percent_complete(sections: Sequence[SectionProgress]) -> int:
    """Share of points with nothing blocking, as a whole percentage."""
    if not sections:
        return 100
    done = sum(item.status in {Status.COMPLETE, Status.WARNINGS} for item in sections)
    return round(100 * done / len(sections))
