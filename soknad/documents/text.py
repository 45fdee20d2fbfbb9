"""User text made safe for Word's XML without losing any of it.

docxtpl re-parses the rendered body with a *recovering* XML parser, so text that is not valid
XML is dropped without an error (shared/research/security-reliability-accessibility.md §0 item
1). Every user string therefore passes through ``clean_text`` and is handed to the template as a
``WordText``, which escapes itself. The documented cleaning:

* ``\\r\\n``, ``\\r``, Word's soft line break ``\\x0b``, the form feed ``\\x0c``, NEL
  (U+0085) and the Unicode line and paragraph separators (U+2028, U+2029) become ``\\n``,
  which the document shows as a line break (``<w:br/>``); ``\\t`` stays a tab.
* Characters XML 1.0 forbids (the other C0 controls, lone surrogates, U+FFFE, U+FFFF) are
  removed: they cannot be stored in a .docx at all.
* Everything else is kept exactly as typed: soft hyphens, non-breaking spaces, zero-width and
  bidirectional marks, leading and trailing spaces, other scripts and emoji.
"""

from __future__ import annotations

import re
from typing import Any

_LINE_BREAKS_RE = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_XML_FORBIDDEN_RE = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# docxtpl turns "{_{", "}_}", "{_%" and "%_}" in the rendered XML into "{{", "}}", "{%", "%}"
# (its escape for literal tags). Writing that underscore as a character reference keeps what
# the user typed.
_DOCXTPL_ESCAPE_RE = re.compile(r"(?<=\{)_(?=[{%])|(?<=[}%])_(?=\})")


def clean_text(value: Any) -> str:
    """The text as it will read back from the document (see the module docstring)."""
    text = "" if value is None else str(value)
    text = _LINE_BREAKS_RE.sub("\n", text)
    return _XML_FORBIDDEN_RE.sub("", text)


def escape_xml(text: str) -> str:
    """``text`` (already cleaned) as XML character data inside a docxtpl template."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _DOCXTPL_ESCAPE_RE.sub("&#95;", text)


class WordText:
    """A user string for a template: ``{{ value }}`` writes it escaped; ``\\n`` becomes a line
    break and ``\\t`` a tab (docxtpl's listing resolution), in the paragraph's own style."""

    __slots__ = ("text",)

    def __init__(self, value: Any = "") -> None:
        self.text = clean_text(value)

    def __html__(self) -> str:  # Jinja's autoescape asks for this
        return escape_xml(self.text)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"WordText({self.text!r})"

    def __bool__(self) -> bool:
        return bool(self.text)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, WordText):
            return self.text == other.text
        return self.text == other

    def __hash__(self) -> int:
        return hash(self.text)


def word(value: Any) -> WordText:
    return value if isinstance(value, WordText) else WordText(value)
