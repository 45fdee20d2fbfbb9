"""A finding: one thing the rules say about an application, tied to a point of Appendix 6."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    BLOCKING = "blocking"  # must be fixed before the application can be submitted
    WARNING = "warning"  # worth reading; does not stop submission

    @property
    def label(self) -> str:
        return "Må rettes" if self is Severity.BLOCKING else "Advarsel"


@dataclass(frozen=True)
class Finding:
    """``message`` says what is wrong and what to do; ``source`` and ``quote`` say where the
    regulation asks for it."""

    rule: str
    section: str
    severity: Severity
    message: str
    point: int | None = None
    field: str | None = None
    source: str = ""
    quote: str = ""
    links: tuple[tuple[str, str], ...] = ()  # (label, registry key) of related services
    reason: str = ""  # why it blocks (``domain.blocking``); empty for a recommendation

    def with_links(self, links: tuple[tuple[str, str], ...]) -> Finding:
        return replace(self, links=links)

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.BLOCKING

    @property
    def status_label(self) -> str:
        """What the pages say of it: «Hindrer innsending (opplysningen mangler)» or
        «Anbefales» (vedlegg 6: an application «bør inneholde» the points)."""
        if not self.blocking:
            return "Anbefales"
        return f"Hindrer innsending ({self.reason})" if self.reason else "Hindrer innsending"

    @property
    def reference(self) -> str:
        """The regulation's words, e.g. «Vedlegg 6, punkt 7: «… minst tre fagpersoner …»»."""
        if not self.quote:
            return self.source
        return f"{self.source}: «{self.quote}»" if self.source else f"«{self.quote}»"

    @property
    def text(self) -> str:
        place = f"Punkt {self.point}" if self.point else "Om søknaden"
        reference = f" ({self.reference})" if self.reference else ""
        return f"{place}: {self.message}{reference}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        links = tuple((label, key) for label, key in data.get("links", ()))
        return cls(**{**data, "severity": Severity(data["severity"]), "links": links})


def has_blocking(findings: Iterable[Finding]) -> bool:
    return any(finding.blocking for finding in findings)
