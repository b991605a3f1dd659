"""Checking a partner registry's log: each new signed checkpoint must be signed by one of the
partner's keys and be consistent (RFC 9162 §2.1.4) with the last checkpoint kept from it."""

from __future__ import annotations

from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.errors import NotFound
from kiik.ledger.domain import merkle
from kiik.ledger.domain.log_checkpoint import SignedCheckpoint
from kiik.ledger.services.merkle_log import unb64
from kiik.ledger.services.signing_port import Verifier
from kiik.partners.services.registries import PartnerClient


class HistoryRewritten(Exception):
    """The partner's log does not extend what it signed before: its history was changed."""


def check_partner_log(
    uow: UnitOfWork, country: str, client: PartnerClient, verify: Verifier
) -> dict[str, Any]:
    with uow:
        store: Any = uow.partners  # type: ignore[attr-defined]
        partner = store.by_country(country.upper())
        if partner is None:
            raise NotFound(f"no partner {country}: add it with `kiik partner add`")
        kept = store.latest_checkpoint(partner.id)
    new = SignedCheckpoint.from_json(client.checkpoint(partner.base_url))
    public = partner.keys.get(new.key_id)
    if public is None or not verify(public, new.note(), unb64(new.signature)):
        raise HistoryRewritten(f"the checkpoint of {country} is not signed by a key of {country}: refuse it")
    if kept is not None:
        if new.tree_size < kept.tree_size:
            raise HistoryRewritten(f"{country}'s log shrank from {kept.tree_size} to {new.tree_size} events")
        proof = client.consistency(partner.base_url, kept.tree_size, new.tree_size)
        if not merkle.verify_consistency(
            kept.tree_size,
            new.tree_size,
            bytes.fromhex(kept.root),
            bytes.fromhex(new.root),
            [bytes.fromhex(p) for p in proof["proof"]],
        ):
            raise HistoryRewritten(
                f"{country}'s log of {new.tree_size} events does not extend the {kept.tree_size} events it "
                f"signed on {kept.issued_at:%Y-%m-%d %H:%M}: its history was rewritten; tell its ministry"
            )
    with uow:
        uow.partners.keep_checkpoint(partner.id, new)  # type: ignore[attr-defined]
        uow.commit()
    return {
        "country": country,
        "tree_size": new.tree_size,
        "root": new.root,
        "consistent_with": kept and kept.tree_size,
    }
