"""The demo's legal trade: the ministry's fee and allocation rules, a 2025 cull of the Ural population
delivered to the Oral plant, meat lots in two shops (one lot recalled), domestic sales of pharmacy
packs at agreed prices, an argali trophy from its hunting permit to its export permit, and a
liquorice collection by mass. Everything goes through trade's and proceeds' services, and so
through capture and its rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import cast

from kiik.db.unit_of_work import UnitOfWork
from kiik.demo.plan import main_site, pgln
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.directory.services.auth import add_organisation, add_site
from kiik.epcis.domain.gs1_keys import with_check_digit
from kiik.harvest.domain.authorisations import KAZAKHSTAN_TIME
from kiik.permits.services.application import ApplyForPermit, apply_for_permit
from kiik.permits.services.decisions import IssuePermit, issue_permit
from kiik.permits.services.endorsement import EndorseExport, endorse_export
from kiik.permits.services.ports import EventValidator
from kiik.proceeds.domain.rules import AllocationRule, Basis, Charge, FeeRule
from kiik.proceeds.services.ledger import add_allocation_rule, add_fee_rule
from kiik.species.services.ports import CitesUnitOfWork
from kiik.trade.domain.meat import LotPlan
from kiik.trade.services.culls import DeliverCarcasses, RegisterCull, deliver_carcasses, register_cull
from kiik.trade.services.meat_lots import Process, process, recall_lot, receive_lot, sell_packs, ship_lot
from kiik.trade.services.sales import RecordSale, record_sale
from kiik.trade.services.takings import IssueTakePermit, Take, issue_take_permit, take

# (code, name, kind, company prefix)
TRADE_CAST = (
    ("dala-meat", "Dala Meat wholesale LLP", OrgKind.TRADER, "4870041"),
    ("magnum-oral", "Magnum supermarket, Oral", OrgKind.TRADER, "4870042"),
    ("small-astana", "Small grocery, Astana", OrgKind.TRADER, "4870043"),
    ("karatau-outfitter", "Karatau Hunting outfitter LLP", OrgKind.TRADER, "4870044"),
    ("syrdarya-collector", "Syr Darya Herbs cooperative", OrgKind.HARVESTER, "4870045"),
)
CULL = "CULL-2025-URL-01"
SAIGA = "Saiga tatarica"
TEAM, PLANT = "ural-harvest-1", "oral-plant"
CARCASS_GTIN = with_check_digit("0487000200020")
MEAT = ("meat_cuts", "minced_meat", "canned_meat")
GTINS = {product: with_check_digit(f"048700040003{n}") for n, product in enumerate(MEAT)}
ORDER = "demo order 15/{}"
JAN_2025 = date(2025, 1, 1)

# The ministry's rules: what a cull, a sale and an export owe, and where the money goes.
FEE_RULES = (
    FeeRule(
        "Cull fee per animal", Charge.CULL, Basis.PER_ITEM, 2_000.0, JAN_2025, ORDER.format(1), species=SAIGA
    ),
    FeeRule(
        "Share of domestic sale prices", Charge.SALE, Basis.SHARE_OF_PRICE, 0.10, JAN_2025, ORDER.format(2)
    ),
    FeeRule("Export fee per kilogram", Charge.EXPORT, Basis.PER_KG, 25_000.0, JAN_2025, ORDER.format(3)),
    FeeRule(
        "Argali trophy export fee",
        Charge.EXPORT,
        Basis.PER_ITEM,
        1_500_000.0,
        JAN_2025,
        ORDER.format(3),
        species="Ovis ammon",
    ),
)
ALLOCATION = AllocationRule(
    "Allocation to conservation 2025-",
    date(2025, 1, 1),
    "demo order 15/4",
    {"protection": 0.5, "habitat": 0.3, "research": 0.2},
)


def when(month: int, day_: int, hour: int = 9, year: int = 2025) -> datetime:
    return datetime(year, month, day_, hour, tzinfo=KAZAKHSTAN_TIME)


@dataclass
class TradeDemo:
    lots: dict[str, str] = field(default_factory=dict)  # what each lot is -> its code
    recalled: str = ""
    sales: list[str] = field(default_factory=list)
    trophy: str = ""
    trophy_permit: str | None = None
    liquorice: str = ""


def set_proceeds_rules(uow_factory: Callable[[], UnitOfWork], ministry: Principal) -> None:
    """Before the season: the season's exports owe their fees as they happen."""
    for rule in FEE_RULES:
        add_fee_rule(uow_factory(), ministry, rule)
    add_allocation_rule(uow_factory(), ministry, ALLOCATION)


