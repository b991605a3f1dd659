"""Every spelling of an item's identifier, resolved to the one key the registry uses.

A saiga horn marked with a DataMatrix may arrive as `urn:epc:id:sgtin:4870001.000001.7`, as
`https://id.gs1.org/01/04870001000011/21/7`, as a Digital Link on a partner's own host, or as the
element string a scanner reads; all of them are the same item. The canonical key of a GS1 key is
its canonical GS1 Digital Link URI on https://id.gs1.org, exactly the form that the CBV 2.0 Event
Hash ID (section 8.9) gives EPC URNs, so identity and hashing agree.

Microchips (ISO 11784/11785, 15 digits) are keyed `urn:kiik:microchip:<digits>`; kiik's own URNs
are opaque keys.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from kiik.epcis.domain.digital_link import canonical_pairs, is_class, kind_of, parse_digital_link
from kiik.epcis.domain.epc_uri import EPC_PREFIXES, KeyParts, parse_epc_urn
from kiik.epcis.domain.gs1_keys import (
    CANONICAL_HOST,
    InvalidIdentifier,
    digital_link,
    validate_value,
    with_check_digit,
)
from kiik.errors import N_

__all__ = [
    "Identifier",
    "InvalidIdentifier",
    "canonical_key",
    "epc_to_digital_link",
    "identifier_from_element_strings",
    "parse_identifier",
]

KAZAKHSTAN = "398"
MICROCHIP_URN = "urn:kiik:microchip:"
KIIK_URN = "urn:kiik:"


@dataclass(frozen=True)
class Identifier:
    """One identified thing (or class of things) and the key the registry files it under."""

    kind: str  # sgtin, lgtin, gtin, sscc, sgln, pgln, grai, giai, gsrn, gsrnp, gdti, gcn, ginc, gsin,
    #            itip, cpi, upui, gmn, microchip, kiik
    canonical: str
    is_class: bool
    gtin: str | None = None
    serial: str | None = None
    lot: str | None = None
    key: str | None = None  # the primary GS1 key value (GLN, SSCC, GRAI...) or the chip number
    extension: str | None = None  # GLN extension (AI 254) of an SGLN
    company_prefix: str | None = None  # known only when the spelling delimits it (EPC URNs)


def _from_parts(parts: KeyParts) -> Identifier:
    # EPC TDS reserves GLN extension 0 for "no extension": the site is the same with or without it.
    pairs = [pair for pair in parts.pairs if pair != ("254", "0")]
    values = dict(pairs)
    key_ai, key_value = pairs[0]
    gtin = key_value[:14] if key_ai in ("01", "8006") else None
    return Identifier(
        kind=parts.kind,
        canonical=digital_link(canonical_pairs(pairs)),
        is_class=parts.is_class,
        gtin=gtin,
        serial=values.get("21") or values.get("235") or values.get("8011"),
        lot=values.get("10"),
        key=key_value,
        extension=values.get("254"),
        company_prefix=parts.company_prefix,
    )


def _microchip(digits: str, shown: str) -> Identifier:
    if not (digits.isdigit() and digits.isascii()):
        raise InvalidIdentifier(
            N_("microchip number %(value)s must be digits only (ISO 11784: 15 digits)", value=repr(shown))
        )
    if len(digits) != 15:
        raise InvalidIdentifier(
            N_(
                "wrong length for microchip number %(value)s: ISO 11784 numbers have exactly 15 digits, "
                "got %(count)s",
                value=digits,
                count=len(digits),
            )
        )
    code = digits[:3]
    if code != KAZAKHSTAN and not 900 <= int(code) <= 998:
        raise InvalidIdentifier(
            N_(
                "microchip %(value)s starts with country code %(code)s; kiik registers chips with the "
                "Kazakhstan code %(kazakhstan)s or an ISO 11784 manufacturer code 900-998",
                value=digits,
                code=code,
                kazakhstan=KAZAKHSTAN,
            )
        )
    return Identifier("microchip", MICROCHIP_URN + digits, False, key=digits)


@lru_cache(maxsize=65536)
# Capture reads each identifier twice, once checking the event and once working out its facts;
# the second reading is then a lookup, for events of up to 16,384 identifiers (a shipment of a few
# thousand horns; about 10 MB at most). Identifiers are immutable, and a refusal is not kept.
@lru_cache(maxsize=16384)
def parse_identifier(text: str) -> Identifier:
    """Read any supported spelling of an identifier; raise InvalidIdentifier saying what is wrong.

    Accepts EPC URNs (id, class and class patterns), GS1 Digital Link URIs on any host, 15-digit
    ISO 11784 microchip numbers (bare or as urn:kiik:microchip:...) and other urn:kiik: URNs.
    Element strings from scanners are read by `kiik.epcis.adapters.barcodes.parse_scanned`.
    """
    value = text.strip()
    if not value:
        raise InvalidIdentifier(N_("empty identifier: scan or type the code again"))
    if value.startswith(EPC_PREFIXES):
        return _from_parts(parse_epc_urn(value))
    if value.startswith(("https://", "http://")):
        return _from_parts(parse_digital_link(value))
    if value.startswith(MICROCHIP_URN):
        return _microchip(value[len(MICROCHIP_URN) :], value)
    if value.startswith(KIIK_URN):
        if len(value) == len(KIIK_URN) or any(c.isspace() for c in value):
            raise InvalidIdentifier(
                N_("%(value)s is not a valid kiik URN (urn:kiik:<kind>:<id>, no spaces)", value=repr(value))
            )
        return Identifier("kiik", value, False, key=value)
    compact = value.replace(" ", "")
    if compact.isdigit() and compact.isascii():
        if len(compact) in (8, 12, 13, 14, 18):
            raise InvalidIdentifier(
                N_(
                    "%(value)s is a bare number of %(count)s digits: a microchip number has 15 digits; a GS1 "
                    "key needs its application identifier, e.g. (01)<GTIN>(21)<serial> or a Digital Link",
                    value=value,
                    count=len(compact),
                )
            )
        return _microchip(compact, value)
    if value.startswith("("):
        raise InvalidIdentifier(
            N_(
                "%(value)s is a GS1 element string: enter it where scanned codes are read, or write it as "
                "a Digital Link such as https://id.gs1.org/01/<GTIN>/21/<serial>",
                value=value,
            )
        )
    if value.startswith("urn:epc:"):
        raise InvalidIdentifier(
            N_(
                "%(value)s is not a known EPC URN form (urn:epc:id:, urn:epc:class:, urn:epc:idpat:)",
                value=value,
            )
        )
    raise InvalidIdentifier(
        N_(
            "%(value)s is not an identifier kiik knows: use an EPC URN (urn:epc:id:sgtin:...), a GS1 Digital "
            "Link (https://id.gs1.org/01/.../21/...), a 15-digit microchip number or a urn:kiik: URN",
            value=repr(value),
        )
    )


def canonical_key(text: str) -> str:
    """The registry key of an identifier (see `parse_identifier`)."""
    return parse_identifier(text).canonical


def identifier_from_element_strings(pairs: Sequence[tuple[str, str]], shown: str | None = None) -> Identifier:
    """The identifier that GS1 element strings (AI, value), as a scanner reads them, carry.

    Data attributes such as expiry dates are allowed and ignored; exactly one primary key is needed.
    """
    keys = [(ai, value) for ai, value in pairs if ai in _PRIMARY_KEYS]
    shown = shown or "".join(f"({ai}){value}" for ai, value in pairs)
    if not keys:
        raise InvalidIdentifier(
            N_(
                "%(value)s carries no GS1 key: a GTIN (01), SSCC (00), GLN (414/417) or another key is "
                "needed",
                value=shown,
            )
        )
    if len(keys) > 1:
        names = ", ".join(f"({ai})" for ai, _ in keys)
        raise InvalidIdentifier(
            N_(
                "%(value)s carries more than one GS1 key (%(keys)s); scan one code at a time",
                value=shown,
                keys=names,
            )
        )
    key_ai, key_value = keys[0]
    allowed = _QUALIFIER_AIS.get(key_ai, ())
    ordered = [(key_ai, key_value)] + [(ai, v) for ai, v in pairs if ai in allowed]
    for ai, value in ordered:
        validate_value(ai, value)
    return _from_parts(KeyParts(kind_of(ordered), ordered, is_class(ordered)))


_PRIMARY_KEYS = frozenset({"00", "01", "253", "255", "401", "402", "414", "417", "8003", "8004", "8006",
                           "8010", "8013", "8017", "8018"})  # fmt: skip
_QUALIFIER_AIS = {"01": ("10", "21", "235"), "414": ("254",), "8006": ("10", "21"), "8010": ("8011",)}


@lru_cache(maxsize=65536)
def epc_to_digital_link(uri: str) -> str:
    """The canonical GS1 Digital Link of an EPC URN or Digital Link (CBV 2.0 section 8.9, rules 17-18).

    EPC URNs (id, class and serial-wildcard patterns) become Digital Links on id.gs1.org; Digital
    Links on any host are moved to id.gs1.org with the query dropped and only the most specific
    qualifier kept. Anything else, including malformed keys, is returned unchanged: the hash must
    be computable for every event, valid or not.
    """
    if uri.startswith("urn:epc:id:sgtin:"):
        fast = _plain_sgtin(uri)
        if fast is not None:
            return fast
    try:
        if uri.startswith(EPC_PREFIXES):
            parts = parse_epc_urn(uri, strict=False)
        elif uri.startswith(("https://", "http://")):
            parts = parse_digital_link(uri, strict=False)
        else:
            return uri
    except InvalidIdentifier:
        return uri
    return digital_link(canonical_pairs(parts.pairs))


_PLAIN_SERIAL = re.compile(r"[0-9A-Za-z\-.'_;=]{1,20}")


def _plain_sgtin(urn: str) -> str | None:
    """The common case of `epc_to_digital_link`, quickly: an SGTIN whose serial needs no escaping.

    Gives what the general path gives (a test checks it); None sends the URN down the general path.
    """
    company_prefix, _, rest = urn[17:].partition(".")
    item, dot, serial = rest.partition(".")
    if (
        dot
        and len(company_prefix) + len(item) == 13
        and company_prefix.isdigit()
        and item.isdigit()
        and company_prefix.isascii()
        and item.isascii()
        and _PLAIN_SERIAL.fullmatch(serial)
    ):
        return f"{CANONICAL_HOST}/01/{with_check_digit(item[0] + company_prefix + item[1:])}/21/{serial}"
    return None
