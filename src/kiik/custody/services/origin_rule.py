"""Keeps the origin projection (`item_origins`): an `EventRule` that refuses nothing.

Once a batch of events is written (`written`), every commissioning among them has its items stored
with its ILMD (the animal ID taken out), in the capture's transaction. Lineage then reads the
origin of hundreds of source items from the projection, and the forward trace from an animal
starts there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kiik.custody.domain.origins import origin_rows
from kiik.custody.domain.state import Violation
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Principal
from kiik.epcis.domain.event_facts import EventFacts
from kiik.epcis.services.records import WrittenEvent


class OriginRecorder:
    def __init__(self, uow: UnitOfWork) -> None:
        self.lineage: Any = uow.lineage  # type: ignore[attr-defined]

    def check(self, facts: EventFacts, event: Mapping[str, Any], principal: Principal) -> list[Violation]:
        return []

    def written(self, events: Sequence[WrittenEvent]) -> None:
        rows = [
            {
                **origin,
                "ilmd": facts.ilmd_json,  # encoded once (by the worker that read the document)
                "event_pk": pk,
                "event_id": row.event_id,
                "hash_id": row.hash_id,
                "event_time": row.event_time,
                "org_id": row.org_id,
            }
            for pk, row, facts in events
            for origin in origin_rows(facts)
        ]
        if rows:
            self.lineage.record_origins(rows)
