"""The cover letter as a reader sees it on paper: LibreOffice lays it out as PDF, and no word
in its tables is broken in the middle (the columns are wide enough for the longest names)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from soknad.documents import RankedEntry, cover_letter_docx
from tests.unit.documents.helpers import COVER_TEMPLATE, cover_data

pypdf = pytest.importorskip("pypdf")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: run "
                       "scripts/ensure-system-deps.sh as root"),
]

#: Long names as they occur: the longest words of the health trusts' names and of the types.
ENTRIES = [
    RankedEntry(1, "Nasjonal behandlingstjeneste for avansert trykkammerbehandling",
                "Nasjonal behandlingstjeneste", "Helse Nord", "Universitetssykehuset Nord-Norge HF",
                "Beskrivelse."),
    RankedEntry(2, "Nasjonal kompetansetjeneste for barnepalliasjon",
                "Nasjonal kompetansetjeneste", "Helse Midt-Norge", "Helgelandssykehuset HF",
                "Beskrivelse."),
    RankedEntry(3, "Nasjonal behandlingstjeneste for sjeldne beinsykdommer",
                "Nasjonal behandlingstjeneste", "Helse Sør-Øst", "Akershus universitetssykehus HF",
                "Beskrivelse."),
    RankedEntry(4, "Nasjonal kompetansetjeneste for kognitiv svikt",
                "Nasjonal kompetansetjeneste", "Helse Nord", "Nordlandssykehuset HF",
                "Beskrivelse."),
]


def pdf_text(data: bytes, folder: Path) -> str:
    """The printed pages as LibreOffice lays them out, line by line."""
    source = folder / "samlet.docx"
    source.write_bytes(data)
    home = folder / "home"
    home.mkdir()
    assert SOFFICE is not None
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", "--nologo",
         f"-env:UserInstallation={(folder / 'profile').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=600,
        env={"HOME": str(home), "PATH": "/usr/bin:/bin", "TMPDIR": str(folder)},
    )
    reader = pypdf.PdfReader(folder / "samlet.pdf")
    return "\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)


def words_between(text: str, start: str, end: str) -> set[str]:
    """The words printed from the line that starts with ``start`` to the one with ``end``."""
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip().startswith(start))
    last = next(i for i, line in enumerate(lines) if i > first and end in line)
    return {word for line in lines[first:last] for word in line.split()}


def test_no_word_in_the_cover_letters_tables_is_broken(tmp_path: Path) -> None:
    data = cover_data(entries=ENTRIES)
    consents = [replace(item, title="Konstituert fagdirektør") for item in data.consents]
    text = pdf_text(cover_letter_docx(replace(data, consents=consents), COVER_TEMPLATE),
                    tmp_path)
    ranking = words_between(text, "Prioritet", "Kort beskrivelse av tjenestene")
    cells = ["Prioritet Tjeneste Tjenestetype Helseforetak"]
    cells += [text for entry in ENTRIES
              for text in (entry.name, entry.service_type, entry.health_trust, entry.region)]
    assert sorted({word for cell in cells for word in cell.split()} - ranking) == []
    signatures = words_between(text, "Helseregion", "Vedlegg")
    cells = ["Helseregion Svar Gitt av Tidspunkt Merknad"]
    cells += [text for item in consents
              for text in (item.region, item.decision, item.who, item.title)]
    assert sorted({word for cell in cells for word in cell.split()} - signatures) == []
