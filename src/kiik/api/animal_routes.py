"""The forward trace from an animal: every item harvested from it and every lot containing any of it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from kiik.http.deps import PrincipalDep, RegistryDep
from kiik.inspection.animal_trace import animal_products

router = APIRouter(prefix="/api/animals", tags=["Items"])


@router.get("/{animal_id:path}/products", summary="The items of an animal and every product made from them")
def get_animal_products(animal_id: str, registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    return animal_products(registry.uow(), principal, animal_id).to_json()
