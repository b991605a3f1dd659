"""What `kiik init` and `kiik demo` add for species rules and permits: the starting register and
the registry's signing key, each made only when absent."""

from __future__ import annotations

from kiik.bootstrap.registry import Registry
from kiik.ledger.services.signing_keys import ensure_signing_key
from kiik.species.services.register import seed_register


def prepare(registry: Registry) -> str:
    seeded = seed_register(registry.uow())
    key_id, made = ensure_signing_key(registry.uow())
    added = f"{seeded.taxa} taxa, {seeded.rules} rules, {seeded.quotas} quotas added"
    return f"species register: {added}; signing key {key_id}{' made' if made else ''}"
