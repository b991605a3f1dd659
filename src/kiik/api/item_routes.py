"""kiik's own item API: an item's current state, and its full trace (history and lineage).

`{code}` takes any spelling of the item's code, URL-encoded: an EPC URN, a GS1 Digital Link, an
element string such as `(01)04870001000011(21)7`, or a 15-digit microchip number.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from kiik.http.deps import PrincipalDep, RegistryDep
from kiik.inspection.trace import item_state, trace_item

router = APIRouter(prefix="/api", tags=["Items"])


# Declared before the state route: `{code:path}` would otherwise take ".../trace" as part of the code.
@router.get("/items/{code:path}/trace", summary="An item's state, history and lineage, with a verdict")
def get_item_trace(code: str, registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    return trace_item(registry.uow(), principal, code).to_json()


@router.get("/items/{code:path}", summary="An item's current state")
def get_item(code: str, registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    return item_state(registry.uow(), principal, code).to_json()
