"""The Merkle log over HTTP: signed checkpoints and proofs. Public: they show hashes only, and a
partner registry checks them before it trusts anything else this registry says."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from kiik.http.deps import RegistryDep
from kiik.ledger.services.merkle_log import consistency, inclusion, publish_checkpoint

router = APIRouter(prefix="/api/log", tags=["log"])


@router.get("/checkpoint")
def checkpoint(registry: RegistryDep) -> dict[str, Any]:
    """The latest signed checkpoint: tree size, root (hex), time, key id, Ed25519 signature of `note`."""
    return publish_checkpoint(registry.uow(), registry.settings.country).to_json()


@router.get("/inclusion")
def inclusion_proof(
    registry: RegistryDep,
    event: str = Query(..., description="Event Hash ID (ni:///sha-256;...) or eventID"),
    size: int | None = Query(
        None, ge=0, le=2**62, description="tree size; the latest checkpoint's when omitted"
    ),
) -> dict[str, Any]:
    return inclusion(registry.uow(), event, size)


@router.get("/consistency")
def consistency_proof(
    registry: RegistryDep,
    from_: int = Query(..., alias="from", ge=0, le=2**62, description="the older tree size"),
    to: int = Query(..., ge=0, le=2**62, description="the newer tree size"),
) -> dict[str, Any]:
    return consistency(registry.uow(), from_, to)
