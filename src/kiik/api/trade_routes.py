"""Legal trade: cull operations, carcass deliveries, processing runs, meat lots on their way to the
shop, recalls, pack labels, and the public pack check as JSON (docs/trade.md)."""

from __future__ import annotations

import io
import os
from datetime import UTC, date, datetime
from typing import Annotated, Any

import segno
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from kiik.directory.domain.permissions import Permission
from kiik.http.deps import PrincipalDep, RegistryDep, may
from kiik.http.problems import problem
from kiik.trade.domain.errors import TradeError, TradeRefused
from kiik.trade.domain.meat import LotPlan
from kiik.trade.domain.packs import MeatLot
from kiik.trade.services import culls, meat_lots, sales, takings
from kiik.trade.services.pack_check import check_pack_code

router = APIRouter(prefix="/api/trade", tags=["Legal trade"])

Kilograms = Annotated[float, Field(gt=0, le=10_000_000, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=1, le=100_000_000)]


def install(app: FastAPI) -> None:
    app.include_router(router)

    @app.exception_handler(TradeRefused)
    async def _refused(_: Request, exc: TradeRefused) -> JSONResponse:
        problems = [{"rule": p.rule, "message": p.message, "identifier": p.identifier} for p in exc.problems]
        return problem(
            422, "Refused by the registry's rules", str(exc), "ValidationException", problems=problems
        )

    @app.exception_handler(TradeError)
    async def _invalid(_: Request, exc: TradeError) -> JSONResponse:
        return problem(400, "Invalid trade request", str(exc), "ValidationException")


