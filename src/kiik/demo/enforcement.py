"""The demo's enforcement, after the season, through the services enforcement staff use:

- the 845-horn interception (Kyrgyz security service, 23 June 2023, Kazakhstan to China), replayed a
  year after the 2025 cull and reported by Kyrgyzstan: a dozen horns bear Kazakh codes that resolve
  to a leak from the state horn warehouse, the rest are unmarked; the leak alert goes to the
  ministry and the Almaty inspectorate, which investigates, and the ministry confirms the leak;
- a market inspection at Almaty's Barakholka: live Central Asian tortoises on sale, seized under
  the ban with the penalty estimate, taken in by the Tasbaqa fund's centre, one dies, the others
  are released in the Kapshagay steppe; a case under Article 339;
- a forged code scanned at a pharmacy, opening a seizure draft that the inspectorate confirms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import cast

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Principal, Role
from kiik.enforcement.domain.cases import NewCase
from kiik.enforcement.domain.seizure import NewSeizure, Route, RouteCountry, Specimen
from kiik.enforcement.services.alerts import list_alerts, review_alert
from kiik.enforcement.services.cases import open_case
from kiik.enforcement.services.custody import record_step
from kiik.enforcement.services.market import MarketScan, confirm_seizure, inspect_market
from kiik.enforcement.services.regions import set_region
from kiik.enforcement.services.rehabilitation import admit_animals, record_animal
from kiik.enforcement.services.seizures import record_seizure
from kiik.epcis.services.identifier_terms import item_key
from kiik.species.services.ports import CitesUnitOfWork
from kiik.species.services.register import seed_register

INTERCEPTION = "KG-GKNB-2026-0623"
LEAKED_HORNS = 12
HORNS_SEIZED = 845
TORTOISES = 6
CENTRE = "Tasbaqa fund rehabilitation centre, Almaty region"
RELEASE_PLACE = "Kapshagay steppe, Almaty region"
FORGED_CODE = "urn:epc:id:sgtin:4870005.000777.9001"
REGIONS = {
    "almaty-warehouse": "Almaty",
    "saiga-export": "Almaty",
    "almaty-pharmacy": "Almaty",
    "kz-inspectorate": "Almaty",
    "oral-plant": "West Kazakhstan",
    "shymkent-plant": "Turkistan",
}


@dataclass
class EnforcementDemo:
    interception: str = INTERCEPTION
    leaked_from: str = ""
    leaked: int = 0
    alert: int | None = None
    tortoise_seizure: str = ""
    released: int = 0
    case: str = "339-2026-0510"
    forged_seizure: str = ""
    notes: list[str] = field(default_factory=list)


def load_enforcement(
    uow_factory: Callable[[], UnitOfWork],
    principals: dict[str, Principal],
    *,
    custody_rules: bool,
    keep: Iterable[str] = (),
) -> EnforcementDemo:
    """`keep`: codes the season's irregularities show, left as they are."""
    ministry, inspectorate = principals["kz-ministry"], principals["kz-inspectorate"]
    seed_register(cast(CitesUnitOfWork, uow_factory()), quotas=False)  # the taxa seizures name (where absent)
    admin = replace(ministry, role=Role.ADMIN)
    for org, region in REGIONS.items():
        set_region(uow_factory(), admin, org, region)
    found = EnforcementDemo()
    holder, codes = _horns_in_stock(uow_factory, principals, {item_key(code) for code in keep})
    found.leaked_from, found.leaked = holder.org_name, len(codes)
    interception = NewSeizure(
        reference=INTERCEPTION,
        seized_on=min(date(2026, 6, 23), date.today()),
        agency="State Committee for National Security of the Kyrgyz Republic",
        agency_case_number="GKNB-2026-0623",
        detection_method="intelligence",
        species="Saiga tatarica",
        specimens=(Specimen("HOR", HORNS_SEIZED, "NAR", tuple(codes)),),
        reporting_country="KG",
        region="Chuy",
        place="Ak-Zhol border crossing (KZ-KG)",
        latitude=42.86,
        longitude=74.1,
        route=Route(
            RouteCountry("KZ", True),
            RouteCountry("KZ", True),
            (RouteCountry("KG", True),),
            RouteCountry("CN"),
        ),
        transport_mode="road",
        concealment="hidden under a lorry's load of scrap metal",
        legal_action="criminal case opened by the investigating agency",
        offenders=2,
        offender_nationalities=("KG", "KZ"),
    )
    record_seizure(uow_factory(), ministry, interception, custody_rules=custody_rules)
    [alert] = [a for a in list_alerts(uow_factory(), ministry) if a["seizure"] == INTERCEPTION]
    found.alert = int(alert["id"])
    review_alert(
        uow_factory(), inspectorate, found.alert, "investigating", "stock count at the warehouse ordered"
    )
    review_alert(
        uow_factory(),
        ministry,
        found.alert,
        "confirmed_leak",
        f"{len(codes)} horns missing from the warehouse's store; the storeman is under investigation",
    )
    record_step(
        uow_factory(),
        ministry,
        INTERCEPTION,
        "evidence",
        "Ministry evidence store, Astana",
        custody_rules=custody_rules,
    )
    found.tortoise_seizure = _tortoises(uow_factory, inspectorate, found)
    forged = inspect_market(
        uow_factory(),
        inspectorate,
        MarketScan(
            "Pharmacy on Abay avenue, Almaty",
            "Saiga tatarica",
            "HOR",
            date(2026, 7, 1),
            FORGED_CODE,
            "Almaty",
        ),
    )
    found.forged_seizure = str(forged["seizure"])
    confirm_seizure(uow_factory(), inspectorate, found.forged_seizure)
    return found


