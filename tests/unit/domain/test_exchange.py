"""The JSON exchange format: reading, writing and the canonical form that is hashed."""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from soknad.domain.errors import ExchangeFormatError
from soknad.domain.exchange import (
    FORMAT,
    FORMAT_VERSION,
    ApplicationDocument,
    AttachmentEntry,
    Submission,
    canonical_json,
    from_dict,
    parse,
    sha256_hex,
)
from soknad.domain.organisations import Region
from soknad.domain.service_types import ApplicationKind

CONTENT = b"%PDF-1.7\n%%EOF\n"
ANSWERS: dict[str, Any] = {
    "navn_nb": "Nasjonal behandlingstjeneste for sjeldne beinsykdommer",
    "beskrivelse": "Linje én\nLinje to med «sitat» og æøå.",
    "icd10": ["Q78.0", "M88"],
    "fagpersoner": [{"navn": "Ola Lege", "yrke": "Lege", "kompetanse": "Ortoped",
                     "stillingsandel": "100"}],
    "forankring": [{"region": "helse-vest", "med_hvem": "Fagdirektør", "dato": "2026-09-01",
                    "enighet": "ja"}],
    "p2_dokumentasjon": ["Norsk pasientregister 2025"],
}


def document(**changes: Any) -> ApplicationDocument:
    values: dict[str, Any] = {
        "form_id": "nasjonal_behandlingstjeneste", "form_version": 1,
        "kind": ApplicationKind.ESTABLISHMENT, "round_year": 2027,
        "organisation": "Oslo universitetssykehus HF", "region": Region.SOR_OST,
        "answers": ANSWERS,
        "attachments": (AttachmentEntry(field="p2_dokumentasjon", name="Rapport.pdf",
                                        sha256=sha256_hex(CONTENT), size=len(CONTENT),
                                        media_type="application/pdf", content=CONTENT),),
        "application_id": 42, "state": "submitted",
        "submission": Submission(number=1, submitted_at="2026-12-01T10:15:00+00:00",
                                 submitted_by="kari.nordmann@ous-hf.no"),
    }
    return ApplicationDocument(**{**values, **changes})


def valid_dict() -> dict[str, Any]:
    return document().to_dict(include_content=True)


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize(
    "original",
    [
        pytest.param(document(), id="submitted-with-content"),
        pytest.param(document(attachments=(), application_id=None, state=None, submission=None),
                     id="minimal"),
        pytest.param(document(kind=ApplicationKind.TERMINATION, region=Region.NORD,
                              form_id="nasjonal_kompetansetjeneste"), id="termination"),
        pytest.param(document(answers={"icd10": [], "fagpersoner": [], "navn_nb": ""}),
                     id="empty-values"),
    ],
)
def test_exchange_round_trip_through_json(original: ApplicationDocument) -> None:
    text = canonical_json(original.to_dict(include_content=True))
    assert parse(text) == original
    assert parse(text.decode()) == original
    assert from_dict(json.loads(text)) == original


def test_exchange_without_content_keeps_the_checksums() -> None:
    data = document().to_dict()
    assert "content_base64" not in data["attachments"][0]
    read = from_dict(data)
    assert read.attachments[0].content is None
    assert read.attachments[0].sha256 == sha256_hex(CONTENT)


def test_exchange_to_dict_has_the_documented_shape() -> None:
    data = document().to_dict(include_content=True)
    assert data["format"] == FORMAT == "soknad/nasjonal-tjeneste"
    assert data["format_version"] == FORMAT_VERSION == 2
    assert data["form"] == {"id": "nasjonal_behandlingstjeneste", "version": 1}
    assert data["kind"] == "etablering"
    assert data["round"] == 2027
    assert data["organisation"] == {"name": "Oslo universitetssykehus HF",
                                    "region": "helse-sor-ost"}
    assert data["attachments"][0]["content_base64"] == base64.b64encode(CONTENT).decode()
    assert data["submission"] == {"number": 1, "submitted_at": "2026-12-01T10:15:00+00:00",
                                  "submitted_by": "kari.nordmann@ous-hf.no"}


@pytest.mark.parametrize(
    ("answers", "empty"),
    [
        pytest.param({"icd10": []}, "icd10", id="empty-code-list"),
        pytest.param({"fagpersoner": []}, "fagpersoner", id="empty-table"),
        pytest.param({"p2_dokumentasjon": []}, "p2_dokumentasjon", id="empty-evidence"),
        pytest.param({"navn_nb": ""}, "navn_nb", id="empty-string"),
    ],
)
def test_exchange_empty_values_are_accepted_in_answers(answers: dict[str, Any],
                                                       empty: str) -> None:
    data = valid_dict()
    data["answers"] = answers
    assert from_dict(data).answers[empty] in ([], "")


# --------------------------------------------------------------------------- canonical form


def test_canonical_json_same_bytes_for_same_data_in_any_key_order() -> None:
    data = valid_dict()
    shuffled = json.loads(json.dumps(data), object_pairs_hook=lambda pairs: dict(reversed(pairs)))
    assert list(shuffled) != list(data)
    assert canonical_json(shuffled) == canonical_json(data)
    assert sha256_hex(canonical_json(shuffled)) == sha256_hex(canonical_json(data))


def test_canonical_json_is_compact_sorted_utf8() -> None:
    assert canonical_json({"b": "æ", "a": [1, {"d": 2, "c": "«»"}]}) == (
        '{"a":[1,{"c":"«»","d":2}],"b":"æ"}'.encode()
    )


