"""Two registries on loopback ports, Kazakhstan (SQLite) and China (its own SQLite file): the export
notice through the outbox while the partner is down, delivered later and applied once; a forged
signature refused; the partner's check of the exporter's log catching a rewritten history."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.epcis.adapters.reader import validate_event
from kiik.ledger.adapters.signing import verify_with
from kiik.ledger.domain import merkle
from kiik.ledger.domain.log_checkpoint import SignedCheckpoint
from kiik.ledger.services.log_verification import verify_log
from kiik.partners.adapters.client import HttpPartnerClient
from kiik.partners.services.delivery import deliver_outbox
from kiik.partners.services.log_check import HistoryRewritten, check_partner_log
from kiik.partners.services.registries import add_partner
from kiik.permits.services.application import ApplyForPermit, apply_for_permit
from kiik.permits.services.decisions import IssuePermit, issue_permit
from kiik.permits.services.endorsement import EndorseExport, endorse_export
from tests.support.browser import served
from tests.support.partner import china_world, registry_at
from tests.support.season import open_register, small_season
from tests.support.world import make_world


@pytest.fixture
def two(tmp_path: Path) -> Iterator[dict[str, Any]]:
    kz, cn = registry_at(tmp_path / "kz.db", "KZ"), registry_at(tmp_path / "cn.db", "CN")
    china_world(cn)  # the notice registers the items as shipped to China's customs
    with served(create_app(kz)) as kz_url:
        yield {"kz": kz, "cn": cn, "kz_url": kz_url, "tmp": tmp_path}
    kz.engine.dispose()
    cn.engine.dispose()


def export_season(kz: Registry) -> str:
    world = make_world(kz)
    open_register(kz, world, cap=100.0)
    season = small_season(kz, world)
    lots = list(season.lots)[:2]
    applied = apply_for_permit(
        kz.uow(), world["trader"].principal, ApplyForPermit(lots, "Tongrentang Import Co.", "CN", "Beijing")
    )
    permit = issue_permit(kz.uow(), world["ministry"].principal, IssuePermit(applied.id))
    endorse_export(
        kz.uow(),
        world["customs"].principal,
        EndorseExport(str(permit.number), lots),
        validate_event,
        custody_rules=True,
        yields={},
    )
    return str(permit.number)


def outbox(registry: Registry) -> list[Any]:
    with registry.uow() as uow:
        return list(uow.partners.outbox())


def test_notice_survives_the_partner_being_down_and_is_applied_once(two) -> None:  # type: ignore[no-untyped-def]
    kz, cn, kz_url = two["kz"], two["cn"], two["kz_url"]
    client = HttpPartnerClient(timeout=2)
    cn_app = create_app(cn)
    with served(cn_app) as cn_url:
        # Each registry registers the other from its published keys.
        add_partner(kz.uow(), None, "CN", "China wildlife registry", cn_url, client=client)
        add_partner(cn.uow(), None, "KZ", "Kazakhstan kiik", kz_url, client=client)
    # China is down now (its server stopped): the export is endorsed, the notice waits in the outbox.
    number = export_season(kz)
    [queued] = outbox(kz)
    assert queued.permit_number == number and queued.delivered_at is None
    report = deliver_outbox(kz.uow, client, force=True)
    assert report.failed and not report.delivered
    [waiting] = outbox(kz)
    assert waiting.attempts == 1 and waiting.last_error and waiting.next_attempt_at > waiting.created_at

    # China is back on another port: its address is updated, delivery goes through, once.
    with served(cn_app) as cn_url:
        with kz.uow() as uow:
            partner_id = uow.partners.by_country("CN").id
            uow.partners.set_url(partner_id, cn_url)
            uow.commit()
        assert deliver_outbox(kz.uow, client, force=True).delivered == [queued.message_id]
        assert deliver_outbox(kz.uow, client, force=True).delivered == []  # nothing left
        # A second delivery of the same message (the acknowledgement was lost) is applied once.
        again = httpx.post(f"{cn_url}/api/partner/messages", content=queued.message)
        assert again.status_code == 200 and again.json()["status"] == "already applied"
        with cn.uow() as uow:
            [applied] = uow.partners.inbox("export-notice")
        payload = json.loads(base64.urlsafe_b64decode(applied.message.split(".")[1] + "=="))
        assert payload["body"]["permit"]["number"] == number
        assert payload["body"]["permit"]["used_kg"] > 0
        types = {e["type"] for e in payload["body"]["events"]}
        assert {"ObjectEvent", "TransformationEvent"} <= types  # the lots' history back to the horns
        assert any(e.get("bizStep", "").endswith("commissioning") for e in payload["body"]["events"])

        # A forged message: the notice with a changed payload and the original signature.
        header, body, signature = queued.message.split(".")
        forged_payload = json.loads(base64.urlsafe_b64decode(body + "=="))
        forged_payload["id"] = "urn:uuid:forged"
        forged_payload["body"]["permit"]["used_kg"] = 1.0
        forged_body = base64.urlsafe_b64encode(json.dumps(forged_payload).encode()).rstrip(b"=").decode()
        forged = httpx.post(f"{cn_url}/api/partner/messages", content=f"{header}.{forged_body}.{signature}")
        assert forged.status_code == 403 and forged.json()["reason"] == "bad_signature"
        unsigned = httpx.post(f"{cn_url}/api/partner/messages", content="{}")
        assert unsigned.status_code == 400 and unsigned.json()["reason"] == "unsigned"
        oversized = httpx.post(
            f"{cn_url}/api/partner/messages", content="x" * (cn.settings.max_partner_message_bytes + 1)
        )
        assert oversized.status_code == 413
        with cn.uow() as uow:
            assert len(uow.partners.inbox()) == 1


def test_a_rewritten_history_is_caught_by_verify_log_and_by_the_partner(two) -> None:  # type: ignore[no-untyped-def]
    kz, cn, kz_url = two["kz"], two["cn"], two["kz_url"]
    client = HttpPartnerClient(timeout=5)
    add_partner(cn.uow(), None, "KZ", "Kazakhstan kiik", kz_url, client=client)
    export_season(kz)
    assert check_partner_log(cn.uow(), "KZ", client, verify_with)["consistent_with"] is None
    with kz.uow() as uow:
        keys = {k.key_id: k.public_key for k in uow.keys.published()}
    # The partner keeps a checkpoint it verified with the published key.
    seen = SignedCheckpoint.from_json(client.checkpoint(kz_url))
    from kiik.ledger.services.merkle_log import unb64

    assert verify_with(keys[seen.key_id], seen.note(), unb64(seen.signature))
    assert verify_log(kz.uow()).intact
    # Someone edits an event by SQL and rebuilds the log so that it matches the edited events.
    with kz.engine.begin() as connection:
        row = connection.execute(text("SELECT id, body FROM events ORDER BY id LIMIT 1 OFFSET 1")).one()
        body = json.loads(row.body) if isinstance(row.body, str) else dict(row.body)
        body["eventTime"] = "2019-05-05T00:00:00Z"
        connection.execute(
            text("UPDATE events SET body = :b WHERE id = :i"), {"b": json.dumps(body), "i": row.id}
        )
    report = verify_log(kz.uow())
    assert not report.intact and any(p["problem"] == "edited" for p in report.problems)

    from kiik.epcis.domain.event_hash import event_hash_id

    with kz.engine.begin() as connection:
        rows = connection.execute(text("SELECT id, body FROM events ORDER BY id")).all()
        connection.execute(text("DELETE FROM merkle_nodes"))
        connection.execute(text("DELETE FROM merkle_leaves"))
        connection.execute(text("DELETE FROM merkle_checkpoints"))
        hashes = []
        for r in rows:
            b = json.loads(r.body) if isinstance(r.body, str) else r.body
            hashes.append(event_hash_id(b))
            connection.execute(
                text("UPDATE events SET hash_id = :h WHERE id = :i"), {"h": hashes[-1], "i": r.id}
            )
        for position, (r, h) in enumerate(zip(rows, hashes, strict=True)):
            connection.execute(
                text("INSERT INTO merkle_leaves (position, event_pk, hash_id) VALUES (:p, :e, :h)"),
                {"p": position, "e": r.id, "h": h},
            )
        for node in merkle.append(0, [], [merkle.event_leaf(h) for h in hashes]):
            connection.execute(
                text("INSERT INTO merkle_nodes (level, position, hash) VALUES (:l, :p, :h)"),
                {"l": node.level, "p": node.index, "h": node.hash},
            )
    # Now verify-log alone sees a consistent log; the partner's kept checkpoint does not agree.
    rewritten = SignedCheckpoint.from_json(client.checkpoint(kz_url))
    assert rewritten.tree_size == seen.tree_size and rewritten.root != seen.root
    proof = client.consistency(kz_url, seen.tree_size, rewritten.tree_size)
    assert proof["from_root"] != seen.root  # the log cannot show the root the partner was given
    # More events make the tree grow; the partner's consistency check fails on the rewritten part.
    with pytest.raises(HistoryRewritten, match="rewritten"):
        check_partner_log(cn.uow(), "KZ", client, verify_with)
