"""LibreOffice, an independent reader, opens every kind of generated document and reads the
same text. One ``soffice`` call converts the whole batch (it costs about a second to start)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soknad.documents import DecisionKind, cover_letter_docx, decision_letter_docx
from soknad.documents.text import clean_text
from soknad.domain.service_types import ServiceType
from tests.unit.documents.helpers import (
    COVER_TEMPLATE,
    DECISION_TEMPLATE,
    application,
    cover_data,
    decision_data,
    render_application,
    spec_for,
)

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed and "
                       "could not be installed: run scripts/ensure-system-deps.sh as root"),
]
START, END = "[[«", "»]]"


def generated_texts(count: int) -> list[str]:
    """Texts Hypothesis generates: any Unicode, with control characters."""
    found: list[str] = []

    @settings(max_examples=count, database=None, deadline=None)
    @given(st.text(max_size=80) | st.text(alphabet=st.sampled_from(
        "a\x00\x0b\x0c\r\n\t\x7f\u00ad\u00a0\u2028\ufeff&<>{_}"), max_size=30))
    def collect(text: str) -> None:
        found.append(text)

    collect()
    return found


def convert(documents: dict[str, bytes], folder: Path) -> dict[str, str]:
    """Write the documents, convert them all to UTF-8 text in one soffice run, read them."""
    source = folder / "docx"
    source.mkdir()
    for name, data in documents.items():
        (source / f"{name}.docx").write_bytes(data)
    output = folder / "txt"
    home = folder / "home"
    home.mkdir()
    assert SOFFICE is not None
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", "--nologo",
         f"-env:UserInstallation={(folder / 'profile').as_uri()}",
         "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(output),
         *sorted(str(path) for path in source.glob("*.docx"))],
        check=True, capture_output=True, timeout=600,
        env={"HOME": str(home), "PATH": "/usr/bin:/bin", "TMPDIR": str(folder)},
    )
    return {path.stem: path.read_text(encoding="utf-8-sig") for path in output.glob("*.txt")}


def test_libreoffice_reads_every_document_as_written(tmp_path: Path) -> None:
    samples = generated_texts(30)
    documents: dict[str, bytes] = {}
    for service_type in ServiceType:
        documents[f"soknad-{service_type.value}"] = render_application(application(service_type))
    documents["samlet"] = cover_letter_docx(cover_data(), COVER_TEMPLATE)
    for decision in DecisionKind:
        documents[f"vedtak-{decision.value}"] = decision_letter_docx(decision_data(decision),
                                                                     DECISION_TEMPLATE)
    for index, text in enumerate(samples):
        value = START + text + END
        documents[f"hyp-soknad-{index:02d}"] = render_application(application(beskrivelse=value))
        documents[f"hyp-vedtak-{index:02d}"] = decision_letter_docx(
            decision_data(DecisionKind.REJECTED, reasons=value), DECISION_TEMPLATE)

    read = convert(documents, tmp_path)

    assert sorted(read) == sorted(documents)
    for service_type in ServiceType:
        text = read[f"soknad-{service_type.value}"]
        spec = spec_for(service_type)
        positions = [text.index(section.heading) for section in spec.sections_for(
            application(service_type).kind)]
        assert positions == sorted(positions)
        assert "5f" * 32 in text
    assert "Nasjonal behandlingstjeneste for sjeldne beinsykdommer" in read["samlet"]
    assert "Endelig vedtak fattes senest 30. mai 2028." in read["vedtak-postponed"]
    assert "Vedtaket kan ikke påklages" in read["vedtak-rejected"]
    wrong = []
    for index, text in enumerate(samples):
        want = START + clean_text(text) + END
        for kind in ("soknad", "vedtak"):
            got = read[f"hyp-{kind}-{index:02d}"]
            match = re.search(re.escape(START) + ".*" + re.escape(END), got, re.DOTALL)
            if not match or match.group(0) != want:
                wrong.append((kind, text, match.group(0) if match else None))
    assert wrong == []
