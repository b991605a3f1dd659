"""Seizure alerts between two registries over the signed partner channel: Kyrgyzstan's registry
seizes horns bearing Kazakh codes and asks; Kazakhstan's answers what it knows of each code (region
and status of the last legal holder, nothing more); both keep the exchange. A message from a
registry that is not a partner, or replayed with other content, is refused."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.directory.services.auth import add_organisation
from kiik.enforcement.services.exchange import exchanges, send_seizure_alerts
from kiik.enforcement.services.seizures import record_seizure
from kiik.epcis.services.identifier_terms import item_key
from kiik.ledger.services.signing_keys import ensure_signing_key
from kiik.partners.adapters.client import HttpPartnerClient
from kiik.partners.services.delivery import deliver_outbox
from kiik.partners.services.registries import add_partner
from kiik.species.services.register import seed_register
from tests.support.browser import served
from tests.support.enforcement import NEVER_ISSUED, enforcement_world, horn_seizure
from tests.support.partner import registry_at


def test_a_seizure_alert_is_answered_by_the_owning_registry(registry: Registry, tmp_path: Path) -> None:
    ew = enforcement_world(registry)  # Kazakhstan's registry: the trader holds a horn that will leak
    ensure_signing_key(registry.uow())
    kg = registry_at(tmp_path / "kg.db", "KG")
    seed_register(kg.uow(), quotas=False)
    org = add_organisation(
        kg.uow(), "kg-gkns", "State Committee for National Security", OrgKind.CUSTOMS.value
    )
    kg_officer = Principal(
        org, "kg-gkns", "State Committee for National Security", OrgKind.CUSTOMS, Role.OPERATOR
    )
    tj = registry_at(tmp_path / "tj.db", "TJ")
    leaked = ew.season.trader_horns[0]
    client = HttpPartnerClient(timeout=5)
    try:
        with served(create_app(registry)) as kz_url, served(create_app(kg)) as kg_url:
            add_partner(registry.uow(), None, "KG", "Kyrgyz registry", kg_url, client=client)
            add_partner(kg.uow(), None, "KZ", "Kazakhstan kiik", kz_url, client=client)
            seizure = replace(horn_seizure("KG-2026-845", [leaked, NEVER_ISSUED], 10), reporting_country="KG")
            shown = record_seizure(kg.uow(), kg_officer, seizure, home="KG")
            assert shown["verdicts"] == {"foreign": 2, "unmarked": 8}
            assert send_seizure_alerts(kg.uow(), kg_officer, "KG-2026-845", "KG")["sentTo"] == {"KZ": 2}
            assert deliver_outbox(kg.uow, client, force=True).failed == {}
            assert deliver_outbox(registry.uow, client, force=True).failed == {}  # the answer goes back
            [asked] = exchanges(registry.uow(), ew.world["ministry"].principal)
            assert (asked["direction"], asked["partner"], asked["seizure"]) == (
                "received",
                "KG",
                "KG-2026-845",
            )
            by_code = {a["code"]: a for a in asked["answers"]}
            assert by_code[item_key(leaked)] == {
                "code": item_key(leaked),
                "registered": True,
                "holderRegion": "West Kazakhstan",
                "status": "active",
            }
            assert by_code[item_key(NEVER_ISSUED)] == {"code": item_key(NEVER_ISSUED), "registered": False}
            sent, answer = exchanges(kg.uow(), kg_officer)
            assert sent["direction"] == "sent" and answer["direction"] == "answer"
            assert answer["answers"] == asked["answers"]
            assert "Saiga Export LLP" not in str(answer)  # no holder's name crosses the border
            # a message from a registry Kazakhstan does not know is refused
            seed_register(tj.uow(), quotas=False)
            tj_org = add_organisation(tj.uow(), "tj-customs", "Customs of Tajikistan", OrgKind.CUSTOMS.value)
            tj_officer = Principal(
                tj_org, "tj-customs", "Customs of Tajikistan", OrgKind.CUSTOMS, Role.OPERATOR
            )
            record_seizure(tj.uow(), tj_officer, replace(seizure, reporting_country="TJ"), home="TJ")
            add_partner(tj.uow(), None, "KZ", "Kazakhstan kiik", kz_url, client=client)
            send_seizure_alerts(tj.uow(), tj_officer, "KG-2026-845", "TJ")
            refused = deliver_outbox(tj.uow, client, force=True)
            assert refused.delivered == [] and len(refused.failed) == 1
            assert '"reason":"unknown_sender"' in next(iter(refused.failed.values()))
            with TestClient(create_app(registry)) as kz:
                replayed = kz.post("/api/partner/messages", content=_first_received(registry) + "tampered")
            assert replayed.status_code == 403 and replayed.json()["reason"] in (
                "forged",
                "unsigned",
                "bad_signature",
            )
            assert len(exchanges(registry.uow(), ew.world["ministry"].principal)) == 1
    finally:
        kg.engine.dispose()
        tj.engine.dispose()


def _first_received(registry: Registry) -> str:
    with registry.uow() as uow:
        return str(uow.partners.inbox("seizure-alert")[0].message)
