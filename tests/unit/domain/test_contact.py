"""The joint submission's contact person: what the cover letter needs to name the person."""

from __future__ import annotations

import pytest

from soknad.domain.contact import ContactPerson, cleaned, contact_problems

GOOD = ContactPerson("Anne Berg", "Fagdirektør", "anne.berg@helse-sorost.no", "+47 22 33 44 55")


@pytest.mark.parametrize(("changes", "problems"), [
    ({}, set()),
    ({"phone": "22334455"}, set()),
    ({"phone": "(+47) 22-33-44-55"}, set()),
    ({"name": ""}, {"navn"}),
    ({"name": "x" * 201}, {"navn"}),
    ({"title": ""}, {"tittel"}),
    ({"email": ""}, {"epost"}),
    ({"email": "anne.berg"}, {"epost"}),
    ({"phone": ""}, {"telefon"}),
    ({"phone": "2233445"}, {"telefon"}),  # seven digits
    ({"phone": "22 33 44 55 ext. 2"}, {"telefon"}),
    ({"phone": "1" * 16}, {"telefon"}),
    ({"name": "", "title": "", "email": "", "phone": ""}, {"navn", "tittel", "epost", "telefon"}),
])
def test_contact_problems(changes: dict[str, str], problems: set[str]) -> None:
    person = ContactPerson(**{**GOOD.__dict__, **changes})
    assert set(contact_problems(person)) == problems
    assert person.complete is (not problems)


def test_cleaned_drops_surrounding_and_doubled_spaces() -> None:
    assert cleaned("  Anne   Berg ", "Fagdirektør", " a@b.no ", "22  33 44 55") == ContactPerson(
        "Anne Berg", "Fagdirektør", "a@b.no", "22 33 44 55")
