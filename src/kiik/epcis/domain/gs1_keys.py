"""GS1 keys as the General Specifications define them: check digits, lengths and character sets.

Everything here is about one GS1 application identifier (AI) value at a time; the spellings that
carry these values (EPC URNs, GS1 Digital Link URIs, element strings) live in their own modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kiik.errors import N_

CANONICAL_HOST = "https://id.gs1.org"

# A free-text part too long, after the key's digits or as the whole value.
TAIL_TOO_LONG = N_(
    "wrong length for %(key)s (%(ai)s) %(value)s: the part after the digits may have at most %(limit)s "
    "characters, got %(count)s"
)
VALUE_TOO_LONG = N_(
    "wrong length for %(key)s (%(ai)s) %(value)s: it may have at most %(limit)s characters, got %(count)s"
)


class InvalidIdentifier(ValueError):
    """An identifier that cannot be accepted; the message (a kiik.errors.Wording: English in the API
    and the EPCIS error bodies, translated on a page) says what is wrong and how to fix it."""


# GS1 AI encodable character set 82 (General Specifications, figure 7.11-1).
_CSET82 = re.compile(r"[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*")
# Character set 39, used by component/part identifiers (AI 8010).
_CSET39 = re.compile(r"[#\-/0-9A-Z]*")


@dataclass(frozen=True)
class KeyRule:
    """The shape of one AI value: its name, its digits, and the check digit it carries."""

    name: str
    digits: int = 0  # fixed count of leading digits (0: none)
    check_at: int = 0  # 1-based position of the check digit within those digits (0: none)
    tail: int = 0  # maximum length of a free-text part after the digits (0: none)
    tail_numeric: bool = False
    tail_cset39: bool = False
    first_digit_zero: bool = False


# Primary keys and key qualifiers that a canonical GS1 Digital Link URI may carry.
KEY_RULES: dict[str, KeyRule] = {
    "00": KeyRule("SSCC", digits=18, check_at=18),
    "01": KeyRule("GTIN", digits=14, check_at=14),
    "253": KeyRule("GDTI", digits=13, check_at=13, tail=17),
    "255": KeyRule("GCN", digits=13, check_at=13, tail=12, tail_numeric=True),
    "401": KeyRule("GINC", tail=30),
    "402": KeyRule("GSIN", digits=17, check_at=17),
    "414": KeyRule("GLN", digits=13, check_at=13),
    "417": KeyRule(N_("party GLN"), digits=13, check_at=13),
    "8003": KeyRule("GRAI", digits=14, check_at=14, tail=16, first_digit_zero=True),
    "8004": KeyRule("GIAI", tail=30),
    "8006": KeyRule("ITIP", digits=18, check_at=14),
    "8010": KeyRule("CPID", tail=30, tail_cset39=True),
    "8013": KeyRule("GMN", tail=25),
    "8017": KeyRule("GSRN-P", digits=18, check_at=18),
    "8018": KeyRule("GSRN", digits=18, check_at=18),
    "10": KeyRule(N_("batch/lot number"), tail=20),
    "21": KeyRule(N_("serial number"), tail=20),
    "22": KeyRule(N_("consumer product variant"), tail=20),
    "235": KeyRule(N_("third-party serial (TPX)"), tail=28),
    "254": KeyRule(N_("GLN extension"), tail=20),
    "8011": KeyRule(N_("CPID serial number"), tail=12, tail_numeric=True),
    "7040": KeyRule(N_("GS1 UIC with extension"), tail=4),
}

# Which qualifiers each primary key may carry in a Digital Link path, in their canonical order.
QUALIFIERS: dict[str, tuple[str, ...]] = {
    "01": ("22", "10", "21", "235"),
    "414": ("254", "7040"),
    "8006": ("22", "10", "21"),
    "8010": ("8011",),
    "00": (),
    "253": (),
    "255": (),
    "401": (),
    "402": (),
    "417": (),
    "8003": (),
    "8004": (),
    "8013": (),
    "8017": (),
    "8018": (),
}


def check_digit(digits: str) -> str:
    """The GS1 mod-10 check digit for `digits` (weights 3, 1, 3, ... from the right)."""
    total = 3 * sum(map(int, digits[-1::-2])) + sum(map(int, digits[-2::-2]))
    return str(-total % 10)


@lru_cache(maxsize=4096)
def with_check_digit(digits: str) -> str:
    """`digits` followed by their check digit (cached: a registry sees few distinct GTINs and GLNs)."""
    return digits + check_digit(digits)


def is_cset82(text: str) -> bool:
    return _CSET82.fullmatch(text) is not None


def validate_value(ai: str, value: str, *, shown: str | None = None) -> None:
    """Raise InvalidIdentifier if `value` is not a well-formed value of `ai`.

    `shown` is how the value appears in the message (defaults to the value itself).
    """
    rule = KEY_RULES[ai]
    shown = value if shown is None else shown
    head, tail = value[: rule.digits], value[rule.digits :]
    if rule.digits:
        if not rule.tail and (not value.isdigit() or not value.isascii()):
            raise InvalidIdentifier(
                N_("%(key)s (%(ai)s) %(value)s must be digits only", key=rule.name, ai=ai, value=shown)
            )
        if not rule.tail and len(value) != rule.digits:
            raise InvalidIdentifier(
                N_(
                    "wrong length for %(key)s (%(ai)s) %(value)s: expected %(digits)s digits, got %(count)s",
                    key=rule.name,
                    ai=ai,
                    value=shown,
                    digits=rule.digits,
                    count=len(value),
                )
            )
        if len(head) < rule.digits or not head.isdigit() or not head.isascii():
            raise InvalidIdentifier(
                N_(
                    "wrong length for %(key)s (%(ai)s) %(value)s: it must start with %(digits)s digits",
                    key=rule.name,
                    ai=ai,
                    value=shown,
                    digits=rule.digits,
                )
            )
        if rule.first_digit_zero and head[0] != "0":
            raise InvalidIdentifier(
                N_(
                    "%(key)s (%(ai)s) %(value)s must start with the digit 0",
                    key=rule.name,
                    ai=ai,
                    value=shown,
                )
            )
        if rule.check_at:
            body = head[: rule.check_at - 1]
            expected, got = check_digit(body), head[rule.check_at - 1]
            if expected != got:
                key = head[: rule.check_at]
                raise InvalidIdentifier(
                    N_(
                        "wrong check digit in %(key)s %(value)s: expected %(expected)s, got %(got)s",
                        key=rule.name,
                        value=key,
                        expected=expected,
                        got=got,
                    )
                )
    if not rule.tail:
        if tail:
            raise InvalidIdentifier(
                N_(
                    "wrong length for %(key)s (%(ai)s) %(value)s: expected exactly %(digits)s digits, "
                    "got %(count)s characters",
                    key=rule.name,
                    ai=ai,
                    value=shown,
                    digits=rule.digits,
                    count=len(value),
                )
            )
        return
    if len(tail) > rule.tail:
        template = TAIL_TOO_LONG if rule.digits else VALUE_TOO_LONG
        raise InvalidIdentifier(
            template.filled(key=rule.name, ai=ai, value=shown, limit=rule.tail, count=len(tail))
        )
    if not rule.digits and not tail:
        raise InvalidIdentifier(N_("empty %(key)s (%(ai)s): a value is required", key=rule.name, ai=ai))
    if rule.tail_numeric and not (tail.isdigit() and tail.isascii()) and tail:
        raise InvalidIdentifier(
            N_(
                "%(key)s (%(ai)s) %(value)s: the serial part must be digits only",
                key=rule.name,
                ai=ai,
                value=shown,
            )
        )
    if rule.tail_cset39:
        if _CSET39.fullmatch(tail) is None:
            raise InvalidIdentifier(
                N_(
                    "%(key)s (%(ai)s) %(value)s has characters outside GS1 set 39 (digits, capitals, # - /)",
                    key=rule.name,
                    ai=ai,
                    value=shown,
                )
            )
    elif not is_cset82(tail):
        bad = sorted({c for c in tail if not is_cset82(c)})
        raise InvalidIdentifier(
            N_(
                "%(key)s (%(ai)s) %(value)s has characters GS1 does not allow: %(bad)s; only the 82 "
                "characters of GS1 set 82 (letters, digits and !\"%%&'()*+,-./:;<=>?_) may be used",
                key=rule.name,
                ai=ai,
                value=shown,
                bad=" ".join(map(repr, bad)),
            )
        )
    if ai == "8006":
        piece, total = int(value[14:16]), int(value[16:18])
        if not 0 < piece <= total:
            raise InvalidIdentifier(
                N_(
                    "ITIP (8006) %(value)s: piece %(piece)s of %(total)s is impossible",
                    value=shown,
                    piece=piece,
                    total=total,
                )
            )


def normalise_gtin(value: str) -> str:
    """A GTIN-8, -12 or -13 written with leading zeros to the 14 digits that GS1 keys use."""
    if value.isdigit() and len(value) in (8, 12, 13):
        return value.zfill(14)
    return value


# Characters that a Digital Link path segment carries percent-encoded (the rest of set 82 is literal).
_ENCODED = {c: f"%{ord(c):02X}" for c in '!"#%&()*+,/:<>?'}
_NEEDS_ENCODING = re.compile("[" + re.escape("".join(_ENCODED)) + r"\s\x80-\U0010ffff]")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")


def percent_decode(text: str) -> str:
    if "%" not in text:
        return text
    return _PERCENT.sub(lambda m: chr(int(m.group(1), 16)), text)


def percent_encode(text: str) -> str:
    if _NEEDS_ENCODING.search(text) is None:
        return text
    return "".join(_ENCODED.get(c) or (c if c.isascii() and not c.isspace() else _utf8(c)) for c in text)


def _utf8(char: str) -> str:
    return "".join(f"%{b:02X}" for b in char.encode("utf-8"))


def digital_link(pairs: list[tuple[str, str]]) -> str:
    """The Digital Link URI on id.gs1.org for (AI, value) pairs already in canonical order."""
    return CANONICAL_HOST + "".join(f"/{ai}/{percent_encode(value)}" for ai, value in pairs)
