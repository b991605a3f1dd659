"""Importing a harvest team's field sheet: one CSV, one document of commissionings, all or nothing.

The sheet becomes one commissioning event per horn (`kiik.harvest.domain.events`), captured through
the same path as any EPCIS document, in one transaction with the record of the import. A sheet
is recorded once per (organisation, idempotency key): the same key with the same sheet is answered
with the first result; the same key with another sheet is refused. A sheet cut off half-way and
sent again is recorded once as well: nothing of a refused or interrupted upload is stored, and the
events of horns stored before are recognised as already recorded (capture stores an event once).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from kiik.custody.services.capture import capture_within
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.identifiers import MICROCHIP_URN
from kiik.harvest.domain.authorisations import HarvestError
from kiik.harvest.domain.events import harvest_event
from kiik.harvest.domain.sheet import (
    CodeReader,
    RowError,
    Sheet,
    SheetImport,
    SheetRow,
    read_printed_code,
    read_sheet,
)
from kiik.harvest.services.ports import HarvestStorePort, harvest_store

_KEY = re.compile(r"[\x21-\x7e]{1,200}")

# The sheet column that a capture rule's refusal points at.
RULE_COLUMNS = {
    "harvest.authorisation_required": "authorisation",
    "harvest.unknown_authorisation": "authorisation",
    "harvest.not_authorised_organisation": "authorisation",
    "harvest.species_mismatch": "authorisation",
    "harvest.population_mismatch": "population",
    "harvest.outside_window": "harvest_time",
    "harvest.date_invalid": "harvest_time",
    "harvest.point_required": "latitude",
    "harvest.point_invalid": "latitude",
    "harvest.outside_area": "latitude",
    "harvest.animal_required": "animal_id",
    "harvest.animal_limit": "animal_id",
    "harvest.too_many_horns": "animal_id",
    "harvest.sex_required": "sex",
    "harvest.female_horn": "sex",
    "harvest.sex_conflict": "sex",
}


class IdempotencyKeyReused(Exception):
    """An idempotency key already recorded a different sheet (mapped to 409)."""


@dataclass(frozen=True)
class ImportHarvestSheet:
    sheet: bytes
    idempotency_key: str | None = None  # None: the sheet's SHA-256


@dataclass(frozen=True)
class CapturePath:
    """How documents are read and checked, handed in by the entry point (services import no adapters)."""

    open_document: Callable[
        [bytes], Any
    ]  # the EPCIS reader: bytes -> object with events(), document_problems
    custody_rules: bool
    yields: dict[str, float]
    read_code: CodeReader = read_printed_code  # entry points pass the scanner-aware reader
    batch_size: int = 2000
    max_errors: int = 1000


@dataclass
class ImportOutcome:
    idempotency_key: str
    sheet_sha256: str
    status: str  # recorded, replayed or rejected
    rows: int = 0
    horns: int = 0
    animals: int = 0
    stored: int = 0
    already_recorded: int = 0
    capture_id: str | None = None
    recorded_at: str | None = None
    errors: list[RowError] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        return self.status != "rejected"

    def summary(self) -> str:
        if self.status == "rejected":
            rows = len({e.row for e in self.errors})
            return f"sheet refused: {len(self.errors)} problems in {rows} rows; nothing was stored"
        verb = "already recorded at " + str(self.recorded_at) if self.status == "replayed" else "recorded"
        return (
            f"sheet {verb}: {self.horns} horns of {self.animals} animals, {self.stored} events stored, "
            f"{self.already_recorded} recorded before"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "idempotencyKey": self.idempotency_key,
            "sheetSha256": self.sheet_sha256,
            "rows": self.rows,
            "horns": self.horns,
            "animals": self.animals,
            "stored": self.stored,
            "alreadyRecorded": self.already_recorded,
            "captureID": self.capture_id,
            "recordedAt": self.recorded_at,
            "errors": [e.to_json() for e in self.errors],
        }


def import_harvest_sheet(
    uow: UnitOfWork, principal: Principal, command: ImportHarvestSheet, path: CapturePath
) -> ImportOutcome:
    """Record a field sheet once, or refuse it whole with every problem by row and column."""
    require(principal, Permission.EVENTS_CAPTURE)
    digest = hashlib.sha256(command.sheet).hexdigest()
    key = digest if command.idempotency_key is None else command.idempotency_key.strip()
    if not _KEY.fullmatch(key):
        raise HarvestError(
            "an idempotency key is 1-200 visible ASCII characters without spaces (a UUID will do)"
        )
    try:
        outcome = _import_once(uow, principal, command.sheet, key, digest, path)
    except IdempotencyKeyReused:
        raise
    except Exception:
        # Two uploads under one key at once: the database lets one commit; the other answers with its result.
        earlier = _recorded(uow, principal, key)
        if earlier is None:
            raise
        return _answer(earlier, digest)
    if outcome.status == "rejected" and (earlier := _recorded(uow, principal, key)) is not None:
        return _answer(earlier, digest)  # refused only because the same upload got in first
    return outcome


def find_import(uow: UnitOfWork, principal: Principal, key: str) -> ImportOutcome | None:
    """What the organisation's upload under `key` recorded, or None when nothing was recorded under
    it (not received yet, or refused: a refused sheet stores nothing). For the page a person
    reopens after leaving an upload."""
    require(principal, Permission.EVENTS_CAPTURE)
    earlier = _recorded(uow, principal, key.strip())
    return None if earlier is None else _answer(earlier, earlier.sheet_sha256)


def recent_imports(uow: UnitOfWork, principal: Principal, limit: int = 10) -> list[ImportOutcome]:
    """The organisation's latest recorded sheets, newest first."""
    require(principal, Permission.EVENTS_CAPTURE)
    with uow:
        found = harvest_store(uow).recent_imports(principal.org_id, limit)
    return [_answer(earlier, earlier.sheet_sha256) for earlier in found]


