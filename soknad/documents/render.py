"""Filling the Word templates: one ``DocxTemplate`` per render, escaping on, strict variables.

The three public functions take plain data and the template's path and return the .docx as
bytes, the same bytes for the same data (see ``docxzip``).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from threading import Lock
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, Template
from jinja2.sandbox import ImmutableSandboxedEnvironment

from soknad.documents import docxzip, engine
from soknad.documents.context import (
    application_context,
    cover_letter_context,
    decision_letter_context,
)
from soknad.documents.data import CoverLetterData, DecisionLetterData
from soknad.documents.report_letter import ReportLetterData, report_letter_context
from soknad.documents.round_letter import RoundLetterData, round_letter_context
from soknad.documents.text import clean_text
from soknad.domain.exchange import ApplicationDocument, from_dict
from soknad.domain.findings import Finding
from soknad.domain.formspec import FormSpec


class TemplateEnvironment(ImmutableSandboxedEnvironment):
    """Sandboxed (an uploaded template is code), autoescaping, strict about unknown names,
    and remembering compiled templates: docxtpl hands over the same XML on every render."""

    _CACHE_SIZE = 64

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
        self._compiled: dict[str, Template] = {}
        self._lock = Lock()

    def from_string(self, source: Any, globals: Any = None,
                    template_class: Any = None) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            template = super().from_string(source)
            with self._lock:
                if len(self._compiled) >= self._CACHE_SIZE:
                    self._compiled.clear()
                self._compiled[source] = template
        return template


ENVIRONMENT = TemplateEnvironment()

_template_bytes: dict[Path, tuple[int, int, bytes]] = {}


def template_bytes(path: Path) -> bytes:
    """The template file's bytes, read again only when the file changes."""
    stat = os.stat(path)
    cached = _template_bytes.get(path)
    if cached and cached[0] == stat.st_mtime_ns and cached[1] == stat.st_size:
        return cached[2]
    data = path.read_bytes()
    _template_bytes[path] = (stat.st_mtime_ns, stat.st_size, data)
    return data


def render_docx(template: Path | bytes, context: Mapping[str, Any], *, title: str,
                moment: datetime) -> bytes:
    """Fill ``template`` with ``context``; ``moment`` becomes the document's dates."""
    data = template if isinstance(template, bytes) else template_bytes(template)
    return engine.render(engine.prepared(data, engine.read_docx), context, ENVIRONMENT,
                         title=title, moment=moment)


def render_docx_plain(template: Path | bytes, context: Mapping[str, Any], *, title: str,
                      moment: datetime) -> bytes:
    """The same through docxtpl's own ``render`` and python-docx's save (slower; kept as the
    reference the fast path is tested against)."""
    data = template if isinstance(template, bytes) else template_bytes(template)
    document = DocxTemplate(io.BytesIO(data))
    document.render(dict(context), ENVIRONMENT, autoescape=True)
    docx = document.docx
    assert docx is not None
    docxzip.set_core_properties(docx, title=clean_text(title), moment=moment)
    return docxzip.save(docx)


def _moment(value: datetime | str) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        raise ValueError("submitted_at must carry its time zone")
    return moment


def application_docx(  # noqa: PLR0917 - the call the coordination code makes
    document: ApplicationDocument | Mapping[str, Any], spec: FormSpec,
    findings: Iterable[Finding | Mapping[str, Any]], sha256: str,
    submitted_at: datetime | str, template_path: Path | bytes,
) -> bytes:
    """The submitted application as Word: every point of the form in order, its answers,
    tables and evidence, the warnings that remained, the form version and the SHA-256."""
    if not isinstance(document, ApplicationDocument):
        document = from_dict(document)
    context = application_context(document, spec, findings, sha256, submitted_at)
    return render_docx(template_path, context, title=str(context["tjenestenavn"]),
                       moment=_moment(submitted_at))


def cover_letter_docx(data: CoverLetterData, template_path: Path | bytes) -> bytes:
    """The joint cover letter of the round from the four RHFs to Helsedirektoratet."""
    moment = datetime(data.sent_on.year, data.sent_on.month, data.sent_on.day, 12, tzinfo=UTC)
    return render_docx(template_path, cover_letter_context(data),
                       title=f"Samlet søknad om nasjonale tjenester {data.round_year}",
                       moment=moment)


def decision_letter_docx(data: DecisionLetterData, template_path: Path | bytes) -> bytes:
    """Helsedirektoratet's decision letter for one application."""
    day = data.decision_date
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return render_docx(template_path, decision_letter_context(data),
                       title=f"Vedtak: {data.application_name}", moment=moment)


def round_letter_docx(data: RoundLetterData, template_path: Path | bytes) -> bytes:
    """Helsedirektoratet's overall feedback on the round to the four RHFs (copy HOD)."""
    day = data.letter_date
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return render_docx(template_path, round_letter_context(data),
                       title=f"Samlet tilbakemelding om nasjonale tjenester {data.round_year}",
                       moment=moment)


def report_letter_docx(data: ReportLetterData, template_path: Path | bytes) -> bytes:
    """Helsedirektoratet's assessment of one region's annual reports, by 1 June."""
    day = data.letter_date
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return render_docx(template_path, report_letter_context(data),
                       title=f"Vurdering av årsrapportene {data.year} – {data.region}",
                       moment=moment)
