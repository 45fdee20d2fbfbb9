"""The annual report's exchange document (``domain.report_exchange``): a round trip, and what a
bad file is told, in Norwegian."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from soknad.domain.errors import ExchangeFormatError
from soknad.domain.report_exchange import ReportDocument, from_dict, parse
from soknad.domain.reports import ReferenceGroupApproval, ReportState

DOCUMENT = ReportDocument(
    service_key="nasjonal_kompetansetjeneste:x", service_name="Nasjonal kompetansetjeneste X",
    year=2026, form_id="arsrapport_nasjonal_kompetansetjeneste", form_version=1, version=3,
    answers={"status": "Godt år.", "resultatmal": [{"mal": "Kurs", "status": "naadd"}]},
    approval=ReferenceGroupApproval(date(2027, 2, 20), "Dag Nord, leder"),
    state=ReportState.SENT, organisation="Oslo universitetssykehus HF", region="helse-sor-ost",
    report_id=7, dates={"due": "2027-03-15", "sent_at": None},
)


def test_a_document_reads_back_as_written() -> None:
    data = DOCUMENT.to_dict()
    assert data["format"] == "soknad/arsrapport"
    assert data["approval"] == {"date": "2027-02-20", "by": "Dag Nord, leder"}
    assert parse(json.dumps(data)) == DOCUMENT


def _with(**changes: Any) -> dict[str, Any]:
    return {**DOCUMENT.to_dict(), **changes}


@pytest.mark.parametrize(("data", "message"), [
    ("[1, 2", "Filen er ikke gyldig JSON"),
    (_with(format="soknad/nasjonal-tjeneste"), "Filen er en søknad"),
    (_with(format_version=3), "Filen har formatversjon 3"),
    (_with(format="noe annet"), "format: skal være \"soknad/arsrapport\""),
    (_with(version=-1), "version: skal være minst 0"),
    (_with(year=1999), "year: skal være minst 2000"),
    (_with(state="ferdig"), "state: skal være en av \"utkast\""),
    (_with(ekstra=1), "(roten): har nøkler formatet ikke kjenner: «ekstra»"),
    (_with(service={"key": ""}), "service: mangler «name»"),
    (_with(answers={"Status": "x"}), "answers: «Status» er ikke et gyldig felt-id"),
    (_with(answers={"status": 12}), "answers/status: har en verdi av feil slag"),
    (_with(approval={"date": "2027-02-30", "by": "Dag"}), "«2027-02-30» er ikke en gyldig dato"),
    (_with(approval={"date": "2027-02-20"}), "approval: mangler «by»"),
])
def test_a_bad_file_is_told_what_is_wrong(data: Any, message: str) -> None:
    with pytest.raises(ExchangeFormatError) as raised:
        parse(data if isinstance(data, str) else json.dumps(data))
    assert message in str(raised.value)


def test_informative_keys_may_be_left_out() -> None:
    data = DOCUMENT.to_dict()
    for key in ("report_id", "state", "organisation", "dates", "approval"):
        data.pop(key)
    found = from_dict(data)
    assert found.approval is None
    assert found.state is None
    assert found.answers == DOCUMENT.answers
