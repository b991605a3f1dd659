"""Stock: holdings per organisation and site, and what stock counts found wrong.

A stock count itself is an EPCIS event (ObjectEvent OBSERVE, bizStep `stock_taking` for a complete
count of its bizLocation, `cycle_counting` for a partial one) captured at `/epcis/capture`; the
discrepancies it finds are recorded with it and listed here.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from kiik.custody.services.mass_bounds import SetMassBound, bound_json, mass_bounds, set_mass_bound
from kiik.custody.services.stock import list_discrepancies, stock_report
from kiik.directory.domain.permissions import Permission
from kiik.http.deps import PrincipalDep, RegistryDep, may

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


class MassBoundIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_type: str = Field(min_length=1, max_length=64, description="whole_horn, powder, ...")
    measured: str = Field(pattern="^(item|lot)$", description="one marked `item`, or a `lot` (its kg)")
    least_kg: float = Field(gt=0)
    most_kg: float = Field(gt=0)
    species: str | None = Field(default=None, max_length=120, description="None: any species")


@router.get("/mass-bounds", summary="The plausible masses capture checks, per product type and species")
def get_mass_bounds(registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    return {"bounds": [bound_json(b) for b in mass_bounds(registry.uow(), principal)]}


@router.put("/mass-bounds", summary="Set a plausible-mass bound (the ministry)")
def put_mass_bound(
    body: MassBoundIn,
    registry: RegistryDep,
    principal: may(Permission.STOCK_SETTINGS_MANAGE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    command = SetMassBound(body.product_type, body.measured, body.least_kg, body.most_kg, body.species)
    return bound_json(set_mass_bound(registry.uow(), principal, command))
