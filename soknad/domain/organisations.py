"""The organisations of the round: four regions, their health trusts, and the directorate."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Region(StrEnum):
    """The four regional health authorities (RHF), in the order the regulation lists them."""

    SOR_OST = "helse-sor-ost"
    VEST = "helse-vest"
    MIDT_NORGE = "helse-midt-norge"
    NORD = "helse-nord"

    @property
    def label(self) -> str:
        return _REGION_LABELS[self]

    @classmethod
    def from_label(cls, label: str) -> Region:
        for region, name in _REGION_LABELS.items():
            if name == label.strip():
                return region
        raise ValueError(f"Ukjent helseregion: {label!r}")


_REGION_LABELS = {
    Region.SOR_OST: "Helse Sør-Øst",
    Region.VEST: "Helse Vest",
    Region.MIDT_NORGE: "Helse Midt-Norge",
    Region.NORD: "Helse Nord",
}


def region_label(value: object) -> str:
    """The region's name for a stored value ("helse-vest" → "Helse Vest"); anything that is
    not a region is shown as it is."""
    try:
        return Region(str(value)).label
    except ValueError:
        return str(value or "")


class OrgKind(StrEnum):
    HF = "hf"
    RHF = "rhf"
    DIRECTORATE = "directorate"

    @property
    def label(self) -> str:
        return {"hf": "Helseforetak", "rhf": "Regionalt helseforetak",
                "directorate": "Helsedirektoratet"}[self.value]


DIRECTORATE_NAME = "Helsedirektoratet"


@dataclass(frozen=True)
class OrganisationEntry:
    """One row of the organisation list: a health trust (or private non-profit hospital)."""

    name: str
    region: Region
    kind: OrgKind
    private_nonprofit: bool = False


def read_health_trusts(path: Path) -> list[OrganisationEntry]:
    """Read ``data/helseforetak.csv`` (columns ``rhf, name, kind``)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            OrganisationEntry(
                name=row["name"].strip(),
                region=Region.from_label(row["rhf"]),
                kind=OrgKind.HF,
                private_nonprofit=row["kind"].strip() == "privat ideell",
            )
            for row in csv.DictReader(handle)
        ]


def region_of(name: str, directory: Iterable[OrganisationEntry]) -> Region | None:
    """The region of the health trust called ``name``, or None if it is not in ``directory``."""
    return next((entry.region for entry in directory if entry.name == name), None)
