"""Keeps the origin projection (`item_origins`): an `EventRule` that refuses nothing.

Every commissioning's items are remembered with its ILMD (the animal ID taken out); once a batch of
events is written (`written`), their primary keys are looked up in one query per batch and the
origins stored, in the capture's transaction. Lineage then reads the origin of hundreds of source
items from the projection, and the forward trace from an animal starts there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiik.domain.custody import Violation
from kiik.domain.event_facts import EventFacts
from kiik.domain.origins import origin_rows
from kiik.domain.permissions import Principal
from kiik.services.ports import UnitOfWork


class OriginRecorder:
    def __init__(self, uow: UnitOfWork) -> None:
        self.lineage: Any = uow.lineage  # type: ignore[attr-defined]
        self.pending: list[dict[str, Any]] = []

    def check(self, facts: EventFacts, event: Mapping[str, Any], principal: Principal) -> list[Violation]:
        if facts.action == "ADD" and facts.event_type == "ObjectEvent":
            self.pending += [{**row, "org_id": principal.org_id} for row in origin_rows(facts)]
        return []

    def written(self) -> None:
        if not self.pending:
            return
        events = self.lineage.commissioned([row["item_key"] for row in self.pending])
        rows = []
        for row in self.pending:
            found = events.get(row["item_key"])
            if found is not None:
                pk, event_id, hash_id, moment = found
                rows.append(
                    {**row, "event_pk": pk, "event_id": event_id, "hash_id": hash_id, "event_time": moment}
                )
        self.lineage.record_origins(rows)
        self.pending = []