def _moment(at: datetime | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def lot_json(lot: MeatLot) -> dict[str, Any]:
    return {
        "code": lot.key,
        "gtin": lot.gtin,
        "batch": lot.batch,
        "product": lot.product_type,
        "plant": lot.plant,
        "packs": lot.packs,
        "packMassKg": lot.pack_mass_kg,
        "massKg": lot.mass_kg,
        "packsSold": lot.packs_sold,
        "madeOn": lot.made_on.isoformat(),
        "useBy": lot.use_by.isoformat(),
        "population": lot.population,
        "culls": list(lot.culls),
        "recalledOn": lot.recalled_on.isoformat() if lot.recalled_on else None,
    }


class CullIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: str = Field(min_length=1, max_length=60)
    population: str = Field(description="Ural, Betpakdala or Ustyurt")
    area: str = Field(min_length=1, max_length=300)
    starts: date
    ends: date
    authorisation: str = Field(min_length=1, max_length=100)
    animals_allowed: Count
    team: str = Field(min_length=1, max_length=64, description="the code of the team's organisation")


@router.get("/culls", summary="Cull operations, each with its mass balance from carcasses to packs")
def get_culls(registry: RegistryDep, principal: PrincipalDep) -> list[dict[str, Any]]:
    return culls.list_culls(registry.uow(), principal)


@router.post("/culls", status_code=201, summary="Register a cull operation (ministry)")
def post_cull(body: CullIn, registry: RegistryDep, principal: may(Permission.CULLS_MANAGE)) -> dict[str, Any]:  # type: ignore[valid-type]
    operation = culls.register_cull(registry.uow(), principal, culls.RegisterCull(**body.model_dump()))
    return {"number": operation.number, "population": operation.population, "period": operation.period}


class DeliveryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cull: str = Field(min_length=1, max_length=60)
    gtin: str = Field(min_length=8, max_length=14, description="the team's GTIN for a saiga carcass")
    batch: str = Field(min_length=1, max_length=20)
    carcasses: Count
    mass_kg: Kilograms
    plant: str = Field(min_length=1, max_length=64, description="the code of the processing plant")
    at: datetime | None = None


@router.post(
    "/deliveries", status_code=201, summary="Deliver a batch of carcasses to a plant (the cull's team)"
)
def post_delivery(body: DeliveryIn, registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    command = culls.DeliverCarcasses(**{**body.model_dump(), "at": _moment(body.at)})
    key = culls.deliver_carcasses(registry.uow(), principal, command, registry.settings.yields)
    return {"code": key}


class LotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    batch: str = Field(min_length=1, max_length=20)
    packs: Count
    pack_mass_kg: Kilograms
    use_by: date


class InputIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=300, description="a carcass batch's code")
    mass_kg: Kilograms


class RunIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    product_type: str = Field(description="meat_cuts, minced_meat or canned_meat")
    gtin: str = Field(min_length=8, max_length=14, description="the plant's GTIN of the product")
    vet_certificate: str = Field(min_length=1, max_length=100)
    inputs: list[InputIn] = Field(min_length=1, max_length=1000)
    lots: list[LotIn] = Field(min_length=1, max_length=1000)
    at: datetime | None = None


@router.post("/processing-runs", status_code=201, summary="Make meat lots from carcass batches (the plant)")
def post_run(body: RunIn, registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    command = meat_lots.Process(
        body.product_type,
        body.gtin,
        body.vet_certificate,
        tuple((i.code, i.mass_kg) for i in body.inputs),
        tuple(LotPlan(lot.batch, lot.packs, lot.pack_mass_kg, lot.use_by) for lot in body.lots),
        _moment(body.at),
    )
    return {"lots": meat_lots.process(registry.uow(), principal, command, registry.settings.yields)}


@router.get("/lots", summary="Meat lots, newest first")
def get_lots(
    registry: RegistryDep,
    principal: PrincipalDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[dict[str, Any]]:
    return [lot_json(lot) for lot in meat_lots.meat_lots(registry.uow(), principal, limit, offset)]


class ShipmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: str = Field(min_length=1, max_length=64, description="the code of the receiving organisation")
    at: datetime | None = None


class MomentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    at: datetime | None = None


class SaleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    packs: Count
    at: datetime | None = None


class RecallIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500)
    at: datetime | None = None


def _outcome(outcome: Any) -> dict[str, Any]:
    return {"captureID": outcome.capture_id, "stored": outcome.stored}


@router.post("/lots/{code:path}/shipments", summary="Send a whole lot or carcass batch on (its holder)")
def post_shipment(
    code: str, body: ShipmentIn, registry: RegistryDep, principal: PrincipalDep
) -> dict[str, Any]:
    uow, yields = registry.uow(), registry.settings.yields
    return _outcome(meat_lots.ship_lot(uow, principal, code, body.to, _moment(body.at), yields))


@router.post("/lots/{code:path}/receipts", summary="Receive a lot or carcass batch sent to you")
def post_receipt(code: str, body: MomentIn, registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    uow, yields = registry.uow(), registry.settings.yields
    return _outcome(meat_lots.receive_lot(uow, principal, code, _moment(body.at), yields))


@router.post("/lots/{code:path}/sales", summary="Record packs of a lot sold in a shop (its holder)")
def post_sale(code: str, body: SaleIn, registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    uow, yields = registry.uow(), registry.settings.yields
    return _outcome(meat_lots.sell_packs(uow, principal, code, body.packs, _moment(body.at), yields))


@router.post("/lots/{code:path}/recall", summary="Recall a lot (its plant or an authority)")
def post_recall(code: str, body: RecallIn, registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    uow, yields = registry.uow(), registry.settings.yields
    return _outcome(meat_lots.recall_lot(uow, principal, code, body.reason, _moment(body.at), yields))


@router.get(
    "/lots/{code:path}/label",
    summary="The pack label's QR code (SVG): the lot's GS1 Digital Link on this registry",
    response_class=Response,
)
def get_label(code: str, request: Request, registry: RegistryDep, principal: PrincipalDep) -> Response:
    base = os.environ.get("KIIK_PUBLIC_URL") or str(request.base_url)
    link = meat_lots.label_link(registry.uow(), principal, code, base)
    svg = io.BytesIO()
    segno.make(link, error="m").save(svg, kind="svg", scale=4, title=link)
    return Response(svg.getvalue(), media_type="image/svg+xml", headers={"Link": f'<{link}>; rel="item"'})


@router.get("/packs/{code:path}", summary="The public check of a meat pack from its label's code (no token)")
def get_pack(code: str, registry: RegistryDep) -> dict[str, Any]:
    return check_pack_code(registry.uow(), code, datetime.now(UTC).date()).to_json()


class SaleLotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=300)
    mass_kg: Kilograms


class DerivativeSaleIn(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    buyer_kind: str = Field(description="pharmacy, manufacturer or person")
    buyer: str = Field(min_length=1, max_length=200)
    price_kzt: float = Field(gt=0, lt=1e13, description="the price the parties agreed, in tenge")
    items: list[str] = Field(default_factory=list, max_length=10_000, description="marked items sold whole")
    lots: list[SaleLotIn] = Field(default_factory=list, max_length=1000, description="kilograms of lots sold")
    at: datetime | None = None


@router.post("/sales", status_code=201, summary="Record a domestic sale of marked derivatives (the holder)")
def post_sale_of_derivatives(
    body: DerivativeSaleIn, registry: RegistryDep, principal: PrincipalDep
) -> dict[str, Any]:
    command = sales.RecordSale(
        body.buyer_kind,
        body.buyer,
        body.price_kzt,
        _moment(body.at),
        tuple(body.items),
        tuple((lot.code, lot.mass_kg) for lot in body.lots),
    )
    return {"id": sales.record_sale(registry.uow(), principal, command, registry.settings.yields)}


@router.get("/sales", summary="Domestic sales with their prices (an authority sees all, a seller its own)")
def get_sales(registry: RegistryDep, principal: PrincipalDep) -> list[dict[str, Any]]:
    return sales.list_sales(registry.uow(), principal)


@router.get("/sale-prices", summary="What the market paid, per product and year (kiik never sets prices)")
def get_sale_prices(registry: RegistryDep, principal: PrincipalDep) -> list[dict[str, Any]]:
    return sales.sale_prices(registry.uow(), principal)


class TakePermitIn(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    number: str = Field(min_length=1, max_length=60)
    kind: str = Field(description="hunting (argali trophies) or collection (plants by mass)")
    species: str = Field(min_length=3, max_length=120)
    area: str = Field(min_length=1, max_length=300)
    starts: date
    ends: date
    holder: str = Field(min_length=1, max_length=64, description="the code of the outfitter or collector")
    limit: float = Field(gt=0, le=1e7, description="trophies (hunting) or kilograms (collection)")


class TakeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    permit: str = Field(min_length=1, max_length=60)
    code: str = Field(min_length=1, max_length=300, description="the trophy's code, or the collected lot's")
    mass_kg: float | None = Field(default=None, gt=0, le=1e7)
    at: datetime | None = None


@router.post("/take-permits", status_code=201, summary="Issue a hunting or collection permit (ministry)")
def post_take_permit(
    body: TakePermitIn,
    registry: RegistryDep,
    principal: may(Permission.CULLS_MANAGE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    permit = takings.issue_take_permit(
        registry.uow(), principal, takings.IssueTakePermit(**body.model_dump())
    )
    return {"number": permit.number, "kind": permit.kind.value, "species": permit.species}


@router.get("/take-permits", summary="Hunting and collection permits, with what was taken under each")
def get_take_permits(registry: RegistryDep, principal: PrincipalDep) -> list[dict[str, Any]]:
    return takings.take_permits(registry.uow(), principal)


@router.post("/takings", status_code=201, summary="Record a trophy or a collected lot under its permit")
def post_taking(body: TakeIn, registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    command = takings.Take(body.permit, body.code, _moment(body.at), body.mass_kg)
    return {"code": takings.take(registry.uow(), principal, command, registry.settings.yields)}
