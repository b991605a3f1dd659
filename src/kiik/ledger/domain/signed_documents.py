"""Signed documents in JWS compact form (RFC 7515) with Ed25519 ("EdDSA", RFC 8037).

`header.payload.signature`, each part base64url without padding; the header names the algorithm
and the registry's key id (`kid`), the payload is the document as canonical JSON (keys sorted, no
spaces, UTF-8). The signature covers the ASCII bytes of `header.payload`. Anyone holding the
registry's public key (GET /api/keys) can check it offline: see docs/permits.md.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

ALGORITHM = "EdDSA"
TYPE = "kiik-permit+jws"


class BadSignedDocument(ValueError):
    """Text that is not a signed document kiik can read."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise BadSignedDocument(f"not base64url: {exc}") from exc


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class SignedDocument:
    header: dict[str, Any]
    payload: dict[str, Any]
    signing_input: bytes
    signature: bytes

    @property
    def key_id(self) -> str:
        return str(self.header.get("kid", ""))


def sign_document(
    payload: Mapping[str, Any], key_id: str, sign: Callable[[bytes], bytes], doc_type: str = TYPE
) -> str:
    header = {"alg": ALGORITHM, "kid": key_id, "typ": doc_type}
    signing_input = f"{b64url(canonical_json(header))}.{b64url(canonical_json(dict(payload)))}"
    return f"{signing_input}.{b64url(sign(signing_input.encode('ascii')))}"


def read_signed(text: str) -> SignedDocument:
    parts = text.strip().split(".")
    if len(parts) != 3:
        raise BadSignedDocument("a signed document has three parts separated by dots (JWS compact form)")
    try:
        header = json.loads(b64url_decode(parts[0]))
        payload = json.loads(b64url_decode(parts[1]))
    except ValueError as exc:
        raise BadSignedDocument(f"the header or payload is not JSON: {exc}") from exc
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise BadSignedDocument("the header and payload must be JSON objects")
    if header.get("alg") != ALGORITHM:
        raise BadSignedDocument(f"unsupported algorithm {header.get('alg')!r}: kiik signs with EdDSA")
    return SignedDocument(header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), b64url_decode(parts[2]))
