"""Stock: holdings per organisation and site, and what stock counts found wrong.

A stock count itself is an EPCIS event (ObjectEvent OBSERVE, bizStep `stock_taking` for a complete
count of its bizLocation, `cycle_counting` for a partial one) captured at `/epcis/capture`; the
discrepancies it finds are recorded with it and listed here.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from kiik.custody.services.stock import list_discrepancies, stock_report
from kiik.http.deps import PrincipalDep, RegistryDep

router = APIRouter(prefix="/api/stock", tags=["Stock"])

OrgQuery = Annotated[
    str | None,
    Query(description="An organisation's code (ministry, customs and inspectorate; others see their own)"),
]


@router.get("", summary="Holdings by organisation, site, species, product type and status")
def get_stock(
    registry: RegistryDep,
    principal: PrincipalDep,
    org: OrgQuery = None,
    status: Annotated[
        list[str] | None,
        Query(
            description="Statuses to include (repeat it); `all` for every status. Default: in stock "
            "(active, in_transit, seized)"
        ),
    ] = None,
) -> dict[str, Any]:
    return stock_report(registry.uow(), principal, org, status).to_json()


@router.get("/discrepancies", summary="Discrepancies found by stock counts")
def get_discrepancies(
    registry: RegistryDep,
    principal: PrincipalDep,
    org: OrgQuery = None,
    state: Annotated[str, Query(pattern="^(open|all)$", description="open (default) or all")] = "open",
    count: Annotated[str | None, Query(description="Only those of one count (its eventID)")] = None,
    kind: Annotated[
        str | None,
        Query(description="not_found, registered_elsewhere, not_in_stock, not_registered or mass_difference"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> dict[str, Any]:
    report = list_discrepancies(
        registry.uow(),
        principal,
        org=org,
        open_only=state == "open",
        count_event_id=count,
        kind=kind,
        limit=limit,
    )
    return report.to_json()
