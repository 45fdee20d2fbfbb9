"""Rendering a docxtpl template fast and deterministically.

docxtpl's ``DocxTemplate.render`` loads the whole package with python-docx, renders the body,
headers, footers, footnotes and core properties, and python-docx re-serialises and re-deflates
every part on save. Here a template is *prepared once* (per distinct file content): the parts
docxtpl renders are turned into compiled Jinja templates with docxtpl's own ``patch_xml``, and
every other part is deflated once and kept. A render then runs docxtpl's own steps on the
rendered parts only (``render_xml_part`` with its listing resolution, ``fix_tables``,
``fix_docpr_ids``) and writes the ZIP with fixed times. The body is also parsed strictly: text
that would not be valid XML raises instead of being dropped by the recovering parser.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from threading import Lock
from typing import Any
from xml.sax.saxutils import escape

from docxtpl import DocxTemplate
from jinja2 import Environment
from lxml import etree

from soknad.documents import zipfast
from soknad.documents.text import clean_text

_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
_BODY_MARK = "SOKNAD-DOCUMENT-BODY"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RENDERED_PART_RE = re.compile(r"word/(header\d*|footer\d*|footnotes)\.xml")
MAIN_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"


class TemplateFileError(ValueError):
    """The file is not a Word document this program can fill in."""


@dataclass(frozen=True)
class _Rendered:
    name: str
    source: str  # the part's XML after docxtpl's patch_xml, ready for Jinja


@dataclass(frozen=True)
class Prepared:
    order: tuple[str, ...]  # member names in the template's order
    fixed: Mapping[str, zipfast.Member]  # members written as they are
    head: str  # document.xml up to the body
    body: str  # the body, patched
    tail: str
    parts: tuple[_Rendered, ...]  # headers, footers, footnotes


def _tpl() -> DocxTemplate:
    """A DocxTemplate used only for its string-level helpers (nothing is loaded)."""
    helper = DocxTemplate.__new__(DocxTemplate)
    helper.docx_ids_index = 1000
    helper.current_rendering_part = None
    return helper


def prepare(members: Mapping[str, bytes], order: tuple[str, ...]) -> Prepared:
    if MAIN_PART not in members:
        raise TemplateFileError("word/document.xml mangler")
    helper = _tpl()
    parser = etree.XMLParser(resolve_entities=False, huge_tree=True)
    root = etree.fromstring(members[MAIN_PART], parser)
    body = root.find(f"{{{_W}}}body")
    if body is None:
        raise TemplateFileError("dokumentet har ingen brødtekst")
    body_xml = etree.tostring(body, encoding="unicode")
    root.replace(body, etree.Comment(_BODY_MARK))
    shell = etree.tostring(root, encoding="unicode")
    head, tail = shell.split(f"<!--{_BODY_MARK}-->")
    parts = []
    for name in order:
        if _RENDERED_PART_RE.fullmatch(name):
            xml = etree.tostring(etree.fromstring(members[name], parser), encoding="unicode")
            parts.append(_Rendered(name, helper.patch_xml(xml)))
    rendered = {MAIN_PART, CORE_PART} | {part.name for part in parts}
    fixed = {name: zipfast.compress(name, members[name]) for name in order
             if name not in rendered}
    return Prepared(order=order, fixed=fixed, head=_DECLARATION + head,
                    body=helper.patch_xml(body_xml), tail=tail, parts=tuple(parts))


_prepared: dict[bytes, Prepared] = {}
_lock = Lock()


def prepared(data: bytes, read: Any) -> Prepared:
    """The prepared form of the template file ``data`` (cached by content)."""
    key = hashlib.sha256(data).digest()
    found = _prepared.get(key)
    if found is None:
        members, order = read(data)
        found = prepare(members, order)
        with _lock:
            if len(_prepared) > 32:
                _prepared.clear()
            _prepared[key] = found
    return found


def _core_xml(title: str, moment: datetime, author: str) -> bytes:
    stamp = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    title = escape(clean_text(title)[:255])
    author = escape(author)
    return (
        f"{_DECLARATION}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>"
        f"<cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


def render(template: Prepared, context: Mapping[str, Any], env: Environment, *, title: str,
           moment: datetime, author: str = "Søknadsportal for nasjonale tjenester") -> bytes:
    helper = _tpl()
    context = dict(context)
    body_xml = helper.render_xml_part(template.body, None, context, env)
    etree.fromstring(body_xml)  # strict: invalid XML raises here instead of losing text
    tree = helper.fix_tables(body_xml)
    helper.fix_docpr_ids(tree)
    document = template.head + etree.tostring(tree, encoding="unicode") + template.tail
    produced = {MAIN_PART: document.encode("utf-8"), CORE_PART: _core_xml(title, moment, author)}
    for part in template.parts:
        xml = helper.render_xml_part(part.source, None, context, env)
        etree.fromstring(xml)
        produced[part.name] = (_DECLARATION + xml).encode("utf-8")
    members = [template.fixed[name] if name in template.fixed
               else zipfast.compress(name, produced[name]) for name in template.order]
    return zipfast.write(members)


MAX_UNPACKED = 64 * 1024 * 1024
MAX_MEMBERS = 2000


def read_docx(data: bytes) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """The members of a .docx, refusing what is not one (or would unpack to too much)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED:
                raise TemplateFileError("filen pakker seg ut til mer enn 64 MB")
            members = {info.filename: archive.read(info) for info in infos
                       if not info.is_dir()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError,
            RuntimeError, OSError) as error:
        raise TemplateFileError("filen er ikke en ZIP-pakke som et Word-dokument") from error
    order = tuple(name for name in members)
    if "[Content_Types].xml" not in members or MAIN_PART not in members:
        raise TemplateFileError("filen mangler delene et Word-dokument har")
    return members, order
