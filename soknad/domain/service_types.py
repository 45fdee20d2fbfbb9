"""What can be applied for: the three service types and the four kinds of application."""

from __future__ import annotations

from enum import StrEnum


class ServiceType(StrEnum):
    NATIONAL_TREATMENT = "nasjonal_behandlingstjeneste"
    MULTIREGIONAL_TREATMENT = "flerregional_behandlingstjeneste"
    NATIONAL_COMPETENCE = "nasjonal_kompetansetjeneste"

    @property
    def label(self) -> str:
        return {
            "nasjonal_behandlingstjeneste": "Nasjonal behandlingstjeneste",
            "flerregional_behandlingstjeneste": "Flerregional behandlingstjeneste",
            "nasjonal_kompetansetjeneste": "Nasjonal kompetansetjeneste",
        }[self.value]

    @property
    def is_treatment(self) -> bool:
        return self is not ServiceType.NATIONAL_COMPETENCE


class ApplicationKind(StrEnum):
    """002 ch. II.1, 004 ch. 4.1: establishment, change of content, change of name, termination."""

    ESTABLISHMENT = "etablering"
    CHANGE_OF_CONTENT = "endring_innhold"
    CHANGE_OF_NAME = "endring_navn"
    TERMINATION = "avvikling"

    @property
    def label(self) -> str:
        return {
            "etablering": "Etablering av ny tjeneste",
            "endring_innhold": "Endring av innhold",
            "endring_navn": "Endring av navn",
            "avvikling": "Avvikling",
        }[self.value]
