"""The registry's Ed25519 signing keys, kept in `signing_keys`, and signing and checking with them.

The newest key that is not retired signs. Retired keys stay: they still verify what they signed,
and their public halves stay published. Private keys are stored base64-encoded in the database
the registry already protects; a deployment that wants them elsewhere replaces this store.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from sqlalchemy import Connection, insert, select, update

from kiik.ledger.adapters.key_files import KeyFiles
from kiik.ledger.adapters.tables import signing_keys

ALGORITHM = "Ed25519"


@dataclass(frozen=True)
class PublishedKey:
    key_id: str
    algorithm: str
    public_key: str  # raw 32 bytes, base64url without padding (the JWK "x")
    created_at: datetime
    retired_at: datetime | None

    def to_json(self) -> dict[str, object]:
        return {
            "kid": self.key_id,
            "kty": "OKP",
            "crv": ALGORITHM,
            "alg": "EdDSA",
            "x": self.public_key,
            "valid_from": self.created_at.isoformat() + "Z",
            "valid_until": self.retired_at.isoformat() + "Z" if self.retired_at else None,
        }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def verify_with(public_key: str, data: bytes, signature: bytes) -> bool:
    """Check a signature with a published public key (base64url raw bytes)."""
    try:
        Ed25519PublicKey.from_public_bytes(_unb64(public_key)).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


# What `signing_keys.private_key` holds for a key whose private half is on disk (all keys made now).
ON_DISK = ""


class SigningKeyStore:
    def __init__(self, connection: Connection, files: KeyFiles) -> None:
        self.connection = connection
        self.files = files

    def published(self) -> list[PublishedKey]:
        query = select(signing_keys).order_by(signing_keys.c.created_at, signing_keys.c.key_id)
        return [
            PublishedKey(r.key_id, r.algorithm, r.public_key, r.created_at, r.retired_at)
            for r in self.connection.execute(query)
        ]

    def current_id(self) -> str | None:
        query = (
            select(signing_keys.c.key_id)
            .where(signing_keys.c.retired_at.is_(None))
            .order_by(signing_keys.c.created_at.desc(), signing_keys.c.key_id.desc())
            .limit(1)
        )
        return self.connection.scalar(query)

    def create(self) -> str:
        """Make a new key; its id is the first bytes of the public key's SHA-256 (a message names
        its sending registry itself, so the id names no country: a default country here once gave
        every registry's keys a "kz-" id)."""
        private = Ed25519PrivateKey.generate()
        public_raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        private_raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        key_id = f"key-{hashlib.sha256(public_raw).hexdigest()[:16]}"
        self.files.write(key_id, private_raw)  # on disk first: a key row always has its secret
        self.connection.execute(
            insert(signing_keys).values(
                key_id=key_id,
                algorithm=ALGORITHM,
                public_key=_b64(public_raw),
                private_key=ON_DISK,
                created_at=_now(),
            )
        )
        return key_id

    def move_to_disk(self) -> list[str]:
        """Move private halves still kept in the database (registries made before keys went to disk)
        into the key folder; the ids of the keys moved."""
        kept = select(signing_keys.c.key_id, signing_keys.c.private_key).where(
            signing_keys.c.private_key != ON_DISK
        )
        moved = []
        for key_id, secret in list(self.connection.execute(kept)):
            self.files.write(key_id, _unb64(secret))
            self.connection.execute(
                update(signing_keys).where(signing_keys.c.key_id == key_id).values(private_key=ON_DISK)
            )
            moved.append(key_id)
        return moved

    def ensure(self) -> tuple[str, bool]:
        """The signing key id, made when there is none; True when it was made now."""
        current = self.current_id()
        if current is not None:
            return current, False
        return self.create(), True

    def rotate(self) -> tuple[str, str | None]:
        """A new signing key; the previous one is retired (it still verifies what it signed)."""
        previous = self.current_id()
        new = self.create()
        if previous is not None:
            self.connection.execute(
                update(signing_keys).where(signing_keys.c.key_id == previous).values(retired_at=_now())
            )
        return new, previous

    def sign(self, data: bytes) -> tuple[str, bytes]:
        key_id, _ = self.ensure()
        return key_id, Ed25519PrivateKey.from_private_bytes(self.files.read(key_id)).sign(data)

    def public_key(self, key_id: str) -> str | None:
        return self.connection.scalar(
            select(signing_keys.c.public_key).where(signing_keys.c.key_id == key_id)
        )

    def verify(self, key_id: str, data: bytes, signature: bytes) -> bool:
        public = self.public_key(key_id)
        return public is not None and verify_with(public, data, signature)
