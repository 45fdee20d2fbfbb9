"""Helsedirektoratet's assessment of the annual reports, by 1 June, to one RHF: every report of
the region's national services on the year with its outcome and the points to follow up, the
proposals to change or terminate a service, and the supplementary reporting asked for by
1 September.

«Helsedirektoratet avgir sin vurdering innen 1. juni med varsel om eventuelle forslag til
endringer eller avvikling. Ved mangelfull rapportering kan Helsedirektoratet be de regionale
helseforetak om tilleggsrapportering med påfølgende frist innen 1. september» (Nasjonale
tjenester i spesialisthelsetjenesten – veileder, kap. IV).

Plain data in, a template context out (no Flask, no database).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from soknad.documents.text import WordText
from soknad.domain.dates import long_date
from soknad.domain.reports import AssessmentOutcome, assessment_date, supplement_date

#: The outcome of a report Helsedirektoratet has not assessed yet when the letter is made.
NOT_ASSESSED = "Ikke vurdert ennå"


@dataclass(frozen=True)
class ReportOutcome:
    """One service's report on the year and Helsedirektoratet's latest assessment of it."""

    name: str
    service_type: str  # label
    health_trust: str
    state: str  # label of the report's state
    on_time: bool
    outcome: AssessmentOutcome | None = None
    points: str = ""
    supplement: str = ""  # what is asked for by 1 September, when it is

    @property
    def outcome_label(self) -> str:
        return self.outcome.label if self.outcome else NOT_ASSESSED


@dataclass(frozen=True)
class MissingReport:
    """A service that owes a report on the year which has not reached Helsedirektoratet."""

    name: str
    health_trust: str
    state: str  # «Ikke påbegynt», «Utkast», «Sendt til RHF» …


@dataclass(frozen=True)
class ReportLetterData:
    year: int  # the year the reports cover
    region: str  # label, e.g. "Helse Sør-Øst"
    letter_date: date
    entries: Sequence[ReportOutcome]
    missing: Sequence[MissingReport] = ()
    contact_name: str = ""
    contact_email: str = ""
    signatory_name: str = ""
    signatory_title: str = ""


def _entry(item: ReportOutcome) -> dict[str, Any]:
    outcome = item.outcome
    return {
        "navn": WordText(item.name),
        "tjenestetype": WordText(item.service_type),
        "helseforetak": WordText(item.health_trust),
        "status": WordText(item.state),
        "i_tide": item.on_time,
        "i_tide_tekst": "Ja" if item.on_time else "Nei",
        "utfall": outcome.value if outcome else "",
        "utfall_tekst": item.outcome_label,
        "punkter": WordText(item.points),
        "forslag_endring": outcome is AssessmentOutcome.PROPOSE_CHANGE,
        "forslag_avvikling": outcome is AssessmentOutcome.PROPOSE_TERMINATION,
        "tillegg": WordText(item.supplement),
    }


def _count(entries: Sequence[ReportOutcome], outcome: AssessmentOutcome | None) -> str:
    return str(sum(1 for item in entries if item.outcome is outcome))


def report_letter_context(data: ReportLetterData) -> dict[str, Any]:
    entries = list(data.entries)
    proposals = (AssessmentOutcome.PROPOSE_CHANGE, AssessmentOutcome.PROPOSE_TERMINATION)
    return {
        "aar": str(data.year),
        "region": WordText(data.region),
        "rhf": WordText(f"{data.region} RHF"),
        "dato": long_date(data.letter_date),
        "vurderingsfrist": long_date(assessment_date(data.year)),
        "tilleggsfrist": long_date(supplement_date(data.year)),
        "antall": str(len(entries)),
        "antall_i_orden": _count(entries, AssessmentOutcome.FINE),
        "antall_oppfolging": _count(entries, AssessmentOutcome.FOLLOW_UP),
        "antall_endring": _count(entries, AssessmentOutcome.PROPOSE_CHANGE),
        "antall_avvikling": _count(entries, AssessmentOutcome.PROPOSE_TERMINATION),
        "antall_ikke_vurdert": _count(entries, None),
        "tjenester": [_entry(item) for item in entries],
        "oppfolging": [_entry(item) for item in entries if item.points],
        "forslag": [_entry(item) for item in entries if item.outcome in proposals],
        "tillegg": [_entry(item) for item in entries if item.supplement],
        "mangler": [{"navn": WordText(item.name), "helseforetak": WordText(item.health_trust),
                     "status": WordText(item.state)} for item in data.missing],
        "kontaktperson": WordText(data.contact_name),
        "kontakt_epost": WordText(data.contact_email),
        "underskriver": WordText(data.signatory_name),
        "underskriver_tittel": WordText(data.signatory_title),
    }


def sample() -> ReportLetterData:
    """Sample data for the template check: every outcome, a supplement and a missing report."""
    common = {"service_type": "Nasjonal behandlingstjeneste",
              "health_trust": "Oslo universitetssykehus HF", "on_time": True}
    return ReportLetterData(
        year=2026, region="Helse Sør-Øst", letter_date=date(2027, 6, 1),
        entries=(
            ReportOutcome("Nasjonal behandlingstjeneste for eksempel", state="Vurdert av "
                          "Helsedirektoratet", outcome=AssessmentOutcome.FINE, **common),
            ReportOutcome("Nasjonal behandlingstjeneste for noe annet", state="Vurdert av "
                          "Helsedirektoratet", outcome=AssessmentOutcome.FOLLOW_UP,
                          points="Pasientvolumet bør rapporteres per region.", **common),
            ReportOutcome("Nasjonal behandlingstjeneste for et tredje", state="Vurdert av "
                          "Helsedirektoratet", outcome=AssessmentOutcome.PROPOSE_CHANGE,
                          points="Tjenesten bør avgrenses til barn.", **common),
            ReportOutcome("Nasjonal behandlingstjeneste for et fjerde", state="Vurdert av "
                          "Helsedirektoratet", outcome=AssessmentOutcome.PROPOSE_TERMINATION,
                          points="Tjenesten er etablert i alle regioner.", **common),
            ReportOutcome("Nasjonal behandlingstjeneste for et femte", state="Tilleggs"
                          "rapportering etterspurt", supplement="Rapporter resultatmålene.",
                          **{**common, "on_time": False}),
        ),
        missing=(MissingReport("Nasjonal behandlingstjeneste for et sjette",
                               "Sykehuset Innlandet HF", "Sendt til RHF"),),
        contact_name="Kari Saksbehandler", contact_email="kari@helsedir.no",
        signatory_name="Ola Direktør", signatory_title="Avdelingsdirektør")


#: What each service in a list has (``tjenester[]``, ``forslag[]`` and ``tillegg[]``).
_ENTRY_HELP = {
    "navn": "Tjenestens navn",
    "tjenestetype": "Tjenestetypen",
    "helseforetak": "Helseforetaket som har tjenesten og skriver rapporten",
    "status": "Rapportens status, f.eks. «Vurdert av Helsedirektoratet»",
    "i_tide": "Sann når rapporten kom til RHF innen 15. mars",
    "i_tide_tekst": "«Ja» eller «Nei»: kom rapporten til RHF innen 15. mars",
    "utfall": "«i_orden», «oppfolging», «forslag_endring», «forslag_avvikling», eller tomt",
    "utfall_tekst": "Vurderingen med ord, f.eks. «Oppfyller kravene» eller «Ikke vurdert ennå»",
    "punkter": "Punktene til oppfølging, endringen som foreslås eller begrunnelsen for "
               "avvikling",
    "forslag_endring": "Sann når Helsedirektoratet foreslår endring av tjenesten",
    "forslag_avvikling": "Sann når Helsedirektoratet foreslår avvikling av tjenesten",
    "tillegg": "Tilleggsrapporteringen Helsedirektoratet ber om (tomt når ingen)",
}

VARIABLES = {
    "aar": "Året rapportene gjelder",
    "region": "Helseregionen, f.eks. «Helse Sør-Øst»",
    "rhf": "Mottakeren, f.eks. «Helse Sør-Øst RHF»",
    "dato": "Datoen brevet sendes",
    "vurderingsfrist": "Fristen for Helsedirektoratets vurdering (1. juni)",
    "tilleggsfrist": "Fristen for tilleggsrapportering (1. september)",
    "antall": "Antall rapporter Helsedirektoratet har mottatt fra regionen",
    "antall_i_orden": "Antall rapporter som oppfyller kravene",
    "antall_oppfolging": "Antall rapporter med punkter til oppfølging",
    "antall_endring": "Antall forslag om endring",
    "antall_avvikling": "Antall forslag om avvikling",
    "antall_ikke_vurdert": "Antall rapporter som ikke er vurdert ennå",
    "tjenester": "Alle rapportene fra regionen, i navnerekkefølge",
    **{f"tjenester[].{key}": text for key, text in _ENTRY_HELP.items()},
    "oppfolging": "Tjenestene med punkter i vurderingen (oppfølging, endring, avvikling)",
    **{f"oppfolging[].{key}": text for key, text in _ENTRY_HELP.items()},
    "forslag": "Tjenestene Helsedirektoratet foreslår å endre eller avvikle",
    **{f"forslag[].{key}": text for key, text in _ENTRY_HELP.items()},
    "tillegg": "Tjenestene det bes om tilleggsrapportering for",
    **{f"tillegg[].{key}": text for key, text in _ENTRY_HELP.items()},
    "mangler": "Tjenestene som skulle rapportert, men der rapporten ikke er kommet til "
               "Helsedirektoratet",
    "mangler[].navn": "Tjenestens navn",
    "mangler[].helseforetak": "Helseforetaket",
    "mangler[].status": "Hvor rapporten er, f.eks. «Ikke påbegynt» eller «Sendt til RHF»",
    "kontaktperson": "Kontaktperson i Helsedirektoratet (den som lager brevet)",
    "kontakt_epost": "Kontaktpersonens e-postadresse",
    "underskriver": "Navnet på den som undertegner brevet (som i siste vedtaksbrev)",
    "underskriver_tittel": "Tittelen til den som undertegner brevet",
}
