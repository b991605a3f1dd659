"""EPC pure-identity, class and pattern URNs (GS1 EPC Tag Data Standard) read as GS1 AI values.

`urn:epc:id:sgtin:4870001.000001.7` is the GTIN 04870001000011 with serial 7: the URN splits the
GS1 key at the company prefix and leaves out the check digit, which is recomputed here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from kiik.epcis.domain.gs1_keys import InvalidIdentifier, is_cset82, percent_decode, with_check_digit
from kiik.errors import N_, Wording

EPC_PREFIXES = ("urn:epc:id:", "urn:epc:class:", "urn:epc:idpat:")


class KeyParts(NamedTuple):
    """A GS1 key as (AI, value) pairs, key first, with what the spelling told about it."""

    kind: str
    pairs: list[tuple[str, str]]
    is_class: bool
    company_prefix: str | None = None


# The parts of an EPC URN, as its messages name them (marked for the pages' catalogs).
COMPANY_PREFIX = N_("company prefix")
ITEM_REFERENCE = N_("indicator digit and item reference")
SERIAL_NUMBER = N_("serial number")
LOT_NUMBER = N_("lot number")
SERIAL_REFERENCE = N_("extension digit and serial reference")
LOCATION_REFERENCE = N_("location reference")
GLN_EXTENSION = N_("GLN extension")
ASSET_TYPE = N_("asset type")
DOCUMENT_TYPE = N_("document type")
COUPON_REFERENCE = N_("coupon reference")
REFERENCE = N_("reference")
PART_REFERENCE = N_("component/part reference")
PIECE_NUMBER = N_("piece number")
TOTAL_COUNT = N_("total count")
THIRD_PARTY_SERIAL = N_("third-party serial (TPX)")


def _fail(urn: str, reason: Wording) -> InvalidIdentifier:
    return InvalidIdentifier(N_("%(reason)s in %(urn)s", reason=reason, urn=urn))


def _digits(urn: str, part: str, what: Wording) -> str:
    if not (part.isdigit() and part.isascii()):
        raise _fail(urn, N_("%(what)s %(part)s must be digits only", what=what, part=repr(part)))
    return part


def _company_prefix(urn: str, part: str, strict: bool) -> str:
    _digits(urn, part, COMPANY_PREFIX)
    if strict and not 6 <= len(part) <= 12:
        raise InvalidIdentifier(
            N_(
                "company prefix %(prefix)s in %(urn)s has %(count)s digits; a GS1 company prefix has 6 to 12 "
                "digits",
                prefix=part,
                urn=urn,
                count=len(part),
            )
        )
    return part


def _joined(urn: str, cp: str, ref: str, total: int, what: Wording) -> str:
    if ref:  # an empty reference is allowed when the company prefix fills all the digits
        _digits(urn, ref, what)
    if len(cp) + len(ref) != total:
        raise InvalidIdentifier(
            N_(
                "wrong length in %(urn)s: company prefix and %(what)s must have %(total)s digits together, "
                "got %(count)s",
                urn=urn,
                what=what,
                total=total,
                count=len(cp) + len(ref),
            )
        )
    return cp + ref


def _text(urn: str, part: str, what: Wording, limit: int, strict: bool, *, required: bool = True) -> str:
    value = percent_decode(part)
    if required and not value:
        raise _fail(urn, N_("the %(what)s is missing", what=what))
    if len(value) > limit:
        raise InvalidIdentifier(
            N_("wrong length: the %(what)s may have at most %(limit)s characters", what=what, limit=limit)
        )
    if strict and not is_cset82(value):
        bad = " ".join(sorted({repr(c) for c in value if not is_cset82(c)}))
        raise InvalidIdentifier(
            N_(
                "the %(what)s in %(urn)s has characters GS1 does not allow (%(bad)s); "
                "write reserved characters percent-encoded, e.g. %%2F for /",
                what=what,
                urn=urn,
                bad=bad,
            )
        )
    return value


def _gtin(urn: str, cp: str, indicator_and_item: str) -> str:
    _joined(urn, cp, indicator_and_item, 13, ITEM_REFERENCE)
    return with_check_digit(indicator_and_item[0] + cp + indicator_and_item[1:])


def _sgtin(urn: str, f: list[str], strict: bool) -> KeyParts:
    cp = _company_prefix(urn, f[0], strict)
    serial = _text(urn, f[2], SERIAL_NUMBER, 20, strict)
    return KeyParts("sgtin", [("01", _gtin(urn, cp, f[1])), ("21", serial)], False, cp)


def _lgtin(urn: str, f: list[str], strict: bool) -> KeyParts:
    cp = _company_prefix(urn, f[0], strict)
    lot = _text(urn, f[2], LOT_NUMBER, 20, strict)
    return KeyParts("lgtin", [("01", _gtin(urn, cp, f[1])), ("10", lot)], True, cp)


def _sscc(urn: str, f: list[str], strict: bool) -> KeyParts:
    cp = _company_prefix(urn, f[0], strict)
    _joined(urn, cp, f[1], 17, SERIAL_REFERENCE)
    return KeyParts("sscc", [("00", with_check_digit(f[1][0] + cp + f[1][1:]))], False, cp)


def _gln_key(kind: str, ai: str) -> Callable[[str, list[str], bool], KeyParts]:
    def parse(urn: str, f: list[str], strict: bool) -> KeyParts:
        cp = _company_prefix(urn, f[0], strict)
        gln = with_check_digit(_joined(urn, cp, f[1], 12, LOCATION_REFERENCE))
        pairs = [(ai, gln)]
        if kind == "sgln":
            extension = _text(urn, f[2], GLN_EXTENSION, 20, strict)
            if extension != "0":
                pairs.append(("254", extension))
        return KeyParts(kind, pairs, False, cp)

    return parse


def _twelve_plus_serial(
    kind: str, ai: str, what: Wording, limit: int, numeric: bool = False
) -> Callable[[str, list[str], bool], KeyParts]:
    """GRAI, GDTI and GCN: 12 digits, a check digit, then an optional serial."""

    def parse(urn: str, f: list[str], strict: bool) -> KeyParts:
        cp = _company_prefix(urn, f[0], strict)
        key = with_check_digit(_joined(urn, cp, f[1], 12, what))
        serial = _text(urn, f[2], SERIAL_NUMBER, limit, strict, required=False)
        if numeric and serial and not serial.isdigit():
            raise _fail(urn, N_("the serial number %(serial)s must be digits only", serial=repr(serial)))
        prefix = "0" if ai == "8003" else ""
        return KeyParts(kind, [(ai, prefix + key + serial)], not serial, cp)

    return parse


def _service_key(kind: str, ai: str, total: int) -> Callable[[str, list[str], bool], KeyParts]:
    def parse(urn: str, f: list[str], strict: bool) -> KeyParts:
        cp = _company_prefix(urn, f[0], strict)
        return KeyParts(kind, [(ai, with_check_digit(_joined(urn, cp, f[1], total, REFERENCE)))], False, cp)

    return parse


def _free_key(kind: str, ai: str) -> Callable[[str, list[str], bool], KeyParts]:
    """GIAI and GINC: the company prefix followed by free text, 30 characters at most."""

    def parse(urn: str, f: list[str], strict: bool) -> KeyParts:
        cp = _company_prefix(urn, f[0], strict)
        reference = _text(urn, f[1], REFERENCE, 30 - len(cp), strict)
        return KeyParts(kind, [(ai, cp + reference)], False, cp)

    return parse


def _cpi(urn: str, f: list[str], strict: bool) -> KeyParts:
    cp = _company_prefix(urn, f[0], strict)
    reference = _text(urn, f[1], PART_REFERENCE, 30 - len(cp), strict)
    serial = _text(urn, f[2], SERIAL_NUMBER, 12, strict)
    if not serial.isdigit():
        raise _fail(urn, N_("the CPI serial number %(serial)s must be digits only", serial=repr(serial)))
    return KeyParts("cpi", [("8010", cp + reference), ("8011", serial)], False, cp)


def _itip(urn: str, f: list[str], strict: bool) -> KeyParts:
    cp = _company_prefix(urn, f[0], strict)
    piece, total = _digits(urn, f[2], PIECE_NUMBER), _digits(urn, f[3], TOTAL_COUNT)
    if len(piece) != 2 or len(total) != 2:
        raise _fail(urn, N_("piece and total must have two digits each"))
    serial = _text(urn, f[4], SERIAL_NUMBER, 20, strict)
    return KeyParts("itip", [("8006", _gtin(urn, cp, f[1]) + piece + total), ("21", serial)], False, cp)


def _upui(urn: str, f: list[str], strict: bool) -> KeyParts:
    cp = _company_prefix(urn, f[0], strict)
    tpx = _text(urn, f[2], THIRD_PARTY_SERIAL, 28, strict)
    return KeyParts("upui", [("01", _gtin(urn, cp, f[1])), ("235", tpx)], False, cp)


# scheme -> (number of dot-separated fields, parser)
_ID_SCHEMES: dict[str, tuple[int, Callable[[str, list[str], bool], KeyParts]]] = {
    "sgtin": (3, _sgtin),
    "sscc": (2, _sscc),
    "sgln": (3, _gln_key("sgln", "414")),
    "pgln": (2, _gln_key("pgln", "417")),
    "grai": (3, _twelve_plus_serial("grai", "8003", ASSET_TYPE, 16)),
    "gdti": (3, _twelve_plus_serial("gdti", "253", DOCUMENT_TYPE, 17)),
    "sgcn": (3, _twelve_plus_serial("gcn", "255", COUPON_REFERENCE, 12, numeric=True)),
    "giai": (2, _free_key("giai", "8004")),
    "ginc": (2, _free_key("ginc", "401")),
    "gsrn": (2, _service_key("gsrn", "8018", 17)),
    "gsrnp": (2, _service_key("gsrnp", "8017", 17)),
    "gsin": (2, _service_key("gsin", "402", 16)),
    "cpi": (3, _cpi),
    "itip": (5, _itip),
    "upui": (3, _upui),
}

# Patterns whose only wildcard is the serial: they name a class, i.e. the key without its serial.
_PATTERN_SCHEMES = frozenset({"sgtin", "grai", "gdti", "sgcn", "cpi", "itip"})


def _pattern(urn: str, scheme: str, fields: list[str], strict: bool) -> KeyParts:
    if scheme not in _PATTERN_SCHEMES or fields[-1] != "*" or "*" in fields[:-1]:
        raise InvalidIdentifier(
            N_(
                "the EPC pattern %(urn)s cannot be read as one class; only patterns whose last part is * "
                "(for sgtin, grai, gdti, sgcn, cpi, itip) name a class",
                urn=urn,
            )
        )
    count, parse = _ID_SCHEMES[scheme]
    if len(fields) != count:
        raise _fail(
            urn,
            N_(
                "an EPC %(scheme)s pattern has %(count)s dot-separated parts, got %(got)s",
                scheme=scheme,
                count=count,
                got=len(fields),
            ),
        )
    if scheme in ("sgtin", "itip", "cpi"):
        filler = {"sgtin": "1", "itip": "1", "cpi": "1"}[scheme]
        parts = parse(urn, fields[:-1] + [filler], strict)
        key_ai, key_value = parts.pairs[0]
        kind = "gtin" if scheme == "sgtin" else parts.kind
        return KeyParts(kind, [(key_ai, key_value)], True, parts.company_prefix)
    parts = parse(urn, fields[:-1] + [""], strict)
    return KeyParts(parts.kind, parts.pairs, True, parts.company_prefix)


def parse_epc_urn(urn: str, *, strict: bool = True) -> KeyParts:
    """The GS1 key an EPC URN names. Raises InvalidIdentifier with the reason when it names none.

    With `strict=False` the character set of serials and the company prefix length are not checked
    (the Event Hash ID converts whatever is convertible).
    """
    if urn.startswith("urn:epc:id:"):
        family, rest = "id", urn[11:]
    elif urn.startswith("urn:epc:class:"):
        family, rest = "class", urn[14:]
    elif urn.startswith("urn:epc:idpat:"):
        family, rest = "idpat", urn[14:]
    else:
        raise InvalidIdentifier(
            N_("%(urn)s is not an EPC URN (urn:epc:id:..., urn:epc:class:... or urn:epc:idpat:...)", urn=urn)
        )
    scheme, _, body = rest.partition(":")
    # The last part (serial, lot, extension) may itself contain dots: split only as often as needed.
    count = 3 if family == "class" else _ID_SCHEMES[scheme][0] if scheme in _ID_SCHEMES else 0
    fields = body.split(".", count - 1) if count else [body]
    if family == "class":
        if scheme != "lgtin":
            raise InvalidIdentifier(
                N_(
                    "unknown EPC class scheme %(scheme)s in %(urn)s; kiik reads urn:epc:class:lgtin",
                    scheme=repr(scheme),
                    urn=urn,
                )
            )
        if len(fields) != 3:
            raise _fail(
                urn,
                N_(
                    "an LGTIN has 3 dot-separated parts (company prefix, item, lot), got %(got)s",
                    got=len(fields),
                ),
            )
        return _lgtin(urn, fields, strict)
    if scheme not in _ID_SCHEMES:
        raise InvalidIdentifier(
            N_(
                "unknown EPC scheme %(scheme)s in %(urn)s; kiik reads %(schemes)s",
                scheme=repr(scheme),
                urn=urn,
                schemes=", ".join(sorted(_ID_SCHEMES)),
            )
        )
    if family == "idpat":
        return _pattern(urn, scheme, fields, strict)
    count, parse = _ID_SCHEMES[scheme]
    if len(fields) != count:
        raise _fail(
            urn,
            N_(
                "an EPC %(scheme)s has %(count)s dot-separated parts, got %(got)s",
                scheme=scheme.upper(),
                count=count,
                got=len(fields),
            ),
        )
    return parse(urn, fields, strict)
