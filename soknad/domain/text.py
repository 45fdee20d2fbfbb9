"""Cleaning and word counting of the text people type or paste.

The word-counting rule (shown to users next to every field with a word limit, and implemented
identically in ``soknad/static/js/wordcount.js``):

* A *word* is a run of characters between separators that contains at least one letter or digit.
  So "ICD-10", "C40.1" and "2027" are one word each, while a lone dash ("-", "–", "—") or "&" is
  not a word.
* *Separators* are every kind of space and line break, including the non-breaking space
  (U+00A0), the narrow and figure spaces, the zero-width space (U+200B) and Word's soft line
  break (U+000B).
* *Invisible* characters that come along when text is pasted from Word or the web — the soft
  hyphen (U+00AD), the byte-order mark / zero-width no-break space (U+FEFF) and the
  left-to-right and right-to-left marks (U+200E, U+200F) — are removed when the text is
  stored, and so never split a word: "ab\ufeffcd" is one word, in the browser as here.

``clean`` is applied once, where text enters the system (form posts, JSON import, file names),
so that what is stored, counted, shown and written to Word is the same text.
"""

from __future__ import annotations

import re
import unicodedata

# The separator and invisible classes, written out so that the JavaScript counter
# (soknad/static/js/wordcount.js) uses the very same lists; a unit test compares them.
SEPARATORS = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000"
INVISIBLE = "\u00ad\u200e\u200f\ufeff"
_SEPARATOR_RE = re.compile(f"[{SEPARATORS}]+")

# Characters XML 1.0 forbids (and so Word documents cannot hold), after the line-break mapping.
_XML_FORBIDDEN_RE = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE_BREAKS_RE = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE), None)
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def clean(text: str) -> str:
    """Return ``text`` normalised for storage: NFC, ``\\n`` line breaks, nothing XML forbids.

    Word's soft line break (``\\x0b``), form feeds and CR/LF become ``\\n``; soft hyphens and
    byte-order marks are removed; other control characters are dropped. Leading and trailing
    whitespace is stripped. Non-breaking spaces are kept: they are the author's choice.
    """
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS_RE.sub("\n", text)
    text = text.translate(_INVISIBLE)
    text = _XML_FORBIDDEN_RE.sub("", text)
    return text.strip()


def clean_line(text: str) -> str:
    """Like ``clean`` for one-line values (names, e-mail addresses): no breaks, no bidi controls."""
    text = clean(text).translate(_BIDI_CONTROLS)
    return " ".join(text.split())


def is_word(token: str) -> bool:
    """True if ``token`` holds at least one letter or digit (Unicode categories L and N)."""
    return any(unicodedata.category(char)[0] in "LN" for char in token)


def count_words(text: str) -> int:
    """Count words by the rule in this module's docstring."""
    text = text.translate(_INVISIBLE)
    return sum(1 for token in _SEPARATOR_RE.split(text) if token and is_word(token))
