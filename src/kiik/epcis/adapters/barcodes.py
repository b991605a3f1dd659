"""What a scanner reads off a label, as a registry identifier.

A GS1 DataMatrix gives element strings: `(01)04870001000011(21)7` as printed under the code, or
the raw content `0104870001000011217`, variable-length fields ended by GS (0x1D), often behind
a symbology identifier such as `]d2`. The splitting into application identifiers uses biip; the
checks of the keys themselves (check digits, lengths, characters) are the domain's.
"""

from __future__ import annotations

import re

from biip import ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_messages import GS1Message

from kiik.epcis.domain.identifiers import (
    Identifier,
    InvalidIdentifier,
    identifier_from_element_strings,
    parse_identifier,
)
from kiik.errors import N_, Wording

__all__ = ["parse_scanned"]

GROUP_SEPARATOR = "\x1d"
_SYMBOLOGY = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
_HRI_ELEMENT = re.compile(r"\((\d{2,4})\)([^()]*)")
_GTIN_LENGTHS = (8, 12, 13, 14)


def _known_ai(ai: str) -> bool:
    try:
        return GS1ApplicationIdentifier.extract(ai).ai == ai
    except ParseError:
        return False


def _human_readable(text: str) -> list[tuple[str, str]]:
    """`(01)...(21)...` split into (AI, value) pairs; every AI must be one GS1 defines."""
    pairs: list[tuple[str, str]] = []
    position = 0
    for match in _HRI_ELEMENT.finditer(text):
        if match.start() != position:
            raise InvalidIdentifier(
                N_(
                    "cannot read %(code)s at %(rest)s: expected (AI)value",
                    code=repr(text),
                    rest=repr(text[position:]),
                )
            )
        ai, value = match.group(1), match.group(2).strip()
        if not _known_ai(ai):
            raise InvalidIdentifier(
                N_(
                    "unknown application identifier (%(ai)s) in %(code)s; check the code and scan again",
                    ai=ai,
                    code=text,
                )
            )
        pairs.append((ai, value))
        position = match.end()
    if position != len(text) or not pairs:
        raise InvalidIdentifier(
            N_("cannot read %(code)s as GS1 element strings: expected (AI)value(AI)value...", code=repr(text))
        )
    return pairs


def _raw(text: str) -> list[tuple[str, str]]:
    """Raw DataMatrix content (fixed-length AIs run on, GS after variable-length ones) split by biip."""
    try:
        message = GS1Message.parse(text)
    except ParseError as error:
        raise InvalidIdentifier(_explain(text, str(error))) from error
    return [(element.ai.ai, element.value) for element in message.element_strings]


def _explain(text: str, reason: str) -> Wording:
    shown = text.replace(GROUP_SEPARATOR, "<GS>")
    match = re.search(r"GS1 AI \((\d+)\) pattern", reason)
    if match:
        return N_(
            "wrong length or characters for application identifier (%(ai)s) in %(code)s",
            ai=match.group(1),
            code=shown,
        )
    match = re.search(r"[Uu]nknown GS1 Application Identifier '?(\d+)", reason)
    if match:
        return N_("unknown application identifier (%(ai)s) in %(code)s", ai=match.group(1), code=shown)
    # biip's own reason stays as it wrote it (English).
    return N_("cannot read %(code)s as GS1 element strings: %(reason)s", code=shown, reason=reason)


def parse_scanned(text: str) -> Identifier:
    """Read whatever a scanner or an operator gives: everything `parse_identifier` accepts, plus
    GS1 element strings (bracketed or raw, with an optional symbology identifier) and bare GTINs.
    Raises InvalidIdentifier with the reason: unknown AI, wrong check digit, wrong length.
    """
    value = text.strip()
    symbology = _SYMBOLOGY.match(value)
    if symbology:
        value = value[symbology.end() :]
    value = value.strip(GROUP_SEPARATOR + " \r\n\t")
    if value.startswith("("):
        return identifier_from_element_strings(_human_readable(value), value)
    compact = value.replace(" ", "")
    if compact.isdigit() and compact.isascii() and len(compact) in _GTIN_LENGTHS:
        return identifier_from_element_strings([("01", compact.zfill(14))], compact)
    if compact.isdigit() and len(compact) == 15:
        return parse_identifier(compact)
    if GROUP_SEPARATOR in value or (value[:2].isdigit() and not value.startswith(("urn:", "http"))):
        pairs = _raw(value)
        return identifier_from_element_strings(pairs, value.replace(GROUP_SEPARATOR, "<GS>"))
    return parse_identifier(value)
