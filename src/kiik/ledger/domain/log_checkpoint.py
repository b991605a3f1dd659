"""A signed checkpoint of the Merkle log: what a registry commits to about its whole history.

The signed bytes are a short text note (one field per line) so that anyone can check a checkpoint
with the published Ed25519 key and no kiik code:

    kiik-log-checkpoint/v1
    <country of the registry>
    <tree size>
    <root, 64 hex digits>
    <issued at, ISO 8601 UTC>
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

HEADER = "kiik-log-checkpoint/v1"


@dataclass(frozen=True)
class SignedCheckpoint:
    origin: str
    tree_size: int
    root: str
    issued_at: datetime
    key_id: str
    signature: str  # base64url, no padding

    def note(self) -> bytes:
        return checkpoint_note(self.origin, self.tree_size, self.root, self.issued_at)

    def to_json(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "tree_size": self.tree_size,
            "root": self.root,
            "issued_at": iso(self.issued_at),
            "key_id": self.key_id,
            "signature": self.signature,
            "note": self.note().decode("utf-8"),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SignedCheckpoint:
        try:
            issued = datetime.fromisoformat(str(data["issued_at"]).replace("Z", "+00:00")).replace(
                tzinfo=None
            )
            return cls(
                str(data["origin"]),
                int(data["tree_size"]),
                str(data["root"]),
                issued,
                str(data["key_id"]),
                str(data["signature"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(
                f"not a kiik log checkpoint ({exc}): expected origin, tree_size, root, "
                "issued_at, key_id and signature"
            ) from exc


def iso(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def checkpoint_note(origin: str, tree_size: int, root: str, issued_at: datetime) -> bytes:
    return f"{HEADER}\n{origin}\n{tree_size}\n{root}\n{iso(issued_at)}\n".encode()
