"""A large consignment between two registries, end to end, and its reconciliation alone.

    .venv/bin/python benchmarks/bench_partner.py                      # 10,000 horns, SQLite
    .venv/bin/python benchmarks/bench_partner.py --items 10000 --db postgresql://postgres@127.0.0.1:5432/postgres

Kazakhstan (KZ) and China (CN) each get a fresh database and are served by uvicorn on loopback
ports. Not timed: KZ harvests `--items` horns, they go to the trader, who applies for one permit
for all of them; the ministry issues it. Timed, end to end: customs endorses the export (the
export event, the permit used and the signed export notice with every item's history, in one
transaction); the notice is delivered over HTTP and applied in CN (its items registered on their
way to CN's customs); CN's customs scans the consignment on arrival (three horns missing, two
weighed light, one stray code) and the signed confirmation goes back over HTTP and closes the
permit; both registries reconcile the permit. Then reconciliation alone, on each side, `--runs`
times (the median and the slowest printed). Targets (issue 5): end to end < 5 s, reconciliation
of 10,000 items < 1 s.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).parent))

from common import (  # noqa: E402
    capture_file,
    commissioning_document,
    fresh_registry,
    harvest_setup,
    served,
)

from kiik.bootstrap.migrate import upgrade  # noqa: E402
from kiik.bootstrap.registry import Registry  # noqa: E402
from kiik.config import Settings  # noqa: E402
from kiik.db.engine import make_engine  # noqa: E402
from kiik.directory.domain.permissions import OrgKind, Principal, Role  # noqa: E402
from kiik.directory.services.auth import add_organisation, add_site  # noqa: E402
from kiik.epcis.adapters.reader import validate_event  # noqa: E402
from kiik.epcis.domain import event_builders as build  # noqa: E402
from kiik.epcis.domain.identifiers import canonical_key  # noqa: E402
from kiik.harvest.domain.authorisations import SAIGA  # noqa: E402
from kiik.ledger.services.signing_keys import ensure_signing_key  # noqa: E402
from kiik.partners.adapters.client import HttpPartnerClient  # noqa: E402
from kiik.partners.domain.reconciliation import Period, Report, Side  # noqa: E402
from kiik.partners.services.delivery import deliver_outbox  # noqa: E402
from kiik.partners.services.imports import RecordArrival, record_arrival  # noqa: E402
from kiik.partners.services.reconciliation import Reconcile, ReconcileSettings, reconcile_partners  # noqa: E402
from kiik.partners.services.registries import add_partner  # noqa: E402
from kiik.permits.services.application import ApplyForPermit, apply_for_permit  # noqa: E402
from kiik.permits.services.decisions import IssuePermit, issue_permit  # noqa: E402
from kiik.permits.services.endorsement import EndorseExport, endorse_export  # noqa: E402
from kiik.species.domain.quotas import Quota  # noqa: E402
from kiik.species.services.quotas import set_quota  # noqa: E402
from kiik.species.services.register import seed_register  # noqa: E402

T = TypeVar("T")


@dataclass(frozen=True)
class Cast:
    """The exporting side's organisations: codes and GS1 company prefixes (others in a registry
    that already has the defaults, such as bench_history.py's)."""

    team: str = "harvest"
    team_prefix: str = "4870002"
    trader: str = "trader"
    trader_prefix: str = "4870005"
    customs: str = "customs"
    customs_gln: str = "4870006000003"


def new_cast() -> Cast:
    """Codes and company prefixes of their own, for a run on a registry that has others already."""
    tag = f"{random.randrange(10_000):04d}"
    return Cast(
        f"kz-harvest-{tag}",
        f"489{tag}",
        f"kz-trader-{tag}",
        f"488{tag}",
        f"kz-customs-{tag}",
        f"487{tag}000000",
    )


@contextmanager
def existing_registry(url: str, **settings: object) -> Iterator[Registry]:
    engine = make_engine(url)
    upgrade(engine)
    try:
        yield Registry(Settings(database_url=url, **settings), engine)  # type: ignore[arg-type]
    finally:
        engine.dispose()


