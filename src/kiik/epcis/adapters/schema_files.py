"""The EPCIS 2.0.1 JSON Schema files shipped with kiik, loaded once, and the formats they name
(`uri`, `date-time`) as plain checks that every validator of the schema shares.

Their results are cached because the same field names are checked as URIs in every event.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from jsonschema import Draft7Validator

from kiik.epcis.adapters.schema_inline import InlinedSchema


def load_schema_file(name: str) -> dict[str, Any]:
    text = resources.files("kiik.epcis.adapters").joinpath("schemas", name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


# The plainest URIs, which RFC 3986 accepts on sight: scheme ":" path-rootless (an EPC URN, a
# prefixed name such as "ex:weight"), or scheme "://" reg-name path-abempty (a Digital Link or web
# address without user, port, query, fragment or %-escapes). Every string this matches is a URI for
# rfc3987 too (tests/unit/test_epcis_uri_check.py); anything else goes to rfc3987 itself. It
# spares the 3 µs rfc3987 takes for each EPC, which unlike field names occur once.
_PCHAR = r"[A-Za-z0-9\-._~!$&'()*+,;=:@]"

_REG_NAME = r"[A-Za-z0-9\-._~!$&'()*+,;=]"

_PLAIN_URI = re.compile(rf"[A-Za-z][A-Za-z0-9+.\-]*:(?:{_PCHAR}+|//{_REG_NAME}+)(?:/{_PCHAR}*)*", re.ASCII)


def _is_uri(text: str) -> bool:
    return _PLAIN_URI.fullmatch(text) is not None or _conforms_as_uri(text)


def _format_function(name: str) -> Callable[[str], bool]:
    """What `Draft7Validator.FORMAT_CHECKER.conforms(text, name)` answers, without its wrapping."""
    function, raises = Draft7Validator.FORMAT_CHECKER.checkers[name]

    def conforms(text: str) -> bool:
        try:
            return bool(function(text))
        except raises:
            return False

    return conforms


_RFC3987_URI = _format_function("uri")

_RFC3339_DATE_TIME = _format_function("date-time")


# Field names and vocabulary URIs repeat in every event and stay in these caches; identifiers that
# occur once pass through them, so a small size is enough and memory stays bounded.
@lru_cache(maxsize=4096)
def _conforms_as_uri(text: str) -> bool:
    return _RFC3987_URI(text)


@lru_cache(maxsize=1024)
def _is_date_time(text: str) -> bool:
    return _RFC3339_DATE_TIME(text)


def is_uri(value: object) -> bool:
    """True when `value` is a string the schema accepts as a URI (RFC 3987)."""
    return isinstance(value, str) and _is_uri(value)


def format_checks() -> dict[str, Callable[[Any], bool]]:
    """The format checks of the schema, for validators other than jsonschema (strings only)."""
    return {"uri": _is_uri, "date-time": _is_date_time}


@cache
def epcis_schema() -> dict[str, Any]:
    """The EPCIS 2.0.1 JSON Schema as shipped with kiik."""
    return load_schema_file("epcis_schema.json")


@cache
def inlined_schema() -> InlinedSchema:
    """The event definitions with references resolved, for fast per-event validation."""
    return InlinedSchema(epcis_schema())
