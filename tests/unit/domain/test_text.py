"""The word-counting rule and the text cleaning, as tables."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soknad.domain.text import clean, clean_line, count_words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("   ", 0),
        ("én", 1),
        ("to ord", 2),
        ("to\u00a0ord", 2),  # a non-breaking space separates words
        ("to\u202fsmå\u2007ord", 3),  # narrow and figure spaces too
        ("linje1\x0blinje2", 2),  # Word's soft line break
        ("linje1\nlinje2\r\nlinje3", 3),
        ("a - b", 2),  # a lone dash is not a word
        ("a – b — c", 3),  # nor an en or em dash
        ("Nord & Sør", 2),  # nor an ampersand
        ("ICD-10 C40.1 2027", 3),  # codes and numbers are words
        ("kompe\u00adtanse", 1),  # a soft hyphen never splits a word
        ("ord\u200bord", 2),  # the zero-width space separates
        ("«sitat» (parentes)", 2),
        ("😀 ok", 1),  # an emoji alone is not a word
        ("\tinnrykk", 1),
    ],
)
def test_count_words_follows_the_documented_rule(text: str, words: int) -> None:
    assert count_words(text) == words


def test_a_hundred_words_with_non_breaking_spaces_count_as_a_hundred() -> None:
    assert count_words("\u00a0".join(["ord"] * 100)) == 100


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("linje1\x0blinje2", "linje1\nlinje2"),  # pasted from Word: not lost, a line break
        ("a\r\nb\rc", "a\nb\nc"),
        ("side\x0cskift", "side\nskift"),
        ("kompe\u00adtanse", "kompetanse"),
        ("\ufeffBOM", "BOM"),
        ("null\x00byte", "nullbyte"),
        ("A\u030ase", "Åse"),  # NFD from macOS becomes NFC
        ("  mellomrom  ", "mellomrom"),
        ("hardt\u00a0mellomrom", "hardt\u00a0mellomrom"),  # kept: the author's choice
        ("Helse Nord & Sør <RHF>", "Helse Nord & Sør <RHF>"),
    ],
)
def test_clean_keeps_the_text_and_removes_what_xml_forbids(raw: str, cleaned: str) -> None:
    assert clean(raw) == cleaned


def test_clean_line_removes_breaks_and_bidi_controls() -> None:
    assert clean_line("faktura\u202efdp.exe\nlinje2") == "fakturafdp.exe linje2"


@given(st.text())
def test_clean_is_idempotent_and_xml_safe(text: str) -> None:
    once = clean(text)
    assert clean(once) == once
    assert all(
        char in "\t\n" or 0x20 <= ord(char) <= 0xD7FF or 0xE000 <= ord(char) <= 0xFFFD
        or ord(char) >= 0x10000 for char in once
    )


@given(st.text())
def test_cleaning_does_not_change_the_word_count(text: str) -> None:
    assert count_words(clean(text)) == count_words(text)
