"""Nothing seized re-enters legal trade: an `EventRule` that refuses any event registering,
moving, selling, processing, packing or exporting a code recorded in a seizure (unless the court
returned its goods: the return is recorded, and custody still holds the item as seized until a
release is recorded there). Destruction, evidence and court steps, and observations stay
allowed. It reads the seized codes once per capture (one query).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiik.custody.domain.rules import operation_of
from kiik.custody.domain.state import Violation
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Principal
from kiik.enforcement.services.ports import enforcement_store
from kiik.epcis.domain.event_facts import EventFacts
from kiik.errors import N_

_TRADE = frozenset(
    {"commission", "ship", "receive", "trade", "transform", "pack", "unpack", "export", "decommission"}
)


class SeizedGoodsRule:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self._seized: dict[str, str] | None = None

    @property
    def seized(self) -> dict[str, str]:
        if self._seized is None:
            self._seized = enforcement_store(self.uow).open_seized_codes()
        return self._seized

    def check(self, facts: EventFacts, event: Mapping[str, Any], principal: Principal) -> list[Violation]:
        if facts.declares_error or operation_of(facts) not in _TRADE or not self.seized:
            return []
        keys = [*facts.epcs, *facts.inputs, *facts.children, *(q.key for q in facts.quantities)]
        keys += [q.key for q in facts.input_quantities] + [q.key for q in facts.child_quantities]
        if facts.parent:
            keys.append(facts.parent)
        return [
            Violation(
                "enforcement.seized_goods",
                N_(
                    "%(key)s was seized (seizure %(seizure)s): seized goods cannot re-enter legal trade; "
                    "record what becomes of them as the seizure's custody steps (POST "
                    "/api/enforcement/seizures/%(seizure)s/custody)",
                    key=key,
                    seizure=self.seized[key],
                ),
                key,
            )
            for key in dict.fromkeys(keys)
            if key in self.seized
        ]
