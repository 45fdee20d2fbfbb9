"""The joint submission's contact person: who Helsedirektoratet calls or writes to about it.
The cover letter names the person with title, e-mail address and telephone number."""

from __future__ import annotations

import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

NAME_LIMIT = 200
PHONE_DIGITS = (8, 15)
_PHONE = re.compile(r"[+0-9 ()\-]+")


@dataclass(frozen=True)
class ContactPerson:
    name: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""

    @property
    def complete(self) -> bool:
        return not contact_problems(self)


def cleaned(name: str, title: str, email: str, phone: str) -> ContactPerson:
    """The fields as typed, without surrounding or doubled spaces."""
    return ContactPerson(*(" ".join(value.split()) for value in (name, title, email, phone)))


def contact_problems(person: ContactPerson) -> dict[str, str]:
    """Field → what is wrong with it, in Norwegian; empty when the person can be named."""
    problems: dict[str, str] = {}
    if not person.name:
        problems["navn"] = "Skriv navnet på kontaktpersonen."
    elif len(person.name) > NAME_LIMIT:
        problems["navn"] = f"Navnet kan ikke være lengre enn {NAME_LIMIT} tegn."
    if not person.title:
        problems["tittel"] = "Skriv tittelen til kontaktpersonen, for eksempel «Seniorrådgiver»."
    elif len(person.title) > NAME_LIMIT:
        problems["tittel"] = f"Tittelen kan ikke være lengre enn {NAME_LIMIT} tegn."
    if not person.email:
        problems["epost"] = "Skriv e-postadressen til kontaktpersonen."
    else:
        try:
            validate_email(person.email, check_deliverability=False)
        except EmailNotValidError:
            problems["epost"] = (f"«{person.email}» er ikke en gyldig e-postadresse. Skriv den "
                                 "som navn@domene.no.")
    digits = sum(character.isdigit() for character in person.phone)
    if not person.phone:
        problems["telefon"] = "Skriv telefonnummeret til kontaktpersonen."
    elif not _PHONE.fullmatch(person.phone) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        problems["telefon"] = (f"«{person.phone}» er ikke et telefonnummer. Skriv 8 sifre, "
                               "gjerne med landskode, for eksempel +47 22 33 44 55.")
    return problems
