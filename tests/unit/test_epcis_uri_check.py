"""The quick URI check accepts only what rfc3987 (jsonschema's `uri` format) accepts.

`_PLAIN_URI` lets the commonest URIs (EPC URNs, Digital Links, prefixed names) skip rfc3987; for
the schema's verdict to stay rfc3987's, every string it matches must be a URI for rfc3987 too.
"""

from __future__ import annotations

import random
import string

import pytest
from jsonschema import Draft7Validator

from kiik.epcis.adapters.schema_files import _PLAIN_URI, is_uri

CHECKER = Draft7Validator.FORMAT_CHECKER
PCHAR = "ABCxyz019-._~!$&'()*+,;=:@"
REG_NAME = "ABCxyz019-._~!$&'()*+,;="
SCHEME = "aZ9+.-"
PIECES = [
    "urn:", "http://", "https://", "//", ":", "/", "epc", "id.gs1.org", "01", "@", "%20", "%", "a", "1",
    ".", "-", "+", "[::1]", "é", " ", "\n", "?", "#", "x:y", "ni:///sha-256;", "::", "a+b-c.d:",
]  # fmt: skip
ALPHABET = string.ascii_letters + string.digits + "-._~!$&'()*+,;=:@/%?#[] \n\t\"<>\\^`{|}é\u0300"


@pytest.mark.parametrize(
    "text",
    [
        "urn:epc:id:sgtin:4870002.000001.1",
        "urn:epc:id:sgln:4870002.00000.0",
        "https://id.gs1.org/01/04870001000011/21/7",
        "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
        "kiik:species",
        "a:b//c",
    ],
)
def test_common_uris_are_accepted_quickly(text: str) -> None:
    assert _PLAIN_URI.fullmatch(text)
    assert CHECKER.conforms(text, "uri")


@pytest.mark.parametrize(
    "text", ["a b:c", "http://x?y", "https://x/%zz", "urn:x:y\n", "1a:b", ":b", "http://[::1]/", "ni:///x"]
)
def test_anything_else_is_left_to_rfc3987(text: str) -> None:
    assert not _PLAIN_URI.fullmatch(text)
    assert is_uri(text) == CHECKER.conforms(text, "uri")


def test_every_string_of_the_quick_grammar_is_an_rfc3987_uri() -> None:
    rng = random.Random(3986)
    for _ in range(20000):
        text = rng.choice("aZq") + "".join(rng.choice(SCHEME) for _ in range(rng.randint(0, 4))) + ":"
        if rng.random() < 0.5:
            text += "".join(rng.choice(PCHAR) for _ in range(rng.randint(1, 8)))
        else:
            text += "//" + "".join(rng.choice(REG_NAME) for _ in range(rng.randint(1, 8)))
        for _ in range(rng.randint(0, 3)):
            text += "/" + "".join(rng.choice(PCHAR) for _ in range(rng.randint(0, 5)))
        assert _PLAIN_URI.fullmatch(text), text
        assert CHECKER.conforms(text, "uri"), text


def test_random_strings_the_quick_check_accepts_are_rfc3987_uris() -> None:
    rng = random.Random(3987)
    accepted = 0
    for _ in range(60000):
        if rng.random() < 0.5:
            text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 8)))
        else:
            text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 20)))
        assert is_uri(text) == CHECKER.conforms(text, "uri"), text
        accepted += bool(_PLAIN_URI.fullmatch(text))
    assert accepted > 500
