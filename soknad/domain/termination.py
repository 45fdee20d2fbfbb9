"""Termination: the lead time the guides ask for.

Kriterier for etablering, endring og avvikling (nasjonale behandlingstjenester): «Ved nedlegging
eller endring bør det beregnes minst 18 måneder fra søknad/initiativ om dette til
gjennomføring». The application reaches Helsedirektoratet with the RHFs' joint submission on
15 January of the round's year (Veileder for nasjonale tjenester i spesialisthelsetjenesten,
kap. 4.1), so the planned end should be no earlier than 18 months after that day.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from soknad.domain.findings import Finding, Severity
from soknad.domain.values import format_date, parse_date, text_of

LEAD_MONTHS = 18
SOURCE = "Kriterier for etablering, endring og avvikling (nasjonale tjenester)"
QUOTE = ("Ved nedlegging eller endring bør det beregnes minst 18 måneder fra søknad/initiativ om "
         "dette til gjennomføring, med anslagsvis 6 måneder til beslutning om ny organisering og "
         "12 måneder til å få denne i funksjon.")


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


def applied_on(round_year: int) -> date:
    """The day the RHFs' joint application of the round reaches Helsedirektoratet."""
    return date(round_year, 1, 15)


def earliest_end(round_year: int, months: int = LEAD_MONTHS) -> date:
    return add_months(applied_on(round_year), months)


def notice_check(where: Any, params: Mapping[str, Any], answers: Mapping[str, Any],
                 context: Any) -> Iterator[Finding]:
    """The named check ``termination_notice``: the planned end date leaves the lead time."""
    end = parse_date(text_of(answers.get(where.spec_field.id)))
    if end is None:
        return
    months = int(params.get("months", LEAD_MONTHS))
    earliest = earliest_end(context.round_year, months)
    applied = format_date(applied_on(context.round_year))
    if end < earliest:
        yield where.finding(
            "termination_notice",
            f"Planlagt avvikling {format_date(end)} er mindre enn {months} måneder etter at "
            f"søknaden kommer til Helsedirektoratet ({applied}). "
            f"Veilederen råder til minst {months} måneder: velg {format_date(earliest)} eller "
            "senere, eller forklar hvorfor avviklingen må skje raskere.",
            Severity.WARNING, source=SOURCE, quote=QUOTE,
        )
