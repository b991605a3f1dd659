"""The demo registry: the cast of organisations and one season, from the cull to a pharmacy shelf.

Everything goes through the same services users call (organisations, tokens, harvest
authorisations, event capture under capture jobs with validation, custody and feature rules), so
the demo exercises the real path; see `season` for what the season holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kiik.custody.services.collections import no_automatic_collections
from kiik.db.unit_of_work import UnitOfWork
from kiik.demo.capture import DocumentOpener, NoProgress, Progress, SeasonCapture
from kiik.demo.enforcement import EnforcementDemo, load_enforcement
from kiik.demo.monitoring import MonitoringDemo, PackageFiles, load_monitoring
from kiik.demo.partner import Notified, ensure_partner_authority, receive_export_notices
from kiik.demo.people import DemoLogin, demo_people
from kiik.demo.plan import TEAMS, main_site, pgln
from kiik.demo.season import Season, SeasonReport
from kiik.demo.trade import TradeDemo, load_trade, set_proceeds_rules
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.directory.services.auth import add_organisation, add_site, create_token
from kiik.ledger.services.signing_port import Verifier
from kiik.permits.services.ports import EventValidator

DEFAULT_HORNS = 600
DEFAULT_SEED = 2025

# (code, name, kind, company prefix); PGLN and main site SGLN are derived from the prefix.
CAST = (
    ("kz-ministry", "Committee of Forestry and Wildlife", OrgKind.MINISTRY, "4870001"),
    *((code, name, OrgKind.HARVESTER, prefix) for code, name, prefix, _ in TEAMS),
    ("almaty-warehouse", "State horn warehouse, Almaty", OrgKind.WAREHOUSE, "4870003"),
    ("oral-plant", "Horn processing plant, Oral", OrgKind.PROCESSOR, "4870004"),
    ("shymkent-plant", "Horn processing plant, Shymkent", OrgKind.PROCESSOR, "4870008"),
    ("saiga-export", "Saiga Export LLP", OrgKind.TRADER, "4870005"),
    ("almaty-pharmacy", "City pharmacy No. 12, Almaty", OrgKind.TRADER, "4870009"),
    ("kz-customs", "State Revenue Committee: customs", OrgKind.CUSTOMS, "4870006"),
    ("kz-inspectorate", "Forestry and Wildlife Inspectorate", OrgKind.INSPECTORATE, "4870007"),
)
TOKENS_FOR = ("kz-ministry", "almaty-warehouse", "kz-inspectorate")


@dataclass
class DemoResult:
    created: bool
    tokens: dict[str, str]
    events: int
    season: SeasonReport | None = None
    monitoring: MonitoringDemo | None = None
    enforcement: EnforcementDemo | None = None
    trade: TradeDemo | None = None
    people: list[DemoLogin] = field(default_factory=list)
    # A partner registry's export notice customs can record the arrival of (at /customs/arrivals).
    arrival: Notified | None = None


def load_demo(
    uow_factory: Callable[[], UnitOfWork],
    open_document: DocumentOpener,
    *,
    custody_rules: bool,
    yields: dict[str, float],
    horns: int = DEFAULT_HORNS,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    camera_trap_files: PackageFiles | None = None,
    validate_event: EventValidator | None = None,
    verify_signature: Verifier | None = None,
    country: str = "KZ",
) -> DemoResult:
    """Load the demo once (the cast and a season of about `horns` horns); on later runs only hand
    out fresh login tokens. With `verify_signature` (the entry point's signature check), a partner
    registry's export notice is received for customs to record its arrival."""
    if horns < 20:
        raise ValueError(f"a demo season needs at least 20 horns (10 animals), not {horns}")
    with uow_factory() as uow:
        existing = uow.directory.organisation(CAST[0][0])
    created = existing is None
    report = None
    monitoring = None
    enforcement = None
    trade = None
    arrival = None
    if created:
        for code, name, kind, prefix in CAST:
            add_organisation(uow_factory(), code, name, kind.value, pgln(prefix))
            add_site(uow_factory(), code, main_site(prefix), f"{name}: main site")
        principals = {code: _principal(uow_factory, code) for code, *_ in CAST}
        # Census and offtake plans first: the season's authorisations are checked against the plans.
        monitoring = load_monitoring(uow_factory, principals["kz-ministry"], camera_trap_files)
        # Fee and allocation rules before the season: what it sells and exports owes its fees.
        set_proceeds_rules(uow_factory, principals["kz-ministry"])
        capture = SeasonCapture(
            uow_factory,
            open_document,
            principals,
            custody_rules=custody_rules,
            yields=yields,
            progress=progress or NoProgress(),
        )
        # No automatic collections while the season is made: after each document the capture
        # collects the young objects and the season's records are frozen (see SeasonCapture).
        with no_automatic_collections():
            report = Season(capture, principals["kz-ministry"], horns, seed).run()
        trade = load_trade(uow_factory, principals, yields, report.pharmacy_packs, validate_event)
        shown = [i.code for i in report.irregularities if i.code is not None]
        enforcement = load_enforcement(uow_factory, principals, custody_rules=custody_rules, keep=shown)
        if verify_signature is not None:
            arrival = receive_export_notices(uow_factory, verify_signature, country, range(1, 2))[0]
    ensure_partner_authority(uow_factory)
    tokens = {code: create_token(uow_factory(), code, "admin", "demo login").token for code in TOKENS_FOR}
    people = demo_people(uow_factory)
    return DemoResult(
        created,
        tokens,
        report.events if report else 0,
        report,
        monitoring,
        enforcement=enforcement,
        trade=trade,
        people=people,
        arrival=arrival,
    )


def _principal(uow_factory: Callable[[], UnitOfWork], code: str) -> Principal:
    with uow_factory() as uow:
        org = uow.directory.organisation(code)
    return Principal(org.id, org.code, org.name, OrgKind(org.kind), Role.OPERATOR)
