"""The JSON exchange format for one annual report (``docs/exchange-format.md``, «The annual
report»): ``soknad/arsrapport``, format version 1.

The report is named by its service (the registry key) and year; ``version`` is the report's
version when it was exported, and an import is a compare-and-swap on it. The state, the dates
and the organisation are written for readers of the file and ignored on import. Plain Python:
``services.report_exchange`` reads and writes reports with it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from soknad.domain.errors import ExchangeFormatError
from soknad.domain.reports import ReferenceGroupApproval, ReportState

FORMAT = "soknad/arsrapport"
FORMAT_VERSION = 1
APPLICATION_FORMAT = "soknad/nasjonal-tjeneste"  # the other format, named when mixed up


@dataclass(frozen=True)
class ReportDocument:
    service_key: str
    service_name: str
    year: int
    form_id: str
    form_version: int
    version: int  # the report's version when exported (0: never saved)
    answers: Mapping[str, Any]
    approval: ReferenceGroupApproval | None = None
    state: ReportState | None = None  # informative
    organisation: str = ""  # informative
    region: str = ""  # informative
    report_id: int | None = None  # informative
    dates: Mapping[str, str | None] = field(default_factory=dict)  # informative

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "service": {"key": self.service_key, "name": self.service_name},
            "year": self.year,
            "form": {"id": self.form_id, "version": self.form_version},
            "version": self.version,
            "answers": dict(self.answers),
            "approval": ({"date": self.approval.day.isoformat(), "by": self.approval.by}
                         if self.approval else None),
        }
        if self.report_id is not None:
            data["report_id"] = self.report_id
        if self.state is not None:
            data["state"] = self.state.value
        if self.organisation:
            data["organisation"] = {"name": self.organisation,
                                    **({"region": self.region} if self.region else {})}
        if self.dates:
            data["dates"] = dict(self.dates)
        return data


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema (``soknad/schemas/report-v1.schema.json``)."""
    text = resources.files("soknad.schemas").joinpath("report-v1.schema.json").read_text(
        encoding="utf-8")
    return json.loads(text)


def parse(text: str | bytes) -> ReportDocument:
    """Read a JSON document; ``ExchangeFormatError`` says in Norwegian what is wrong."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ExchangeFormatError(f"Filen er ikke gyldig JSON: {error}") from error
    return from_dict(data)


def from_dict(data: Any) -> ReportDocument:
    if isinstance(data, Mapping):
        _refuse_other_formats(data)
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.absolute_path))
    if errors:
        lines = [f"{'/'.join(map(str, leaf.absolute_path)) or '(roten)'}: {norwegian(leaf)}"
                 for leaf in map(_leaf, errors[:10])]
        raise ExchangeFormatError(
            "Filen følger ikke utvekslingsformatet for årsrapporter:\n" + "\n".join(lines))
    approval = data.get("approval")
    return ReportDocument(
        service_key=data["service"]["key"],
        service_name=data["service"]["name"],
        year=data["year"],
        form_id=data["form"]["id"],
        form_version=data["form"]["version"],
        version=data["version"],
        answers=data["answers"],
        approval=ReferenceGroupApproval(_day(approval["date"], "approval/date"),
                                        approval["by"].strip()) if approval else None,
        state=ReportState(data["state"]) if "state" in data else None,
        organisation=data.get("organisation", {}).get("name", ""),
        region=data.get("organisation", {}).get("region", ""),
        report_id=data.get("report_id"),
        dates=data.get("dates", {}),
    )


def _refuse_other_formats(data: Mapping[str, Any]) -> None:
    """A clearer word than the schema's for the two mistakes people make: an application file,
    and a file of a newer format version."""
    if data.get("format") == APPLICATION_FORMAT:
        raise ExchangeFormatError(
            "Filen er en søknad (soknad/nasjonal-tjeneste), ikke en årsrapport. Bruk "
            "«soknad import» eller «soknad check» for søknader.")
    version = data.get("format_version")
    if (data.get("format") == FORMAT and isinstance(version, int)
            and not isinstance(version, bool) and version != FORMAT_VERSION):
        raise ExchangeFormatError(
            f"Filen har formatversjon {version}; denne versjonen av portalen leser "
            f"årsrapporter i formatversjon {FORMAT_VERSION}.")


def _day(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise ExchangeFormatError(
            f"Filen følger ikke utvekslingsformatet for årsrapporter:\n{where}: «{text}» er "
            "ikke en gyldig dato (ÅÅÅÅ-MM-DD).") from error


# --------------------------------------------------------------------------- messages

_TYPES = {"object": "et objekt", "array": "en liste", "string": "tekst", "integer": "et heltall",
          "number": "et tall", "null": "null", "boolean": "sann eller usann"}


def _leaf(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For «one of these shapes» errors, the error of the shape the value was meant to have:
    the one that failed on more than its type (a too long text, a date that is not a date)."""
    while error.validator in {"anyOf", "oneOf"} and error.context:
        meant = [sub for sub in error.context if sub.validator != "type"]
        if not meant:
            break
        error = meant[0]
    return error


def _type_words(value: Any) -> str:
    names = value if isinstance(value, list) else [value]
    return " eller ".join(_TYPES.get(name, str(name)) for name in names)


_SIMPLE = {
    "minimum": "skal være minst {}",
    "maximum": "skal være høyst {}",
    "maxLength": "er for lang (høyst {} tegn)",
    "maxItems": "har for mange elementer (høyst {})",
    "propertyNames": "har en nøkkel som ikke er et gyldig felt-id (små bokstaver, sifre og _)",
    "anyOf": "har en verdi av feil slag (tekst, en liste med tekst eller en tabell)",
    "oneOf": "skal være null eller et objekt med «date» og «by»",
}


def norwegian(error: jsonschema.ValidationError) -> str:
    """What a schema error means, in Norwegian."""
    instance, expected = error.instance, error.validator_value
    match error.validator:
        case "required":
            missing = [key for key in expected if key not in instance]
            return "mangler " + ", ".join(f"«{key}»" for key in missing)
        case "additionalProperties":
            extra = sorted(set(instance) - set(error.schema.get("properties", {})))
            return "har nøkler formatet ikke kjenner: " + ", ".join(f"«{key}»" for key in extra)
        case "type":
            return f"skal være {_type_words(expected)}"
        case "const":
            return f"skal være {json.dumps(expected, ensure_ascii=False)}"
        case "enum":
            return "skal være en av " + ", ".join(json.dumps(item, ensure_ascii=False)
                                                 for item in expected)
        case "pattern" if str(expected).startswith("^[0-9]{4}"):
            return f"«{instance}» er ikke en dato på formen ÅÅÅÅ-MM-DD"
        case "pattern":
            return f"«{instance}» er ikke et gyldig felt-id (små bokstaver, sifre og _)"
        case "minLength":
            return "kan ikke være tom" if expected == 1 else f"skal ha minst {expected} tegn"
        case name if name in _SIMPLE:
            return _SIMPLE[str(name)].format(expected)
        case _:
            return f"er ugyldig ({error.message})"