def load_trade(
    uow_factory: Callable[[], UnitOfWork],
    principals: Mapping[str, Principal],
    yields: dict[str, float],
    pharmacy_packs: Sequence[tuple[str, float]],
    validate_event: EventValidator | None,
) -> TradeDemo:
    """The trade season. The trophy leaves under a CITES permit endorsed by customs when the entry
    point hands in the EPCIS event validator that endorsement needs (else it stays at home)."""
    who = dict(principals)
    for code, name, kind, prefix in TRADE_CAST:
        org_id = add_organisation(uow_factory(), code, name, kind.value, pgln(prefix))
        add_site(uow_factory(), code, main_site(prefix), f"{name}: main site")
        who[code] = Principal(org_id, code, name, kind, Role.OPERATOR)
    demo = TradeDemo()
    _meat(uow_factory, who, yields, demo)
    for n, (pack, kg) in enumerate(pharmacy_packs[1:4]):
        price, moment = 42_000.0 + 2_500.0 * n, when(2, 3 + n, year=2026)
        sale = RecordSale("person", f"a customer ({n + 1})", price, moment, lots=[(pack, kg)])
        demo.sales.append(record_sale(uow_factory(), who["almaty-pharmacy"], sale, yields))
    _argali(uow_factory, who, yields, demo, validate_event)
    _liquorice(uow_factory, who, yields, demo)
    return demo


def _meat(
    uow_factory: Callable[[], UnitOfWork],
    who: Mapping[str, Principal],
    yields: dict[str, float],
    demo: TradeDemo,
) -> None:
    ministry, team, plant = who["kz-ministry"], who[TEAM], who[PLANT]
    area = "West Kazakhstan region, cull zones 1-4"
    cull = RegisterCull(
        CULL, "Ural", area, date(2025, 7, 1), date(2025, 11, 30), "KZ-2025-URL-CULL", 1_200, TEAM
    )
    register_cull(uow_factory(), ministry, cull)
    batches = []
    for n, (carcasses, kg) in enumerate(((200, 3_050.0), (180, 2_790.0), (220, 3_300.0))):
        day = when(8, 4 + 7 * n, 7)
        delivery = DeliverCarcasses(CULL, CARCASS_GTIN, f"C25-{n + 1:03d}", carcasses, kg, PLANT, day)
        batch = deliver_carcasses(uow_factory(), team, delivery, yields)
        receive_lot(uow_factory(), plant, batch, day + timedelta(hours=8), yields)
        batches.append((batch, kg))
    runs = (
        # Frozen cuts keep 18 months, so the demo's packs still check as legal a year after the cull.
        ("meat_cuts", batches[0], (("CUT-0805-A", 2_000, 0.5), ("CUT-0805-B", 2_000, 0.5)), 540),
        ("minced_meat", batches[1], (("MIN-0812-A", 3_600, 0.4),), 12),
        ("canned_meat", batches[2], (("CAN-0819-A", 5_000, 0.325),), 730),
    )
    for n, (product, (batch, kg), planned, keeps) in enumerate(runs):
        made = when(8, 5 + 7 * n)
        plans = tuple(
            LotPlan(b, packs, each, made.date() + timedelta(days=keeps)) for b, packs, each in planned
        )
        run = Process(product, GTINS[product], f"VET-ZKO-2025-{801 + n}", ((batch, kg),), plans, made)
        for plan, key in zip(plans, process(uow_factory(), plant, run, yields), strict=True):
            demo.lots[plan.batch] = key
    lots = demo.lots
    moves = (
        (lots["CUT-0805-A"], PLANT, "dala-meat", when(8, 6)),
        (lots["CUT-0805-A"], "dala-meat", "magnum-oral", when(8, 7)),
        (lots["CUT-0805-B"], PLANT, "small-astana", when(8, 7)),
        (lots["MIN-0812-A"], PLANT, "magnum-oral", when(8, 13)),
        (lots["CAN-0819-A"], PLANT, "dala-meat", when(8, 20)),
    )
    for key, source, to, moment in moves:
        ship_lot(uow_factory(), who[source], key, to, moment, yields)
        receive_lot(uow_factory(), who[to], key, moment + timedelta(hours=6), yields)
    for key, shop, packs, moment in (
        (lots["CUT-0805-A"], "magnum-oral", 800, when(8, 8, 20)),
        (lots["CUT-0805-B"], "small-astana", 300, when(8, 9, 20)),
        (lots["MIN-0812-A"], "magnum-oral", 450, when(8, 14, 20)),
    ):
        sell_packs(uow_factory(), who[shop], key, packs, moment, yields)
    demo.recalled = lots["MIN-0812-A"]
    reason = "Listeria monocytogenes in the plant's retained sample (laboratory report ZKO-VL-2025-0815)"
    recall_lot(uow_factory(), who[PLANT], demo.recalled, reason, when(8, 16), yields)


