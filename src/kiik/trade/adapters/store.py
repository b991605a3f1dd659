"""Trade's store: cull operations, carcass batches, processing runs, meat lots and their counters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from kiik.directory.adapters.tables import organisations
from kiik.trade.adapters.tables import (
    carcass_batches,
    cull_operations,
    derivative_sale_lines,
    derivative_sales,
    meat_lots,
    processing_runs,
    take_permits,
    takings,
)
from kiik.trade.domain.culls import CullOperation
from kiik.trade.domain.meat import LotPlan, ProcessingRun
from kiik.trade.domain.packs import MeatLot
from kiik.trade.domain.sales import DerivativeSale, SaleLine
from kiik.trade.domain.takings import TakeKind, TakePermit


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _cull(row: Any) -> CullOperation:
    return CullOperation(
        row.number,
        row.population,
        row.area,
        row.starts,
        row.ends,
        row.authorisation,
        row.animals_allowed,
        row.team_org_id,
        row.id,
    )


_LOT_COLUMNS = (
    meat_lots,
    processing_runs.c.product_type,
    processing_runs.c.made_on,
    processing_runs.c.vet_certificate,
    organisations.c.name.label("plant"),
)


def _lot(row: Any) -> MeatLot:
    return MeatLot(
        key=row.key,
        gtin=row.gtin,
        batch=row.batch,
        product_type=row.product_type,
        plant=row.plant,
        packs=row.packs,
        pack_mass_kg=row.pack_mass_kg,
        made_on=row.made_on,
        use_by=row.use_by,
        vet_certificate=row.vet_certificate,
        population=row.population,
        cull_from=row.cull_from,
        cull_to=row.cull_to,
        culls=tuple(row.culls or ()),
        packs_sold=row.packs_sold,
        recalled_on=row.recalled_on,
        recall_reason=row.recall_reason,
    )


class TradeStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    # Cull operations and their carcasses.

    def add_cull(self, operation: CullOperation) -> int:
        values = {
            "number": operation.number,
            "population": operation.population,
            "area": operation.area,
            "starts": operation.starts,
            "ends": operation.ends,
            "authorisation": operation.authorisation,
            "animals_allowed": operation.animals_allowed,
            "team_org_id": operation.team_org_id,
            "created_at": _now(),
        }
        return int(self.connection.execute(insert(cull_operations).values(**values)).inserted_primary_key[0])

    def cull(self, number: str) -> CullOperation | None:
        row = self.connection.execute(
            select(cull_operations).where(cull_operations.c.number == number)
        ).first()
        return _cull(row) if row else None

    def culls(self) -> list[CullOperation]:
        query = select(cull_operations).order_by(cull_operations.c.starts, cull_operations.c.number)
        return [_cull(r) for r in self.connection.execute(query)]

    def carcasses_recorded(self, cull_id: int) -> int:
        query = select(func.coalesce(func.sum(carcass_batches.c.carcasses), 0)).where(
            carcass_batches.c.cull_id == cull_id
        )
        return int(self.connection.scalar(query) or 0)

    def add_carcass_batches(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self.connection.execute(insert(carcass_batches), [dict(r) for r in rows])

    def carcass_origins(self, keys: Iterable[str]) -> dict[str, tuple[str, date, str]]:
        """Population, day and cull number of each known carcass batch."""
        query = (
            select(
                carcass_batches.c.key,
                cull_operations.c.population,
                carcass_batches.c.delivered_on,
                cull_operations.c.number,
            )
            .join(cull_operations, cull_operations.c.id == carcass_batches.c.cull_id)
            .where(carcass_batches.c.key.in_(list(keys)))
        )
        return {r.key: (r.population, r.delivered_on, r.number) for r in self.connection.execute(query)}

    # Processing runs and meat lots.

    def add_run(self, run: ProcessingRun, plant_org_id: int) -> int:
        values = {
            "plant_org_id": plant_org_id,
            "product_type": run.product_type,
            "made_on": run.made_on,
            "vet_certificate": run.vet_certificate,
            "input_kg": run.input_kg,
            "output_kg": run.output_kg,
            "inputs": [[key, kg] for key, kg in run.inputs],
        }
        return int(self.connection.execute(insert(processing_runs).values(**values)).inserted_primary_key[0])

    def add_lots(
        self, run_id: int, gtin: str, lots: Sequence[tuple[str, LotPlan]], origin: Mapping[str, Any]
    ) -> None:
        rows = [
            {
                "key": key,
                "run_id": run_id,
                "gtin": gtin,
                "batch": lot.batch,
                "packs": lot.packs,
                "pack_mass_kg": lot.pack_mass_kg,
                "use_by": lot.use_by,
                "packs_sold": 0,
                **origin,
            }
            for key, lot in lots
        ]
        if rows:
            self.connection.execute(insert(meat_lots), rows)

    def _lots_query(self) -> Any:
        return (
            select(*_LOT_COLUMNS)
            .join(processing_runs, processing_runs.c.id == meat_lots.c.run_id)
            .join(organisations, organisations.c.id == processing_runs.c.plant_org_id)
        )

    def lot(self, key: str) -> MeatLot | None:
        row = self.connection.execute(self._lots_query().where(meat_lots.c.key == key)).first()
        return _lot(row) if row else None

    def lots_of(self, keys: Iterable[str]) -> dict[str, MeatLot]:
        query = self._lots_query().where(meat_lots.c.key.in_(list(keys)))
        return {row.key: _lot(row) for row in self.connection.execute(query)}

    def plant_of(self, key: str) -> int | None:
        query = (
            select(processing_runs.c.plant_org_id)
            .join(meat_lots, meat_lots.c.run_id == processing_runs.c.id)
            .where(meat_lots.c.key == key)
        )
        return self.connection.scalar(query)

    def lots(self, limit: int = 200, offset: int = 0) -> list[MeatLot]:
        query = self._lots_query().order_by(processing_runs.c.made_on.desc(), meat_lots.c.key)
        return [_lot(r) for r in self.connection.execute(query.limit(limit).offset(offset))]

    def add_packs_sold(self, sold: Mapping[str, int]) -> None:
        for key, packs in sold.items():
            self.connection.execute(
                update(meat_lots)
                .where(meat_lots.c.key == key)
                .values(packs_sold=meat_lots.c.packs_sold + packs)
            )

    def mark_recalled(self, recalls: Mapping[str, tuple[date, str]]) -> None:
        for key, (day, reason) in recalls.items():
            self.connection.execute(
                update(meat_lots)
                .where(meat_lots.c.key == key, meat_lots.c.recalled_on.is_(None))
                .values(recalled_on=day, recall_reason=reason)
            )

    # The mass balance of a cull, from carcasses to packs.

    def cull_balance(self, cull_id: int) -> dict[str, Any]:
        batches = {
            r.key: (r.carcasses, r.mass_kg)
            for r in self.connection.execute(
                select(carcass_batches.c.key, carcass_batches.c.carcasses, carcass_batches.c.mass_kg).where(
                    carcass_batches.c.cull_id == cull_id
                )
            )
        }
        runs = list(self.connection.execute(select(processing_runs.c.id, processing_runs.c.inputs)))
        used_kg, run_ids = 0.0, []
        for run in runs:
            taken = sum(float(kg) for key, kg in run.inputs if key in batches)
            if taken:
                used_kg += taken
                run_ids.append(run.id)
        lots = list(
            self.connection.execute(
                select(meat_lots, processing_runs.c.input_kg)
                .join(processing_runs, processing_runs.c.id == meat_lots.c.run_id)
                .where(meat_lots.c.run_id.in_(run_ids))
            )
        )
        return {
            "carcasses": sum(c for c, _ in batches.values()),
            "carcass_kg": sum(kg for _, kg in batches.values()),
            "processed_kg": used_kg,
            "lots": len(lots),
            "lot_kg": sum(r.packs * r.pack_mass_kg for r in lots),
            "packs": sum(r.packs for r in lots),
            "packs_sold": sum(r.packs_sold for r in lots),
            "recalled_lots": sum(1 for r in lots if r.recalled_on is not None),
        }

    # Domestic sales of marked derivatives.

    def sold(self, keys: Iterable[str]) -> dict[str, float]:
        """Each key's sold kilograms (0.0 for an item sold whole without a recorded mass)."""
        query = (
            select(derivative_sale_lines.c.key, func.sum(func.coalesce(derivative_sale_lines.c.kg, 0.0)))
            .where(derivative_sale_lines.c.key.in_(list(keys)))
            .group_by(derivative_sale_lines.c.key)
        )
        return {key: float(kg or 0.0) for key, kg in self.connection.execute(query)}

    def add_sales(self, sales: Sequence[DerivativeSale], event_ids: Mapping[str, str]) -> None:
        if not sales:
            return
        self.connection.execute(
            insert(derivative_sales),
            [
                {
                    "id": sale.id,
                    "seller_org_id": sale.seller_org_id,
                    "buyer_kind": sale.buyer_kind,
                    "buyer": sale.buyer,
                    "product_type": sale.product_type,
                    "items": sale.items,
                    "mass_kg": sale.mass_kg,
                    "price_kzt": sale.price_kzt,
                    "sold_at": sale.sold_at,
                    "event_id": event_ids.get(sale.id, ""),
                }
                for sale in sales
            ],
        )
        lines = [
            {"sale_id": sale.id, "key": line.key, "is_class": line.is_class, "kg": line.kg}
            for sale in sales
            for line in sale.lines
        ]
        self.connection.execute(insert(derivative_sale_lines), lines)

    def sales(self, seller_org_id: int | None = None) -> list[DerivativeSale]:
        query = select(derivative_sales).order_by(derivative_sales.c.sold_at, derivative_sales.c.id)
        if seller_org_id is not None:
            query = query.where(derivative_sales.c.seller_org_id == seller_org_id)
        headers = list(self.connection.execute(query))
        lines: dict[str, list[SaleLine]] = {}
        ids = [h.id for h in headers]
        if ids:
            for row in self.connection.execute(
                select(derivative_sale_lines).where(derivative_sale_lines.c.sale_id.in_(ids))
            ):
                lines.setdefault(row.sale_id, []).append(SaleLine(row.key, row.is_class, row.kg))
        return [
            DerivativeSale(
                h.id,
                h.seller_org_id,
                h.buyer_kind,
                h.buyer,
                h.product_type,
                tuple(lines.get(h.id, ())),
                h.price_kzt,
                h.sold_at,
            )
            for h in headers
        ]

    # Permits to take wild specimens, and what was taken under them.

    def add_take_permit(self, permit: TakePermit) -> int:
        values = {
            "number": permit.number,
            "kind": permit.kind.value,
            "species": permit.species,
            "area": permit.area,
            "starts": permit.starts,
            "ends": permit.ends,
            "holder_org_id": permit.holder_org_id,
            "limit_amount": permit.limit,
            "created_at": _now(),
        }
        return int(self.connection.execute(insert(take_permits).values(**values)).inserted_primary_key[0])

    def _take_permit(self, row: Any) -> TakePermit:
        return TakePermit(
            row.number,
            TakeKind(row.kind),
            row.species,
            row.area,
            row.starts,
            row.ends,
            row.holder_org_id,
            row.limit_amount,
            row.id,
        )

    def take_permit(self, number: str) -> TakePermit | None:
        row = self.connection.execute(select(take_permits).where(take_permits.c.number == number)).first()
        return self._take_permit(row) if row else None

    def take_permits(self) -> list[TakePermit]:
        query = select(take_permits).order_by(take_permits.c.starts, take_permits.c.number)
        return [self._take_permit(r) for r in self.connection.execute(query)]

    def taken(self, permit_id: int) -> float:
        query = select(func.coalesce(func.sum(takings.c.amount), 0.0)).where(takings.c.permit_id == permit_id)
        return float(self.connection.scalar(query) or 0.0)

    def takings_of(self, permit_id: int) -> list[tuple[str, float, date]]:
        query = (
            select(takings)
            .where(takings.c.permit_id == permit_id)
            .order_by(takings.c.taken_on, takings.c.key)
        )
        return [(r.key, r.amount, r.taken_on) for r in self.connection.execute(query)]

    def add_takings(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self.connection.execute(insert(takings), [dict(r) for r in rows])