def _horns_in_stock(
    uow_factory: Callable[[], UnitOfWork], principals: dict[str, Principal], keep: set[str]
) -> tuple[Principal, list[str]]:
    """Whole horns still in legal stock, from the warehouse if it holds any (else a plant or a trader)."""
    for code in ("almaty-warehouse", "oral-plant", "shymkent-plant", "saiga-export"):
        holder = principals[code]
        with uow_factory() as uow:
            held = uow.items.held_by(holder.org_id, limit=5000)
        horns = [s.key for s in held if not s.is_class and s.status.value == "active" and s.key not in keep]
        if horns:
            return holder, horns[:LEAKED_HORNS]
    raise RuntimeError("the demo season left no whole horn in legal stock to leak")


def _tortoises(uow_factory: Callable[[], UnitOfWork], inspectorate: Principal, found: EnforcementDemo) -> str:
    seized = inspect_market(
        uow_factory(),
        inspectorate,
        MarketScan(
            "Barakholka market, Almaty",
            "Testudo horsfieldii",
            "LIV",
            date(2026, 5, 10),
            None,
            "Almaty",
            live_animals=TORTOISES,
        ),
    )
    reference = str(seized["seizure"])
    marks = [f"TSB-2026-{n:03d}" for n in range(1, TORTOISES + 1)]
    admit_animals(uow_factory(), inspectorate, reference, marks, CENTRE, date(2026, 5, 10))
    for mark in marks:
        record_animal(
            uow_factory(), inspectorate, mark, "health_check", date(2026, 5, 20), "weighed, shell checked"
        )
    record_animal(uow_factory(), inspectorate, marks[0], "death", date(2026, 6, 2), "respiratory infection")
    for mark in marks[1:]:
        record_animal(
            uow_factory(),
            inspectorate,
            mark,
            "release",
            date(2026, 9, 15),
            "released with the Tasbaqa fund",
            RELEASE_PLACE,
            43.95,
            77.25,
        )
    found.released = len(marks) - 1
    open_case(
        uow_factory(), inspectorate, NewCase(found.case, "1", date(2026, 5, 10), 1, ("KZ",), (reference,))
    )
    return reference
