"""The demo's export to China: the exporter applies for a CITES export permit for the lot of horn
shavings (or powder) it bought from the Shymkent plant, sold to a licensed importer of traditional medicine
materials in China; the ministry issues it within the CoP20 quota. China's authority
(`partner.authority`, which sees only the permits to its country) then reads the permit, its
status and its items back to harvest, and customs can endorse it when the lot leaves.

The permit is issued when the register holds an open saiga quota for the year with room for the
lot (`kiik demo` seeds the CoP20 quota, 10,000 kg a year 2026-2028); without one there is nothing
to issue it under, and no permit is made."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import cast

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Principal
from kiik.permits.services.application import ApplyForPermit, apply_for_permit
from kiik.permits.services.decisions import IssuePermit, issue_permit
from kiik.permits.services.reports import quota_use
from kiik.species.services.ports import CitesUnitOfWork

SAIGA = "Saiga tatarica"
# A licensed importer (invented for the demo) in Anguo, Hebei: China's largest market of
# traditional medicine materials.
IMPORTER = (
    "Anguo Materia Medica Import Co., Ltd.",
    "CN",
    "18 Yaodu Road, Anguo, Baoding, Hebei 071200, China",
)
CONDITIONS = "For processing into traditional medicine; the importer reports onward processing."


def _room_in_quota(cites: CitesUnitOfWork, ministry: Principal, year: int, kg: float) -> bool:
    years = quota_use(cites, ministry, year)["years"]
    return any(y["species"] == SAIGA and y["remaining"] >= kg for y in years)


def export_to_china(
    uow_factory: Callable[[], UnitOfWork], who: Mapping[str, Principal], lot: tuple[str, float]
) -> str | None:
    """The number of the permit issued for `lot` (class key, kg) to China; None without a quota."""
    # The permits' use cases take the unit of work with the CITES stores (every SqlUnitOfWork has them).
    cites = cast(Callable[[], CitesUnitOfWork], uow_factory)
    key, kg = lot
    if not _room_in_quota(cites(), who["kz-ministry"], datetime.now(UTC).year, kg):
        return None
    application = ApplyForPermit([key], *IMPORTER, purpose="T", source="W", special_conditions=CONDITIONS)
    applied = apply_for_permit(cites(), who["saiga-export"], application)
    return str(issue_permit(cites(), who["kz-ministry"], IssuePermit(applied.id)).number)
