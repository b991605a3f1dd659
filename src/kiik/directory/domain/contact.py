"""Whom to contact at an organisation: a person, a telephone number, an e-mail address and a postal
address, each optional (empty when not known) and checked for sense, not for existence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiik.directory.domain.errors import DirectoryError
from kiik.errors import N_

FIELDS = ("contact_person", "contact_phone", "contact_email", "postal_address")
# Each refusal starts with the name people know its field by; the field it is about, by that name.
REFUSED_FIELD = {
    "contact person": "contact_person",
    "telephone": "contact_phone",
    "e-mail": "contact_email",
    "postal address": "postal_address",
}
# Digits with the separators people write (+7 (7172) 74-00-00); E.164 allows 15 digits at most.
PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]*$")
# One @, something before it, a domain with a dot after it, no spaces: typing slips, not RFC 5322.
EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


@dataclass(frozen=True)
class Contact:
    contact_person: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    postal_address: str = ""

    def to_json(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FIELDS}


def _phone(text: str) -> str:
    digits = sum(character.isdigit() for character in text)
    if text and (not PHONE.match(text) or not 7 <= digits <= 15):
        raise DirectoryError(
            N_(
                "telephone: %(text)s is not a telephone number; write 7 to 15 digits with the country "
                "code, such as +7 7172 74 00 00",
                text=repr(text),
            )
        )
    return text


def _email(text: str) -> str:
    if text and (len(text) > 254 or not EMAIL.match(text)):
        raise DirectoryError(
            N_(
                "e-mail: %(text)s is not an e-mail address; write it as name@example.kz",
                text=repr(text),
            )
        )
    return text


def read_contact(person: str, phone: str, email: str, address: str) -> Contact:
    """An organisation's contact from what a person wrote (spaces at either end dropped)."""
    person = person.strip()
    address = "\n".join(line.strip() for line in address.strip().splitlines() if line.strip())
    if len(person) > 200:
        raise DirectoryError(N_("contact person: at most 200 characters; write the person's name and post"))
    if len(address) > 400:
        raise DirectoryError(N_("postal address: at most 400 characters"))
    return Contact(person, _phone(" ".join(phone.split())), _email(email.strip()), address)