def _recorded(uow: UnitOfWork, principal: Principal, key: str) -> SheetImport | None:
    with uow:
        return harvest_store(uow).import_of(principal.org_id, key)


def _answer(earlier: SheetImport, digest: str) -> ImportOutcome:
    if earlier.sheet_sha256 != digest:
        raise IdempotencyKeyReused(
            f"the idempotency key {earlier.idempotency_key!r} recorded another sheet on "
            f"{earlier.created_at.isoformat(timespec='seconds')}Z (SHA-256 {earlier.sheet_sha256[:12]}...): "
            "send a corrected sheet under a new key"
        )
    result = dict(earlier.result)
    return ImportOutcome(
        idempotency_key=earlier.idempotency_key,
        sheet_sha256=earlier.sheet_sha256,
        status="replayed",
        rows=result.get("rows", 0),
        horns=result.get("horns", 0),
        animals=result.get("animals", 0),
        stored=result.get("stored", 0),
        already_recorded=result.get("alreadyRecorded", 0),
        capture_id=earlier.capture_id,
        recorded_at=result.get("recordedAt"),
    )


def _import_once(
    uow: UnitOfWork, principal: Principal, data: bytes, key: str, digest: str, path: CapturePath
) -> ImportOutcome:
    outcome = ImportOutcome(key, digest, "rejected")
    with uow:
        store = harvest_store(uow)
        store.lock_import(principal.org_id, key)
        earlier = store.import_of(principal.org_id, key)
        if earlier is not None:
            return _answer(earlier, digest)
        sheet = read_sheet(data, path.read_code)
        outcome.rows, outcome.horns, outcome.animals = sheet.row_count, len(sheet.rows), sheet.animals
        rows = _completed(uow, store, principal, sheet)
        sheet.errors += _microchips_in_use(uow, store, rows)
        if rows:
            document = build.document([harvest_event(r.animal, r.horn, r.site) for r in rows])
            reader = path.open_document(json.dumps(document).encode())
            captured = capture_within(
                uow,
                principal,
                reader.events(),
                custody_rules=path.custody_rules,
                yields=path.yields,
                batch_size=path.batch_size,
                max_errors=path.max_errors,
                document_problems=reader.document_problems,
            )
            sheet.errors += [_row_error(e, rows) for e in captured.errors]
            if captured.unreported_errors:
                more = (
                    f"and {captured.unreported_errors} more problems, not listed: fix these and send it again"
                )
                sheet.errors.append(RowError(None, None, more, "sheet.more_problems"))
            outcome.stored, outcome.already_recorded = captured.stored, captured.duplicates
            outcome.capture_id = captured.capture_id
        if sheet.errors:
            uow.rollback()
            outcome.errors = sorted(sheet.errors, key=lambda e: (e.row or 0, e.column or ""))
            outcome.stored = outcome.already_recorded = 0
            return outcome
        outcome.status = "recorded"
        now = datetime.now(UTC)
        outcome.recorded_at = now.isoformat(timespec="seconds").replace("+00:00", "Z")
        store.add_import(
            SheetImport(principal.org_id, key, digest, outcome.capture_id or "", now, outcome.to_json())
        )
        uow.commit()
    return outcome


