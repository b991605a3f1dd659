"""Identifiers as people and partner systems write them in reads: codes, element strings, EPC patterns.

A code typed or scanned into a read (`/api/items/{code}`, `kiik trace CODE`, `MATCH_epc=...`) is
turned into the key the registry files events under, so `urn:epc:id:sgtin:4870001.000001.7`,
`https://id.gs1.org/01/04870001000011/21/7` and `(01)04870001000011(21)7` find the same item. An
EPC pattern (`urn:epc:idpat:sgtin:4870001.000001.*`) becomes a LIKE pattern over those keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiik.epcis.domain.event_facts import key_of
from kiik.epcis.domain.identifiers import InvalidIdentifier, canonical_key, identifier_from_element_strings

DIGITAL_LINK_ROOT = "https://id.gs1.org/"
_ELEMENT = re.compile(r"\((\d{2,4})\)([^()]*)")
_PATTERN_PREFIX = "urn:epc:idpat:"


def item_key(code: str) -> str:
    """The registry key of one item's code in any spelling; raises InvalidIdentifier saying why not."""
    text = code.strip()
    if text.startswith("("):
        return _element_string_key(text)
    return canonical_key(text)


def _element_string_key(text: str) -> str:
    compact = text.replace(" ", "")
    pairs = _ELEMENT.findall(compact)
    if not pairs or "".join(f"({ai}){value}" for ai, value in pairs) != compact:
        raise InvalidIdentifier(
            f"{text!r} is not a GS1 element string: write it as (AI)value pairs, e.g. (01)04870001000011(21)7"
        )
    return identifier_from_element_strings(pairs, shown=text).canonical


def stored_key(text: str) -> str:
    """The key an identifier in an event is stored under: GS1 keys canonical, other URIs as written.

    GS1 spellings that do not parse (a wrong check digit, an unknown EPC form) are errors, since
    such a value can never match; any other URI is a partner's own identifier, kept as it is.
    """
    value = text.strip()
    if value.startswith("("):
        return _element_string_key(value)
    if value.startswith("urn:epc:"):
        return canonical_key(value)
    return key_of(value)


@dataclass(frozen=True)
class KeyTerms:
    """What one MATCH_* value matches: exact keys, or LIKE patterns over keys (with `\\` escapes)."""

    keys: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()


def _like_literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def match_terms(value: str, *, classes: bool) -> KeyTerms:
    """The keys and key patterns one MATCH_* value stands for.

    `classes` tells whether the value is matched against instance identifiers (epcList, childEPCs,
    ...) or against classes (quantity lists), which decides what an SGTIN pattern covers: the
    instances of a GTIN, or the GTIN itself and its lots.
    """
    text = value.strip()
    if not text.startswith(_PATTERN_PREFIX):
        return KeyTerms(keys=(stored_key(text),))
    scheme, _, body = text[len(_PATTERN_PREFIX) :].partition(":")
    fields = body.split(".")
    if scheme == "sgtin" and len(fields) == 3:
        return _sgtin_terms(text, fields, classes)
    if scheme == "sscc" and len(fields) == 2:
        return _sscc_terms(text, fields)
    raise InvalidIdentifier(
        f"kiik matches EPC patterns of the forms urn:epc:idpat:sgtin:<company>.<item>.* and "
        f"urn:epc:idpat:sscc:<company>.*, not {text}"
    )


def _sgtin_terms(text: str, fields: list[str], classes: bool) -> KeyTerms:
    company, item, serial = fields
    if serial != "*":
        raise InvalidIdentifier(f"the serial of the EPC pattern {text} must be *")
    if item != "*":
        # A serial-only wildcard names one GTIN: its canonical key is the GTIN's Digital Link.
        gtin_key = canonical_key(text)
        if classes:
            return KeyTerms(keys=(gtin_key,), patterns=(_like_literal(gtin_key) + "/10/%",))
        return KeyTerms(patterns=(_like_literal(gtin_key) + "/21/%",))
    if company == "*":
        gtins = "%"
    else:
        if not (company.isdigit() and 6 <= len(company) <= 12):
            raise InvalidIdentifier(f"the company prefix in {text} must have 6 to 12 digits")
        # GTIN-14: indicator digit, company prefix, rest of the item reference, check digit.
        gtins = "_" + company + "_" * (13 - len(company))
    root = DIGITAL_LINK_ROOT + "01/" + gtins
    if classes:
        return KeyTerms(patterns=(root, root + "/10/%"))
    return KeyTerms(patterns=(root + "/21/%",))


def _sscc_terms(text: str, fields: list[str]) -> KeyTerms:
    company, serial = fields
    if serial != "*":
        raise InvalidIdentifier(f"the serial reference of the EPC pattern {text} must be *")
    if company == "*":
        return KeyTerms(patterns=(DIGITAL_LINK_ROOT + "00/%",))
    if not (company.isdigit() and 6 <= len(company) <= 12):
        raise InvalidIdentifier(f"the company prefix in {text} must have 6 to 12 digits")
    # SSCC: extension digit, company prefix, rest of the serial reference, check digit (18 digits).
    return KeyTerms(patterns=(DIGITAL_LINK_ROOT + "00/_" + company + "_" * (17 - len(company)),))