def ministry_of(registry: Registry) -> Principal:
    with registry.uow() as uow:
        found = uow.directory.organisation("ministry")
    # A registry without one (the importing side here) is still asked by a ministry's principal.
    org_id = found.id if found is not None and found.id is not None else 1
    return Principal(org_id, "ministry", "Ministry", OrgKind.MINISTRY, Role.ADMIN)


def timed(what: str, figures: dict[str, float], call: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = call()
    figures[what] = time.perf_counter() - started
    print(f"  {what:<48} {figures[what]:7.3f} s", flush=True)
    return result


def member(registry: Registry, code: str, kind: str, gln: str, country: str = "KZ") -> Principal:
    pgln = f"urn:epc:id:pgln:{gln[:7]}.{gln[7:12]}"
    org_id = add_organisation(registry.uow(), code, code, kind, pgln=pgln, country=country)
    add_site(registry.uow(), code, f"urn:epc:id:sgln:{gln[:7]}.{gln[7:12]}.0", f"{code} site")
    return Principal(org_id, code, code, OrgKind(kind), Role.OPERATOR)


def captured(registry: Registry, principal: Principal, source: Path | bytes) -> None:
    outcome = capture_file(registry, principal, source)
    assert outcome.succeeded, outcome.errors[:3]


def exporter_ready(kz: Registry, items: int, folder: Path, cast: Cast) -> tuple[str, list[str], Principal]:
    """KZ with `items` horns harvested and held by the trader under an issued permit to CN."""
    team, _, origin = harvest_setup(kz, animals=items // 2 + 1, team=cast.team, prefix=cast.team_prefix)
    ministry = ministry_of(kz)
    trader = member(kz, cast.trader, "trader", f"{cast.trader_prefix}000004")
    customs = member(kz, cast.customs, "customs", cast.customs_gln)
    seed_register(kz.uow(), quotas=False)  # adds only what is missing
    year = datetime.now(UTC).year
    set_quota(kz.uow(), ministry, Quota(SAIGA, None, "KGM", "W", "T", None, year, year, 10_000.0, "CoP20"))
    team_site = f"urn:epc:id:sgln:{cast.team_prefix}.00000.0"
    captured(
        kz,
        team,
        commissioning_document(
            folder / "harvest.json", items, "000001", team_site, origin, prefix=cast.team_prefix
        ),
    )
    horns = [f"urn:epc:id:sgtin:{cast.team_prefix}.000001.{n + 1}" for n in range(items)]
    at = datetime(2025, 10, 1, tzinfo=UTC)
    trader_site, trader_party = (
        f"urn:epc:id:sgln:{cast.trader_prefix}.00000.0",
        f"urn:epc:id:pgln:{cast.trader_prefix}.00000",
    )
    ship = build.shipping(
        horns, at, team_site, f"urn:epc:id:pgln:{cast.team_prefix}.00000", trader_party, trader_site
    )
    captured(kz, team, json.dumps(build.document([ship])).encode())
    captured(
        kz,
        trader,
        json.dumps(build.document([build.receiving(horns, at + timedelta(hours=2), trader_site)])).encode(),
    )
    applied = apply_for_permit(
        kz.uow(), trader, ApplyForPermit(horns, "Tongrentang Import Co.", "CN", "Beijing")
    )
    permit = issue_permit(kz.uow(), ministry, IssuePermit(applied.id))
    return str(permit.number), horns, customs


def introduce(kz: Registry, kz_url: str, cn: Registry, cn_url: str) -> None:
    """Each registry registers the other with its published keys."""
    for here, there, country, url in ((kz, cn, "CN", cn_url), (cn, kz, "KZ", kz_url)):
        with there.uow() as uow:
            keys = [(k.key_id, k.public_key) for k in uow.keys.published()]
        add_partner(here.uow(), None, country, country, url, keys)


def reconciled(registry: Registry, number: str, side: Side) -> Report:
    settings = ReconcileSettings.of(registry.settings)
    return reconcile_partners(
        registry.uow(), ministry_of(registry), Reconcile(number, Period(), side), settings
    )


def summary_line(report: Report) -> str:
    [line] = report.permits
    counts = {k: v for k, v in line.to_json()["counts"].items() if v}  # type: ignore[union-attr]
    return f"{line.exported_items:,} items, {line.received_items:,} arrived, {counts}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=10_000, help="horns in the consignment")
    parser.add_argument("--db", default=None, help="sqlite (default) or a PostgreSQL admin URL")
    parser.add_argument("--runs", type=int, default=5, help="runs of reconciliation alone, each side")
    parser.add_argument("--profile", type=Path, default=None, help="write a cProfile of the timed loop here")
    parser.add_argument(
        "--kz-registry",
        default=None,
        help="KZ is this existing PostgreSQL registry (e.g. bench_history.py's ten million events), "
        "not a fresh one; the consignment's organisations get codes of their own",
    )
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}; {args.items:,} items; {args.db or 'SQLite'}", flush=True)
    figures: dict[str, float] = {}
    client = HttpPartnerClient(timeout=120)
    with (
        (
            existing_registry(args.kz_registry, country="KZ", partner_delivery_seconds=0)
            if args.kz_registry
            else fresh_registry(args.db, country="KZ", partner_delivery_seconds=0)
        ) as kz,
        fresh_registry(args.db, country="CN", partner_delivery_seconds=0) as cn,
        tempfile.TemporaryDirectory(prefix="kiik-bench-partner-") as folder,
    ):
        ensure_signing_key(kz.uow())
        ensure_signing_key(cn.uow())
        started = time.perf_counter()
        cast = new_cast() if args.kz_registry else Cast()
        number, horns, customs = exporter_ready(kz, args.items, Path(folder), cast)
        cn_customs = member(cn, "cn-customs", "customs", "6900001000001", "CN")
        print(f"set-up (not timed): {time.perf_counter() - started:.1f} s; permit {number}", flush=True)
        with served(kz) as kz_url, served(cn) as cn_url:
            introduce(kz, kz_url, cn, cn_url)
            keys = [canonical_key(h) for h in horns]
            missing, light, stray = (
                keys[:3],
                keys[3:5],
                f"urn:epc:id:sgtin:{cast.team_prefix}.000001.999999999",
            )
            scanned = [k for k in keys if k not in missing] + [stray]
            profile = cProfile.Profile() if args.profile else None
            if profile:
                profile.enable()
            started = time.perf_counter()
            endorse = EndorseExport(number, horns)
            timed(
                "endorse: export event, permit used, notice signed",
                figures,
                lambda: endorse_export(
                    kz.uow(), customs, endorse, validate_event, custody_rules=True, yields={}
                ),
            )
            report = timed(
                "notice delivered over HTTP and applied", figures, lambda: deliver_outbox(kz.uow, client)
            )
            assert report.delivered and not report.failed, report.failed
            arrival = RecordArrival(number, scanned, dict.fromkeys(light, 0.2))
            timed(
                "arrival scanned, confirmation signed",
                figures,
                lambda: record_arrival(cn.uow(), cn_customs, arrival),
            )
            report = timed(
                "confirmation delivered, permit closed", figures, lambda: deliver_outbox(cn.uow, client)
            )
            assert report.delivered and not report.failed, report.failed
            exported = timed(
                "reconciled, exporting side", figures, lambda: reconciled(kz, number, Side.EXPORT)
            )
            imported = timed(
                "reconciled, importing side", figures, lambda: reconciled(cn, number, Side.IMPORT)
            )
            total = time.perf_counter() - started
            if profile:
                profile.disable()
                profile.dump_stats(args.profile)
            print(f"end to end: {total:.3f} s (target < 5 s) {'met' if total < 5 else 'NOT MET'}")
            print(f"  exporter: {summary_line(exported)}")
            print(f"  importer: {summary_line(imported)}")
        for side, registry in ((Side.EXPORT, kz), (Side.IMPORT, cn)):
            runs = []
            for _ in range(args.runs):
                began = time.perf_counter()
                reconciled(registry, number, side)
                runs.append(time.perf_counter() - began)
            worst = max(runs)
            print(
                f"reconciliation alone, {side.value} side, {args.items:,} items: median "
                f"{statistics.median(runs):.3f} s, slowest {worst:.3f} s (target < 1 s) "
                f"{'met' if worst < 1 else 'NOT MET'}"
            )
    print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
