"""GS1 Digital Link URIs on any host, and their canonical form on https://id.gs1.org.

A Digital Link carries a primary key and its qualifiers as /AI/value path pairs after any path
prefix the host chooses (`https://example.com/my/01/04870001000011/21/7?17=261231`). The canonical
form (GS1 Digital Link URI syntax 1.2, section 4.11, as the CBV 2.0 Event Hash ID constrains it)
keeps only the most specific level of identification, drops the query and uses id.gs1.org.
"""

from __future__ import annotations

from kiik.epcis.domain.epc_uri import KeyParts
from kiik.epcis.domain.gs1_keys import (
    KEY_RULES,
    QUALIFIERS,
    InvalidIdentifier,
    normalise_gtin,
    percent_decode,
    validate_value,
)
from kiik.errors import N_

# Short names that GS1 Digital Link 1.0 allowed in place of the numeric AIs.
_ALIASES = {
    "gtin": "01", "itip": "8006", "cpv": "22", "lot": "10", "ser": "21", "sscc": "00", "gln": "414",
    "glnx": "254", "party": "417", "grai": "8003", "giai": "8004", "gsrn": "8018", "gsrnp": "8017",
    "gdti": "253", "gcn": "255", "ginc": "401", "gsin": "402", "cpid": "8010", "cpsn": "8011",
    "gmn": "8013", "tpx": "235",
}  # fmt: skip

_KINDS = {
    "00": "sscc", "253": "gdti", "255": "gcn", "401": "ginc", "402": "gsin", "414": "sgln",
    "417": "pgln", "8003": "grai", "8004": "giai", "8006": "itip", "8010": "cpi", "8013": "gmn",
    "8017": "gsrnp", "8018": "gsrn",
}  # fmt: skip


def _plausible(ai: str, value: str) -> bool:
    """Enough shape to tell a Digital Link from any URL that happens to contain `/01/`."""
    rule = KEY_RULES[ai]
    if rule.digits:
        head = value[: rule.digits]
        if len(head) != rule.digits or not head.isdigit() or not head.isascii():
            return False
        return len(value) - rule.digits <= rule.tail
    return 0 < len(value) <= rule.tail


def _read_pairs(segments: list[str], start: int) -> list[tuple[str, str]] | None:
    key = _ALIASES.get(segments[start], segments[start])
    allowed = QUALIFIERS[key]
    pairs: list[tuple[str, str]] = []
    for i in range(start, len(segments), 2):
        ai = _ALIASES.get(segments[i], segments[i])
        if (i > start and ai not in allowed) or any(ai == seen for seen, _ in pairs):
            return None
        value = percent_decode(segments[i + 1])
        if ai == "01":
            value = normalise_gtin(value)
        if not _plausible(ai, value):
            return None
        pairs.append((ai, value))
    return pairs


def split_uri(uri: str) -> list[str] | None:
    """The path segments of an http(s) URI, without query or fragment; None for other URIs."""
    if uri.startswith("https://"):
        rest = uri[8:]
    elif uri.startswith("http://"):
        rest = uri[7:]
    else:
        return None
    for mark in ("#", "?"):
        rest = rest.split(mark, 1)[0]
    segments = rest.split("/")[1:]
    while segments and segments[-1] == "":
        segments.pop()
    return segments


def parse_digital_link(uri: str, *, strict: bool = True) -> KeyParts:
    """The GS1 key of a Digital Link URI. Raises InvalidIdentifier with the reason when it has none."""
    segments = split_uri(uri)
    if segments is None:
        raise InvalidIdentifier(N_("%(uri)s is not an http(s) URI", uri=uri))
    for start in range(len(segments) - 1):
        key = _ALIASES.get(segments[start], segments[start])
        if key not in QUALIFIERS or (len(segments) - start) % 2:
            continue
        pairs = _read_pairs(segments, start)
        if pairs is None:
            continue
        if strict:
            for ai, value in pairs:
                validate_value(ai, value)
        return KeyParts(kind_of(pairs), pairs, is_class(pairs))
    raise InvalidIdentifier(
        N_(
            "%(uri)s is not a GS1 Digital Link URI: its path has no GS1 key as /AI/value pairs "
            "(e.g. /01/<14-digit GTIN>/21/<serial>)",
            uri=uri,
        )
    )


def kind_of(pairs: list[tuple[str, str]]) -> str:
    key = pairs[0][0]
    if key != "01":
        return _KINDS[key]
    qualifiers = {ai for ai, _ in pairs[1:]}
    if "21" in qualifiers:
        return "sgtin"
    if "235" in qualifiers:
        return "upui"
    return "lgtin" if "10" in qualifiers else "gtin"


def is_class(pairs: list[tuple[str, str]]) -> bool:
    """True when the pairs name a class of things rather than one instance."""
    key, value = pairs[0]
    qualifiers = {ai for ai, _ in pairs[1:]}
    if key in ("01", "8006"):
        return not qualifiers & {"21", "235"}
    if key == "8010":
        return "8011" not in qualifiers
    if key in ("8003", "253", "255"):
        return len(value) == KEY_RULES[key].digits
    return key == "8013"


def canonical_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The key with only its most specific qualifier, as CBV 2.0 section 8.9 rule 18 asks."""
    key = pairs[0]
    qualifiers = dict(pairs[1:])
    for ai in {"01": ("21", "235", "10"), "8006": ("21", "10"), "414": ("254",), "8010": ("8011",)}.get(
        key[0], ()
    ):
        if ai in qualifiers:
            return [key, (ai, qualifiers[ai])]
    return [key]
