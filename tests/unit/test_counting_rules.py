"""The browser counts words and characters by the server's rules: the character lists in
``soknad/static/js/wordcount.js`` are the ones in ``soknad/domain/text.py``.

(The browser tests run both counters on the same tricky texts; this test says *which* list
differs, and runs without a browser.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from soknad.domain import text

SCRIPT = (Path(__file__).resolve().parents[2] / "soknad" / "static" / "js" / "wordcount.js")
_JS_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "v": "\v"}


def _decode_js(body: str) -> str:
    """The characters of a JavaScript regex class body (\\uXXXX, \\t, … and plain ones)."""
    return re.sub(r"\\(u([0-9a-fA-F]{4})|[tnrfv])",
                  lambda m: chr(int(m.group(2), 16)) if m.group(2) else _JS_ESCAPES[m.group(1)],
                  body)


def expand(members: str) -> set[str]:
    """Every character a class body names, with ranges ``a-b`` spelled out."""
    chars: set[str] = set()
    index = 0
    while index < len(members):
        if index + 2 < len(members) and members[index + 1] == "-":
            chars.update(map(chr, range(ord(members[index]), ord(members[index + 2]) + 1)))
            index += 3
        else:
            chars.add(members[index])
            index += 1
    return chars


def js_class(name: str) -> set[str]:
    match = re.search(rf"var {name} = /\[([^\]]+)\]", SCRIPT.read_text(encoding="utf-8"))
    assert match, f"{name} is not defined as a character class in {SCRIPT.name}"
    return expand(_decode_js(match.group(1)))


@pytest.mark.parametrize(("name", "python"), [("SEPARATORS", text.SEPARATORS),
                                               ("INVISIBLE", text.INVISIBLE)])
def test_the_browser_uses_the_servers_character_lists(name: str, python: str) -> None:
    browser = js_class(name)
    assert browser == expand(python), (
        f"{name}: only in wordcount.js {sorted(map(hex, map(ord, browser - expand(python))))}, "
        f"only in text.py {sorted(map(hex, map(ord, expand(python) - browser)))}")


def test_an_invisible_character_is_never_a_separator() -> None:
    assert not expand(text.SEPARATORS) & expand(text.INVISIBLE)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        pytest.param("fem\ufeffseks sju\ufeffåtte ni", 3, id="bom-inside-words"),
        pytest.param("\ufeffBOM først", 2, id="bom-first"),
        pytest.param("null\u200bbredde", 2, id="zero-width-space-splits"),
        pytest.param("høyre\u200fvenstre\u200etekst", 1, id="direction-marks"),
        pytest.param("kompe\u00adtanse", 1, id="soft-hyphen"),
        pytest.param("ord\u2060skjøt", 1, id="word-joiner"),
    ],
)
def test_invisible_characters_count_as_they_are_stored(typed: str, words: int) -> None:
    assert text.count_words(typed) == words
    assert text.count_words(text.clean(typed)) == words