def _argali(
    uow_factory: Callable[[], UnitOfWork],
    who: Mapping[str, Principal],
    yields: dict[str, float],
    demo: TradeDemo,
    validate_event: EventValidator | None,
) -> None:
    ground = "Karatau state hunting ground, block 3"
    permit = IssueTakePermit(
        "HUNT-2025-0042",
        "hunting",
        "Ovis ammon",
        ground,
        date(2025, 9, 1),
        date(2025, 12, 31),
        "karatau-outfitter",
        1,
    )
    issue_take_permit(uow_factory(), who["kz-ministry"], permit)
    trophy = Take("HUNT-2025-0042", "urn:epc:id:sgtin:4870044.000100.1", when(10, 14), 16.5)
    demo.trophy = take(uow_factory(), who["karatau-outfitter"], trophy, yields)
    if validate_event is None:
        return
    # The permits' use cases take the unit of work with the CITES stores (every SqlUnitOfWork has them).
    cites = cast(Callable[[], CitesUnitOfWork], uow_factory)
    hunter = ("Jagdreisen Bauer GmbH", "DE", "Hauptstrasse 5, Munich")
    application = ApplyForPermit([demo.trophy], *hunter, purpose="H")
    applied = apply_for_permit(cites(), who["karatau-outfitter"], application)
    permit_number = str(issue_permit(cites(), who["kz-ministry"], IssuePermit(applied.id)).number)
    leaving = EndorseExport(permit_number, [demo.trophy])
    endorse_export(cites(), who["kz-customs"], leaving, validate_event, custody_rules=True, yields=yields)
    demo.trophy_permit = permit_number


def _liquorice(
    uow_factory: Callable[[], UnitOfWork],
    who: Mapping[str, Principal],
    yields: dict[str, float],
    demo: TradeDemo,
) -> None:
    plot = "Syr Darya floodplain, plot 12"
    permit = IssueTakePermit(
        "COLL-2025-0007",
        "collection",
        "Glycyrrhiza glabra",
        plot,
        date(2025, 4, 1),
        date(2025, 10, 31),
        "syrdarya-collector",
        8_000.0,
    )
    issue_take_permit(uow_factory(), who["kz-ministry"], permit)
    collected = Take("COLL-2025-0007", "urn:epc:class:lgtin:4870045.000200.R25-01", when(6, 10), 3_400.0)
    demo.liquorice = take(uow_factory(), who["syrdarya-collector"], collected, yields)

