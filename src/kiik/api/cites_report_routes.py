"""Reports for the ministry: quota use, and the CITES annual report as CSV."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from kiik.http.deps import PrincipalDep, RegistryDep
from kiik.permits.services.reports import annual_report, as_csv, quota_use

router = APIRouter(prefix="/api/reports", tags=["Reports"])


@router.get("/quota-use", summary="Quota use per year and per exporter")
def get_quota_use(
    registry: RegistryDep, principal: PrincipalDep, year: int | None = Query(None, ge=1975, le=2100)
) -> dict[str, Any]:
    return quota_use(registry.uow(), principal, year)


@router.get("/cites-annual", summary="CITES annual report (Trade Database upload format, exporter side)")
def get_annual(
    registry: RegistryDep, principal: PrincipalDep, year: int = Query(ge=1975, le=2100)
) -> Response:
    text = as_csv(annual_report(registry.uow(), principal, year))
    headers = {"Content-Disposition": f'attachment; filename="cites-annual-report-KZ-{year}.csv"'}
    return Response(text, media_type="text/csv", headers=headers)
