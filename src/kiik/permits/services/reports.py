"""Reports for the ministry: quota use per year and per exporter, and the CITES annual report.

The annual report follows the Trade Database's annual-report upload template, exporter side
(trade_db_formats.csv, `annual_report_upload_csv_exporter`): one row per line of each permit
whose export customs endorsed in the year, with the quantity that actually left (box 14).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.species.services.ports import CitesUnitOfWork

ANNUAL_REPORT_COLUMNS = (
    "Appendix",
    "SpeciesName",
    "TermCode",
    "Quantity",
    "UnitCode",
    "TradingPartner",
    "CountryOfOrigin",
    "ExportPermit",
    "OriginPermit",
    "IFSPermit",
    "PurposeCode",
    "SourceCode",
    "Year",
)


def quota_use(uow: CitesUnitOfWork, principal: Principal, year: int | None = None) -> dict[str, Any]:
    """Every quota's cap, reservations, use and remainder per year, and the same per exporter."""
    require(principal, Permission.REPORTS_READ)
    with uow:
        quotas = {q.id: q for q in uow.cites.quotas.quotas()}
        balances = uow.cites.quotas.balances(year=year)
        exporters = uow.cites.quotas.use_by_exporter(year)
    return {
        "years": [
            {
                "quota_id": b.quota_id,
                "quota": quotas[b.quota_id].describe(),
                "species": quotas[b.quota_id].scientific_name,
                "year": b.year,
                "cap": b.cap,
                "reserved": round(b.reserved, 6),
                "used": round(b.used, 6),
                "remaining": round(b.remaining, 6),
                "unit": quotas[b.quota_id].unit,
            }
            for b in balances
        ],
        "exporters": [
            {
                "quota_id": e.quota_id,
                "species": quotas[e.quota_id].scientific_name,
                "year": e.year,
                "exporter": {"code": e.exporter_code, "name": e.exporter_name},
                "reserved": round(e.reserved, 6),
                "used": round(e.used, 6),
            }
            for e in exporters
        ],
    }


def annual_report(uow: CitesUnitOfWork, principal: Principal, year: int) -> list[dict[str, str]]:
    require(principal, Permission.REPORTS_READ)
    rows = []
    with uow:
        appendix = {t.scientific_name: t.cites_appendix for t in uow.cites.species.taxa()}
        for permit in uow.cites.permits.used_in_year(year):
            for items in permit.lines().values():
                first = items[0]
                quantity = sum(i.actual_quantity or 0.0 for i in items)
                if quantity <= 0:
                    continue
                rows.append(
                    {
                        "Appendix": appendix.get(first.scientific_name, ""),
                        "SpeciesName": first.scientific_name,
                        "TermCode": first.term,
                        "Quantity": f"{quantity:.3f}".rstrip("0").rstrip("."),
                        "UnitCode": first.unit,
                        "TradingPartner": permit.import_country,
                        "CountryOfOrigin": "" if permit.kind.value == "export" else "KZ",
                        "ExportPermit": permit.number or "",
                        "OriginPermit": "",
                        "IFSPermit": "",
                        "PurposeCode": permit.purpose,
                        "SourceCode": permit.source,
                        "Year": str(year),
                    }
                )
    return rows


def as_csv(rows: list[dict[str, str]], columns: tuple[str, ...] = ANNUAL_REPORT_COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
