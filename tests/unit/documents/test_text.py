"""What happens to typed text on its way into Word: nothing is lost that XML can hold."""

from __future__ import annotations

import pytest

from soknad.documents.text import WordText, clean_text, escape_xml


@pytest.mark.parametrize(
    ("typed", "in_document"),
    [
        ("Linje 1\x0bLinje 2", "Linje 1\nLinje 2"),  # Word's soft line break
        ("Side 1\x0cSide 2", "Side 1\nSide 2"),  # form feed
        ("Windows\r\nlinje", "Windows\nlinje"),
        ("Gammel Mac\rlinje", "Gammel Mac\nlinje"),
        ("NEL\x85og\u2028skille\u2029avsnitt", "NEL\nog\nskille\navsnitt"),
        ("Tabulator\tbeholdes", "Tabulator\tbeholdes"),
        ("Null\x00byte og \x07bjelle", "Nullbyte og bjelle"),
        ("Ikke-tegn \ufffe\uffff", "Ikke-tegn "),
        ("Myk\u00adstrek, hard\u00a0mellomrom", "Myk\u00adstrek, hard\u00a0mellomrom"),
        ("  innrykk og hale  ", "  innrykk og hale  "),
        ("Blåbærsyltetøy, ÆØÅ, emoji 🦷", "Blåbærsyltetøy, ÆØÅ, emoji 🦷"),
        ("Retning \u202e og \u200f merker", "Retning \u202e og \u200f merker"),
        ("& < > \" '", "& < > \" '"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_clean_text_keeps_all_that_xml_can_hold(typed: object, in_document: str) -> None:
    assert clean_text(typed) == in_document


@pytest.mark.parametrize(
    ("text", "xml"),
    [
        ("A & B <c>", "A &amp; B &lt;c&gt;"),
        ("{_{ ikke en kode }_}", "{&#95;{ ikke en kode }&#95;}"),
        ("{_% heller ikke %_}", "{&#95;% heller ikke %&#95;}"),
        ("{{ vanlige klammer }}", "{{ vanlige klammer }}"),
        ("under_strek", "under_strek"),
    ],
)
def test_escape_xml_protects_markup_and_docxtpls_own_escapes(text: str, xml: str) -> None:
    assert escape_xml(text) == xml


def test_word_text_escapes_itself_for_an_autoescaping_template() -> None:
    value = WordText("Smith & Co\x0bAS")
    assert str(value) == "Smith & Co\nAS"
    assert value.__html__() == "Smith &amp; Co\nAS"
    assert not WordText("\x00")
