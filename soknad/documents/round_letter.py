"""Helsedirektoratet's overall feedback to the four RHFs on 1 December (copy to the ministry):
one letter for the round that lists every application of the joint submission with its
outcome, in the national priority order and per region, beside the decision letter of each.

«På bakgrunn av nye søknader, årsrapporter og tilleggsrapportering, avgir Helsedirektoratet
innen 1. desember hvert år en samlet tilbakemelding til de regionale helseforetakene om
opprettelse, avvikling eller endring av nasjonale tjenester» (Veileder for nasjonale tjenester
i spesialisthelsetjenesten, kap. 3); «med kopi til departementet» (Nasjonale tjenester i
spesialisthelsetjenesten – veileder, kap. IV, Helhetlig vurdering).

Plain data in, a template context out (no Flask, no database).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from soknad.documents.text import WordText
from soknad.domain.dates import long_date
from soknad.domain.decisions import DecisionKind

#: The outcome of an application not decided yet when the letter is made.
UNDECIDED = "Ikke avgjort ennå"
MINISTRY = "Helse- og omsorgsdepartementet"


@dataclass(frozen=True)
class RoundOutcome:
    """One application of the round and its outcome (its latest decision, if any)."""

    rank: int  # place in the national priority list
    name: str
    service_type: str  # label
    kind: str  # label of the kind of application
    region: str  # label, e.g. "Helse Sør-Øst"
    health_trust: str
    decision: DecisionKind | None = None
    decided_on: date | None = None
    final_decision_by: date | None = None  # postponed: the final decision at the latest
    recommendation: str = ""  # «Rådgivingsgruppen anbefalte godkjenning (møte …)»

    @property
    def outcome_label(self) -> str:
        return self.decision.label if self.decision else UNDECIDED


@dataclass(frozen=True)
class RoundLetterData:
    round_year: int
    letter_date: date
    entries: Sequence[RoundOutcome]  # in the national priority order
    regions: Sequence[str]  # the four regions' labels, in the regulation's order
    contact_name: str = ""
    contact_email: str = ""
    signatory_name: str = ""
    signatory_title: str = ""

    def __post_init__(self) -> None:
        ranks = [entry.rank for entry in self.entries]
        if ranks != sorted(ranks) or len(set(ranks)) != len(ranks):
            raise ValueError("the entries must be in priority order with distinct ranks")


def _entry(item: RoundOutcome) -> dict[str, Any]:
    return {
        "rang": str(item.rank),
        "navn": WordText(item.name),
        "tjenestetype": WordText(item.service_type),
        "soknadstype": WordText(item.kind),
        "region": WordText(item.region),
        "helseforetak": WordText(item.health_trust),
        "utfall": item.decision.value if item.decision else "",
        "utfall_tekst": item.outcome_label,
        "godkjent": item.decision is DecisionKind.APPROVED,
        "avslatt": item.decision is DecisionKind.REJECTED,
        "utsatt": item.decision is DecisionKind.POSTPONED,
        "vedtaksdato": long_date(item.decided_on),
        "endelig_innen": long_date(item.final_decision_by),
        "anbefaling": WordText(item.recommendation),
    }


def _count(entries: Sequence[RoundOutcome], kind: DecisionKind | None) -> str:
    return str(sum(1 for item in entries if item.decision is kind))


def round_letter_context(data: RoundLetterData) -> dict[str, Any]:
    entries = list(data.entries)
    return {
        "runde": str(data.round_year),
        "dato": long_date(data.letter_date),
        "kopi": MINISTRY,
        "antall": str(len(entries)),
        "antall_godkjent": _count(entries, DecisionKind.APPROVED),
        "antall_avslatt": _count(entries, DecisionKind.REJECTED),
        "antall_utsatt": _count(entries, DecisionKind.POSTPONED),
        "antall_ikke_avgjort": _count(entries, None),
        "soknader": [_entry(item) for item in entries],
        "regioner": [{"region": WordText(region),
                      "soknader": [_entry(item) for item in entries if item.region == region]}
                     for region in data.regions],
        "kontaktperson": WordText(data.contact_name),
        "kontakt_epost": WordText(data.contact_email),
        "underskriver": WordText(data.signatory_name),
        "underskriver_tittel": WordText(data.signatory_title),
    }


def sample() -> RoundLetterData:
    """Sample data for the template check (every outcome, and a region with none)."""
    common = {"service_type": "Nasjonal behandlingstjeneste", "kind": "Etablering av ny tjeneste",
              "health_trust": "Oslo universitetssykehus HF"}
    return RoundLetterData(
        round_year=2027, letter_date=date(2027, 12, 1), regions=(
            "Helse Sør-Øst", "Helse Vest", "Helse Midt-Norge", "Helse Nord"),
        entries=(
            RoundOutcome(1, "Nasjonal behandlingstjeneste for eksempel", region="Helse Sør-Øst",
                         decision=DecisionKind.APPROVED, decided_on=date(2027, 11, 30),
                         recommendation="Rådgivingsgruppen anbefalte godkjenning "
                                        "(møte 12. november 2027)", **common),
            RoundOutcome(2, "Nasjonal behandlingstjeneste for noe annet", region="Helse Vest",
                         decision=DecisionKind.REJECTED, decided_on=date(2027, 11, 30),
                         **common),
            RoundOutcome(3, "Nasjonal behandlingstjeneste for et tredje", region="Helse Nord",
                         decision=DecisionKind.POSTPONED, decided_on=date(2027, 11, 30),
                         final_decision_by=date(2028, 5, 30), **common),
            RoundOutcome(4, "Nasjonal behandlingstjeneste for et fjerde", region="Helse Nord",
                         **common),
        ),
        contact_name="Kari Saksbehandler", contact_email="kari@helsedir.no",
        signatory_name="Ola Direktør", signatory_title="Avdelingsdirektør")


#: What each application in a list has (``soknader[]`` and ``regioner[].soknader[]``).
_ENTRY_HELP = {
    "rang": "Prioritet i den samlede søknaden (1 er høyest)",
    "navn": "Tjenestens navn",
    "tjenestetype": "Tjenestetypen",
    "soknadstype": "Søknadstypen (etablering, endring, avvikling)",
    "region": "Helseregionen",
    "helseforetak": "Helseforetaket",
    "utfall": "«approved», «rejected», «postponed», eller tomt uten vedtak",
    "utfall_tekst": "«Godkjent», «Avslått», «Utsatt for videre vurdering» eller «Ikke avgjort "
                    "ennå»",
    "godkjent": "Sann når søknaden er godkjent",
    "avslatt": "Sann når søknaden er avslått",
    "utsatt": "Sann når vedtaket er utsatt",
    "vedtaksdato": "Datoen for vedtaket (tomt uten vedtak)",
    "endelig_innen": "Ved utsettelse: når endelig vedtak senest fattes",
    "anbefaling": "Rådgivingsgruppens anbefaling, f.eks. «Rådgivingsgruppen anbefalte "
                  "godkjenning (møte 12. november 2027)»",
}

VARIABLES = {
    "runde": "Søknadsrunden (år)",
    "dato": "Datoen brevet sendes",
    "kopi": "Kopimottakeren (Helse- og omsorgsdepartementet)",
    "antall": "Antall søknader i den samlede søknaden",
    "antall_godkjent": "Antall godkjente søknader",
    "antall_avslatt": "Antall avslåtte søknader",
    "antall_utsatt": "Antall søknader der vedtaket er utsatt",
    "antall_ikke_avgjort": "Antall søknader uten vedtak ennå",
    "soknader": "Alle søknadene i nasjonal prioritert rekkefølge",
    **{f"soknader[].{key}": text for key, text in _ENTRY_HELP.items()},
    "regioner": "De fire regionale helseforetakene, hver med sine søknader",
    "regioner[].region": "Helseregionen",
    "regioner[].soknader": "Regionens søknader i nasjonal prioritert rekkefølge",
    **{f"regioner[].soknader[].{key}": text for key, text in _ENTRY_HELP.items()},
    "kontaktperson": "Kontaktperson i Helsedirektoratet (den som lager brevet)",
    "kontakt_epost": "Kontaktpersonens e-postadresse",
    "underskriver": "Navnet på den som undertegner brevet (som i siste vedtaksbrev)",
    "underskriver_tittel": "Tittelen til den som undertegner brevet",
}
