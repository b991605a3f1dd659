"""Messages between partner registries: signed JWS (RFC 7515, EdDSA), as permits are signed.

The payload names its kind, a unique id (the receiver applies each id once), sender and recipient
countries and when it was signed; `body` carries the kind's content (docs/partners.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from kiik.ledger.domain.log_checkpoint import iso
from kiik.ledger.domain.signed_documents import BadSignedDocument, SignedDocument, read_signed, sign_document

TYPE = "kiik-partner+jws"
EXPORT_NOTICE = "export-notice"
SEIZURE_ALERT = "seizure-alert"  # codes of this registry found in a partner's seizure (docs/enforcement.md)
SEIZURE_ANSWER = "seizure-answer"  # what the owning registry knows of each of those codes
KINDS = frozenset({EXPORT_NOTICE, "import-confirmation", "onward-processing", SEIZURE_ALERT, SEIZURE_ANSWER})


class MessageRefused(Exception):
    """A partner message this registry will not apply; `reason` is a short code, the text says why."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def make_message(
    kind: str,
    message_id: str,
    sender: str,
    recipient: str,
    issued_at: datetime,
    body: Mapping[str, Any],
    key_id: str,
    sign: Callable[[bytes], bytes],
) -> str:
    payload = {
        "type": kind,
        "id": message_id,
        "from": sender,
        "to": recipient,
        "issued_at": iso(issued_at),
        "body": dict(body),
    }
    return sign_document(payload, key_id, sign, TYPE)


def check_message(
    text: str,
    *,
    recipient: str,
    max_bytes: int,
    keys_of: Callable[[str], Mapping[str, str] | None],
    verify: Callable[[str, bytes, bytes], bool],
    now: datetime,
    max_age: timedelta,
) -> SignedDocument:
    """The message when it is well formed, addressed here, from a known partner, signed by one of
    that partner's keys and fresh; MessageRefused otherwise, saying which check failed."""
    if len(text.encode("utf-8", "replace")) > max_bytes:
        raise MessageRefused(
            "oversized",
            f"the message has more than {max_bytes} bytes: split the consignment into several notices",
        )
    if not text.strip():
        raise MessageRefused("unsigned", "the message is empty: send a signed JWS (header.payload.signature)")
    try:
        document = read_signed(text)
    except BadSignedDocument as exc:
        raise MessageRefused(
            "unsigned", f"the message is not a signed JWS ({exc}): sign it with your registry key"
        ) from None
    payload = document.payload
    kind, sender = payload.get("type"), str(payload.get("from", ""))
    if document.header.get("typ") != TYPE or kind not in KINDS:
        raise MessageRefused(
            "malformed", f"not a partner message (typ {document.header.get('typ')!r}, type {kind!r})"
        )
    if not payload.get("id") or not isinstance(payload.get("body"), dict):
        raise MessageRefused("malformed", "a partner message needs an id and a body")
    if payload.get("to") != recipient:
        raise MessageRefused(
            "misaddressed",
            f"the message is addressed to {payload.get('to')!r}, and this registry is {recipient!r}",
        )
    keys = keys_of(sender)
    if keys is None:
        raise MessageRefused(
            "unknown_sender",
            f"no partner registry {sender!r} is registered here: "
            "the ministry adds it with `kiik partner add`",
        )
    public = keys.get(document.key_id)
    if public is None:
        raise MessageRefused(
            "unknown_key",
            f"key {document.key_id!r} is not a key of {sender}: "
            f"refresh its keys (`kiik partner keys {sender}`)",
        )
    if not verify(public, document.signing_input, document.signature):
        raise MessageRefused(
            "bad_signature",
            f"the signature does not match the message and key {document.key_id} of {sender}: "
            "it was forged or altered on the way",
        )
    try:
        issued = datetime.fromisoformat(str(payload.get("issued_at", "")).replace("Z", "+00:00")).replace(
            tzinfo=None
        )
    except ValueError:
        raise MessageRefused("malformed", "issued_at is not an ISO 8601 time") from None
    if issued > now + timedelta(minutes=5) or issued < now - max_age:
        raise MessageRefused(
            "stale",
            f"the message was signed at {iso(issued)}, outside the {max_age.days} days accepted: "
            "an old message replayed is refused; send a fresh one",
        )
    return document
