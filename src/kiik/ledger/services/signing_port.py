"""Checking an Ed25519 signature with a published key: (public key, signed bytes, signature) -> ok."""

from __future__ import annotations

from collections.abc import Callable

Verifier = Callable[[str, bytes, bytes], bool]
