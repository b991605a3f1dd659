"""What a seized code says about where the goods came from, decided from what the registry holds.

- a code of an item still in legal custody (active or in transit) is a **leak**: it left legal
  stock, and its last legal holder is told;
- a well-formed code the registry never issued, or issued for another species or product, or of an
  item that no longer exists (processed, exported, destroyed, decommissioned) or is seized already,
  is a **forgery or re-use**;
- a code of another country's numbering (GS1 prefix or microchip country) is **foreign**: the
  owning registry is asked over the partner channel;
- goods without a code are of illegal origin (counted per specimen line, not matched).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

LEAK = "leak"
FORGERY = "forgery"
FOREIGN = "foreign"

# GS1 prefixes (the first three digits of a company prefix) and ISO 3166 numeric codes of microchips,
# for the countries kiik exchanges with. Kazakhstan's GS1 prefix is 487.
GS1_COUNTRY = {"487": "KZ", "470": "KG", "488": "TJ", "478": "UZ"}
GS1_CHINA = range(690, 700)
CHIP_COUNTRY = {"398": "KZ", "417": "KG", "762": "TJ", "860": "UZ", "156": "CN"}
_GTIN = re.compile(r"^https://id\.gs1\.org/0[01]/(\d{14})")
_CHIP = re.compile(r"^urn:kiik:microchip:(\d{3})\d{12}$")

# Custody statuses: still in legal custody, or gone.
IN_CUSTODY = frozenset({"active", "in_transit"})
NO_LONGER_EXISTS = {
    "consumed": "it was processed into another product",
    "exported": "it was exported",
    "destroyed": "it was destroyed",
    "decommissioned": "it was decommissioned",
}


@dataclass(frozen=True)
class RegisteredItem:
    """What the registry holds about a code: custody state and the last event that touched it."""

    key: str
    status: str
    holder: int | None
    holder_name: str
    species: str | None
    product_term: str | None
    last_event_id: str | None
    last_event_time: datetime | None
    last_step: str | None
    holder_kind: str | None = None


@dataclass(frozen=True)
class Match:
    code: str
    verdict: str
    reason: str
    explanation: str
    item: RegisteredItem | None = None
    country: str | None = None

    @property
    def leaked(self) -> bool:
        return self.verdict == LEAK


def country_of(key: str) -> str | None:
    """The country whose numbering a code belongs to, when kiik can tell (GS1 prefix, microchip)."""
    gtin = _GTIN.match(key)
    if gtin:
        prefix = gtin.group(1)[1:4]
        if int(prefix) in GS1_CHINA:
            return "CN"
        return GS1_COUNTRY.get(prefix)
    chip = _CHIP.match(key)
    return CHIP_COUNTRY.get(chip.group(1)) if chip else None


def match_code(
    key: str,
    item: RegisteredItem | None,
    species: str,
    terms: frozenset[str],
    seized_on: datetime,
    home_country: str = "KZ",
) -> Match:
    """The verdict on one seized code (`terms`: the CITES terms of the seizure's specimen line)."""
    if item is None:
        country = country_of(key)
        if country is not None and country != home_country:
            return Match(
                key,
                FOREIGN,
                "other_registry",
                f"{key} is numbered in {country}: its registry is asked what it knows of it",
                country=country,
            )
        return Match(
            key,
            FORGERY,
            "never_issued",
            f"{key} is well formed but was never issued by this registry: a forged code",
        )
    if item.species is not None and item.species != species:
        return Match(
            key,
            FORGERY,
            "other_species",
            f"{key} was issued for {item.species}, not {species}: the code was copied onto other goods",
            item,
        )
    if item.product_term is not None and terms and item.product_term not in terms:
        return Match(
            key,
            FORGERY,
            "other_product",
            f"{key} was issued for a product of CITES term {item.product_term}, not "
            f"{'/'.join(sorted(terms))}: the code was re-used on other goods",
            item,
        )
    if item.status in NO_LONGER_EXISTS:
        return Match(
            key,
            FORGERY,
            "no_longer_exists",
            f"{key} belongs to an item that no longer exists ({NO_LONGER_EXISTS[item.status]}"
            f"{_on(item)}): the code is re-used",
            item,
        )
    if item.status == "seized":
        return Match(
            key, FORGERY, "already_seized", f"{key} was seized already{_on(item)}: the code is re-used", item
        )
    if item.status in IN_CUSTODY:
        age = _age_days(item, seized_on)
        return Match(
            key,
            LEAK,
            "registered",
            f"{key} leaked from legal stock: last held by {item.holder_name}"
            + (f", last recorded {age} days before the seizure" if age is not None else ""),
            item,
        )
    return Match(key, FORGERY, "unknown_status", f"{key} has custody status {item.status}", item)


def _on(item: RegisteredItem) -> str:
    return f" on {item.last_event_time.date().isoformat()}" if item.last_event_time else ""


def _age_days(item: RegisteredItem, seized_on: datetime) -> int | None:
    if item.last_event_time is None:
        return None
    return max(0, (seized_on - item.last_event_time).days)


def age_days(match: Match, seized_on: datetime) -> int | None:
    return None if match.item is None else _age_days(match.item, seized_on)