def test_canonical_json_differs_when_the_data_differs() -> None:
    changed = valid_dict()
    changed["answers"]["navn_nb"] += "."
    assert canonical_json(changed) != canonical_json(valid_dict())


def test_sha256_hex_of_known_bytes() -> None:
    assert sha256_hex(b"") == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )


# --------------------------------------------------------------------------- errors

Mutation = Callable[[dict[str, Any]], None]


def _set(*path_and_value: Any) -> Mutation:
    *path, key, value = path_and_value

    def mutate(data: dict[str, Any]) -> None:
        target = data
        for step in path:
            target = target[step]
        target[key] = value
    return mutate


def _drop(*path: Any) -> Mutation:
    *parents, key = path

    def mutate(data: dict[str, Any]) -> None:
        target = data
        for step in parents:
            target = target[step]
        del target[key]
    return mutate


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        pytest.param(_drop("answers"), "(roten): 'answers' is a required property",
                     id="missing-answers"),
        pytest.param(_set("format", "annet/format"), "format:", id="wrong-format"),
        pytest.param(_set("format_version", 3), "format_version:", id="wrong-version"),
        pytest.param(_set("form", "id", "nasjonal_tjeneste"), "form/id:", id="unknown-form"),
        pytest.param(_set("form", "version", 0), "form/version:", id="form-version-0"),
        pytest.param(_set("kind", "sammenslåing"), "kind:", id="unknown-kind"),
        pytest.param(_set("round", 1999), "round:", id="round-too-early"),
        pytest.param(_set("round", "2027"), "round:", id="round-as-text"),
        pytest.param(_set("organisation", "region", "helse-øst"), "organisation/region:",
                     id="unknown-region"),
        pytest.param(_set("organisation", "name", ""), "organisation/name:", id="empty-name"),
        pytest.param(_set("answers", "pasientvolum", 60), "answers/pasientvolum:",
                     id="number-not-string"),
        pytest.param(_set("answers", "Navn", "x"), "answers:", id="bad-answer-key"),
        pytest.param(_set("answers", "fagpersoner", 0, "stillingsandel", 100),
                     "answers/fagpersoner:", id="cell-not-string"),
        pytest.param(_set("attachments", 0, "sha256", "abc"), "attachments/0/sha256:",
                     id="bad-sha256"),
        pytest.param(_set("attachments", 0, "size", 0), "attachments/0/size:",
                     id="size-zero"),
        pytest.param(_drop("attachments", 0, "field"),
                     "attachments/0: 'field' is a required property", id="attachment-no-field"),
        pytest.param(_set("submission", "number", 0), "submission/number:",
                     id="submission-number-0"),
        pytest.param(_set("extra", True), "(roten): Additional properties", id="unknown-key"),
    ],
)
def test_exchange_schema_error_names_the_path(mutate: Mutation, where: str) -> None:
    data = copy.deepcopy(valid_dict())
    mutate(data)
    with pytest.raises(ExchangeFormatError) as error:
        from_dict(data)
    message = str(error.value)
    assert message.startswith("Filen følger ikke utvekslingsformatet:\n")
    assert where in message


def test_exchange_schema_errors_are_listed_at_most_ten() -> None:
    data = valid_dict()
    data["answers"] = {f"felt_{n}": n for n in range(15)}
    with pytest.raises(ExchangeFormatError) as error:
        from_dict(data)
    assert len(str(error.value).splitlines()) == 11


@pytest.mark.parametrize(
    "value",
    [pytest.param([], id="list"), pytest.param("tekst", id="string"),
     pytest.param(None, id="null")],
)
def test_exchange_document_that_is_not_an_object_is_refused(value: Any) -> None:
    with pytest.raises(ExchangeFormatError, match=r"\(roten\)"):
        from_dict(value)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("{", id="unfinished"),
        pytest.param("{'format': 1}", id="single-quotes"),
        pytest.param(b"\xff\xfe{", id="not-utf8"),
        pytest.param("format = 1", id="toml"),
    ],
)
def test_exchange_invalid_json_is_refused(text: str | bytes) -> None:
    with pytest.raises(ExchangeFormatError) as error:
        parse(text)
    assert str(error.value).startswith("Filen er ikke gyldig JSON: ")


@pytest.mark.parametrize(
    ("content", "size"),
    [
        pytest.param(b"%PDF-1.7 endret\n", len(CONTENT), id="other-bytes"),
        pytest.param(CONTENT + b"x", len(CONTENT), id="one-byte-more"),
        pytest.param(CONTENT, len(CONTENT) + 1, id="wrong-size"),
    ],
)
def test_exchange_content_must_match_its_sha256_and_size(content: bytes, size: int) -> None:
    data = valid_dict()
    data["attachments"][0]["content_base64"] = base64.b64encode(content).decode()
    data["attachments"][0]["size"] = size
    with pytest.raises(ExchangeFormatError) as error:
        from_dict(data)
    assert str(error.value) == (
        "Vedlegget «Rapport.pdf» stemmer ikke med sin SHA-256 eller størrelse."
    )


def test_exchange_content_that_is_not_base64_is_refused() -> None:
    data = valid_dict()
    data["attachments"][0]["content_base64"] = "ikke base64!"
    with pytest.raises(ExchangeFormatError) as error:
        from_dict(data)
    assert str(error.value) == "Vedlegget «Rapport.pdf» har ugyldig base64-innhold."
