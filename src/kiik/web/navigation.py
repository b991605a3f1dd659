"""The menu: each page a person may open, by what their role allows (declared once, here). A page
not in someone's menu still checks the permission itself; the menu only spares them dead ends."""

from __future__ import annotations

from dataclasses import dataclass

from kiik.directory.domain.permissions import OrgKind, Permission, Principal
from kiik.web.i18n import N_


@dataclass(frozen=True)
class Entry:
    href: str
    label: str  # a msgid, translated where the menu is drawn
    permission: Permission | None = None
    # Whose daily work it is (None: anyone with the permission); others may still open the page.
    kinds: frozenset[OrgKind] | None = None


FLOOR = frozenset({OrgKind.WAREHOUSE, OrgKind.PROCESSOR, OrgKind.TRADER})
HOLDERS = FLOOR | {OrgKind.HARVESTER}
ENFORCERS = frozenset({OrgKind.CUSTOMS, OrgKind.INSPECTORATE})
# An importing country's authority reads what was exported to it: permits, and items by their code.
PARTNER = frozenset({OrgKind.PARTNER_AUTHORITY})

# The most used first. Other capabilities' pages join here (docs/web.md).
MENU = (
    Entry("/", N_("Home")),
    Entry("/dashboard", N_("Dashboard"), Permission.REPORTS_READ),
    Entry("/harvest/sheets", N_("Field sheets"), Permission.EVENTS_CAPTURE, frozenset({OrgKind.HARVESTER})),
    Entry("/permits", N_("Permits"), Permission.PERMITS_APPLY, frozenset({OrgKind.TRADER})),
    Entry("/permits", N_("Permit applications"), Permission.PERMITS_DECIDE),
    Entry("/permits", N_("Permits"), Permission.PERMITS_VERIFY_DETAILS, PARTNER),
    Entry("/quotas", N_("Quotas"), Permission.QUOTAS_MANAGE),
    Entry("/species/rules", N_("Species rules"), Permission.SPECIES_MANAGE),
    Entry("/proceeds/rules", N_("Proceeds rules"), Permission.PROCEEDS_MANAGE),
    Entry("/harvest/plans", N_("Offtake plans"), Permission.OFFTAKE_PLANS_MANAGE),
    Entry("/harvest/authorisations", N_("Harvest authorisations"), Permission.HARVEST_AUTHORISATIONS_ISSUE),
    Entry(
        "/harvest/authorisations",
        N_("Our harvest authorisations"),
        Permission.HARVEST_AUTHORISATIONS_READ,
        frozenset({OrgKind.HARVESTER}),
    ),
    Entry("/monitoring/census", N_("Census"), Permission.CENSUS_RECORD, frozenset({OrgKind.RESEARCH})),
    Entry(
        "/monitoring/camera-traps",
        N_("Camera traps"),
        Permission.CAMERA_TRAPS_IMPORT,
        frozenset({OrgKind.RESEARCH}),
    ),
    # The floor's daily work: warehouse and plant, customs, the inspector (kiik.web.floor.floor_routes).
    Entry("/floor/move", N_("Receive and ship"), Permission.EVENTS_CAPTURE, FLOOR),
    Entry("/floor/processing", N_("Processing"), Permission.EVENTS_CAPTURE, frozenset({OrgKind.PROCESSOR})),
    Entry("/stock", N_("Our stock"), Permission.STOCK_READ, HOLDERS),
    Entry("/customs/endorse", N_("Endorse an export"), Permission.PERMITS_ENDORSE),
    Entry("/customs/arrivals", N_("Arrivals"), Permission.PERMITS_ENDORSE),
    Entry("/scan", N_("Scan a code"), Permission.ITEMS_READ, ENFORCERS | PARTNER),
    Entry("/seizures/new", N_("Record a seizure"), Permission.SEIZURES_RECORD, ENFORCERS),
    # The reviewer's work: leak alerts and seizure drafts to review, cases (kiik.web.inspection.review_pages).
    Entry("/lists/flags", N_("Flags to review"), Permission.LEAK_ALERTS_REVIEW),
    Entry("/cases", N_("Cases"), Permission.CASES_MANAGE),
    Entry("/partner/reconciliation", N_("Reconciliation"), Permission.RECONCILIATION_READ),
    Entry("/people", N_("People"), Permission.PEOPLE_MANAGE),
    Entry("/organisations", N_("Organisations"), Permission.ORGANISATIONS_MANAGE),
    Entry("/account", N_("My account")),
)


def menu_for(principal: Principal | None) -> list[Entry]:
    if principal is None:
        return []
    return [
        e
        for e in MENU
        if (e.permission is None or principal.may(e.permission))
        and (e.kinds is None or principal.org_kind in e.kinds)
    ]
