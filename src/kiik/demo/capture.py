"""How the demo records its season: as users do, one capture job per EPCIS document.

Every document is read by the same EPCIS reader and captured by the same service as a document
sent to `POST /epcis/capture`, under a capture job that records how it ended. A document the demo
expects to be refused (a laundering attempt) stays on record as a failed job with its reasons.
"""

from __future__ import annotations

import gc
import json
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from kiik.custody.services.capture import CaptureOutcome
from kiik.custody.services.capture_jobs import run_job, start_job
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Principal
from kiik.epcis.domain import event_builders as build

# Opens a document (a file) for capture: the EPCIS reader, handed in by the entry point.
DocumentOpener = Callable[[Path], Any]


class Progress(Protocol):
    """Told how much work a season is, then how much of it each step did."""

    def start(self, total: int) -> None: ...
    def advance(self, stage: str, units: int) -> None: ...


class NoProgress:
    def start(self, total: int) -> None:
        pass

    def advance(self, stage: str, units: int) -> None:
        pass


class SeasonRefused(RuntimeError):
    """A document of the demo season that should have been accepted was refused (a bug to report)."""


@dataclass(frozen=True)
class Irregularity:
    """Something wrong in the season that the registry flags, and where a person sees it flagged."""

    kind: str
    description: str
    code: str | None = None  # the item whose page shows the flag
    capture_id: str | None = None  # the refused capture job that records the attempt
    rules: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        if self.code is not None:
            return "/items/" + quote(self.code, safe="")
        return f"/epcis/capture/{self.capture_id}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "description": self.description,
            "code": self.code,
            "captureID": self.capture_id,
            "rules": list(self.rules),
            "path": self.path,
        }


def units(events: Sequence[Mapping[str, Any]]) -> int:
    """How much work events are, for the progress bar: the items they name."""
    total = 0
    for event in events:
        named = sum(len(event.get(name) or ()) for name in ("epcList", "inputEPCList", "quantityList"))
        total += max(1, named)
    return total


class SeasonCapture:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        open_document: DocumentOpener,
        principals: Mapping[str, Principal],
        *,
        custody_rules: bool,
        yields: dict[str, float],
        progress: Progress,
    ) -> None:
        self.uow_factory, self.open_document, self.principals = uow_factory, open_document, principals
        self.custody_rules, self.yields, self.progress = custody_rules, yields, progress
        self.stored = 0
        self.jobs = 0

    def _run(self, org: str, events: Sequence[Mapping[str, Any]]) -> CaptureOutcome:
        principal = self.principals[org]
        # Spooled to a file, as an upload to POST /epcis/capture is: the reader (or the worker that
        # reads ahead) takes it from there rather than as bytes copied between processes.
        with tempfile.NamedTemporaryFile(prefix="kiik-demo-", suffix=".jsonld") as spooled:
            spooled.write(json.dumps(build.document(events)).encode())
            spooled.flush()
            with self.open_document(Path(spooled.name)) as reader:
                return self._job(principal, reader)

    def _job(self, principal: Principal, reader: Any) -> CaptureOutcome:
        job_id = start_job(self.uow_factory(), principal)
        self.jobs += 1
        return run_job(
            self.uow_factory,
            principal,
            job_id,
            reader.events(),
            reader.document_problems,
            custody_rules=self.custody_rules,
            yields=self.yields,
            batch_size=500,
            max_errors=100,
        )

    def capture(self, stage: str, org: str, events: Sequence[Mapping[str, Any]]) -> CaptureOutcome:
        """Capture a document that must be accepted."""
        if not events:
            return CaptureOutcome(capture_id="")
        outcome = self._run(org, events)
        if not outcome.succeeded:
            raise SeasonRefused(f"the demo's {stage} document for {org} was refused: {outcome.errors[:3]}")
        # What the season keeps (its plan, every horn's record) lives until the season ends: out of
        # the collector's sight, or each full collection walks all of it again (5 % of a season).
        gc.freeze()
        self.stored += outcome.stored
        self.progress.advance(stage, units(events))
        return outcome

    def attempt(
        self, kind: str, description: str, org: str, events: Sequence[Mapping[str, Any]]
    ) -> Irregularity:
        """Capture a document that the registry must refuse; the refusal stays on record as a failed job."""
        outcome = self._run(org, events)
        if outcome.succeeded:
            raise SeasonRefused(
                f"the demo's laundering attempt ({description}) was accepted: kiik failed to refuse it"
            )
        self.progress.advance("refused attempts", units(events))
        rules = tuple(dict.fromkeys(str(e.get("rule")) for e in outcome.errors))
        return Irregularity(kind, description, capture_id=outcome.capture_id, rules=rules)