def _completed(
    uow: UnitOfWork, store: HarvestStorePort, principal: Principal, sheet: Sheet
) -> list[SheetRow]:
    """Rows with what the sheet may leave out filled in: population and species from the authorisation,
    the site from the organisation's first registered site."""
    own_sites = [s.sgln for s in uow.directory.sites(principal.org_id)]
    authorisations: dict[str, Any] = {}
    completed: list[SheetRow] = []
    for row in sheet.rows:
        number = row.animal.authorisation
        if number not in authorisations:
            authorisations[number] = store.authorisation(number)
        found = authorisations[number]
        animal = row.animal
        if found is not None:
            animal = replace(
                animal, species=found.species, population=animal.population or found.population.value
            )
        site = row.site
        if site is not None and site not in own_sites:
            sheet.errors.append(
                RowError(
                    row.row,
                    "site",
                    f"site {site} is not a site of {principal.org_name}",
                    "sheet.not_your_site",
                )
            )
            continue
        completed.append(replace(row, animal=animal, site=site or (own_sites[0] if own_sites else None)))
    return completed


def _microchips_in_use(uow: UnitOfWork, store: HarvestStorePort, rows: list[SheetRow]) -> list[RowError]:
    """A microchip marks one horn: refuse a chip that the registry already knows on another horn."""
    chips = {r.horn.microchip: r for r in rows if r.horn.microchip}
    if not chips:
        return []
    on_horns = store.horns_with_microchips(chips)
    as_codes = uow.items.load(MICROCHIP_URN + chip for chip in chips)
    errors = []
    for chip, row in chips.items():
        holder = on_horns.get(chip) or (MICROCHIP_URN + chip if MICROCHIP_URN + chip in as_codes else None)
        if holder is not None and holder != row.horn.epc:
            errors.append(
                RowError(
                    row.row,
                    "microchip",
                    f"microchip {chip} is registered already, on horn {holder}: every horn has its own chip",
                    "sheet.microchip_registered",
                )
            )
    return errors


def _row_error(error: dict[str, Any], rows: list[SheetRow]) -> RowError:
    index = error.get("eventIndex")
    row = rows[index] if isinstance(index, int) and 0 <= index < len(rows) else None
    rule = str(error.get("rule", ""))
    column = RULE_COLUMNS.get(rule)
    if rule == "identifier.already_commissioned" and row is not None:
        column = "datamatrix" if row.horn.code else "microchip"
    message = error.get("message", "")  # a Wording stays one, so that the page can translate it
    return RowError(
        row.row if row else None, column, message if isinstance(message, str) else str(message), rule
    )
