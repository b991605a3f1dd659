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
from kiik.demo.china_export import export_to_china
from kiik.demo.enforcement import EnforcementDemo, load_enforcement
from kiik.demo.monitoring import MonitoringDemo, PackageFiles, load_monitoring
from kiik.demo.partner import Notified, ensure_partner_authority, receive_export_notices
from kiik.demo.people import DemoLogin, demo_people
from kiik.demo.plan import TEAMS, main_site, pgln
from kiik.demo.season import Season, SeasonReport
from kiik.demo.trade import TradeDemo, load_trade, set_proceeds_rules
from kiik.directory.domain.contact import Contact
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
# Whom the ministry calls at the organisations it deals with most (invented people; the telephone
# numbers use each town's code, the e-mail addresses the reserved `.example` domain).
CONTACTS = {
    "kz-ministry": Contact("Aigerim Nurlanovna, CITES desk", "+7 7172 74 00 10", "cites@ministry.example"),
    "almaty-warehouse": Contact("Yerlan Bekov, storekeeper", "+7 727 250 14 22", "store@warehouse.example"),
    "oral-plant": Contact("Dana Sadykova, plant manager", "+7 7112 51 30 40", "plant@oral.example"),
    "saiga-export": Contact("Marat Ospanov, director", "+7 727 311 20 05", "office@saiga-export.example"),
    "kz-customs": Contact("Duty officer, Khorgos post", "+7 72831 2 11 00", "khorgos@customs.example"),
}
# Where each organisation's main site is: its region (ISO 3166-2) and coordinates (the town it works
# from, to about a kilometre). The harvest teams' bases lie in their population's range; the plant
# at Shymkent stands in Sairam district, Turkistan region (the region its organisation is in).
PLACES = {
    "kz-ministry": ("KZ-71", 51.1283, 71.4305),  # Astana, the ministries' quarter
    "ural-harvest-1": ("KZ-27", 49.4167, 46.85),  # Zhanibek
    "ural-harvest-2": ("KZ-27", 49.7617, 48.6906),  # Kaztalovka
    "ural-harvest-3": ("KZ-27", 50.2, 51.17),  # Shapaev
    "betpakdala-harvest-1": ("KZ-62", 47.7833, 67.7167),  # Zhezkazgan
    "betpakdala-harvest-2": ("KZ-31", 44.2833, 72.9333),  # Moyynkum
    "ustyurt-harvest-1": ("KZ-47", 45.3167, 55.2),  # Beyneu
    "almaty-warehouse": ("KZ-75", 43.3505, 77.0106),  # Almaty, Turksib district
    "oral-plant": ("KZ-27", 51.2333, 51.3667),  # Oral
    "shymkent-plant": ("KZ-61", 42.3047, 69.7683),  # Sairam
    "saiga-export": ("KZ-75", 43.2389, 76.9455),  # Almaty, Medeu district
    "almaty-pharmacy": ("KZ-75", 43.2567, 76.9286),  # Almaty, Almaly district
    "kz-customs": ("KZ-71", 51.1694, 71.4491),  # Astana
    "kz-inspectorate": ("KZ-75", 43.2380, 76.8829),  # Almaty
}


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
    # The export permit to China the ministry issued (what China's authority reads), when the
    # register held a quota for it.
    china_permit: str | None = None


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
    china_permit = None
    if created:
        for code, name, kind, prefix in CAST:
            add_organisation(uow_factory(), code, name, kind.value, pgln(prefix), contact=CONTACTS.get(code))
            region, latitude, longitude = PLACES[code]
            add_site(
                uow_factory(),
                code,
                main_site(prefix),
                f"{name}: main site",
                region=region,
                latitude=latitude,
                longitude=longitude,
            )
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
        if report.export_lot is not None:
            china_permit = export_to_china(uow_factory, principals, report.export_lot)
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
        china_permit=china_permit,
    )


def _principal(uow_factory: Callable[[], UnitOfWork], code: str) -> Principal:
    with uow_factory() as uow:
        org = uow.directory.organisation(code)
    return Principal(org.id, org.code, org.name, OrgKind(org.kind), Role.OPERATOR)
