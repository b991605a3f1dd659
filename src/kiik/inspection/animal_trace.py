"""The forward trace from an animal: the items harvested from it (ILMD `animalID` of their valid
commissioning) and every lot that contains any of them, through any number of transformations.

The reader sees the animal's items it has seen an event of (all of them for the ministry, customs
and the inspectorate) and the products reached through the transformations it sees; the state of
each is shown only where the reader may see it, as in an item's lineage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiik.custody.services.lineage import MAX_DEPTH, MAX_STEPS, LineageNode, LineageReader, Party, local_names
from kiik.custody.services.queries import ReadUnitOfWork
from kiik.directory.domain.permissions import Permission, Principal
from kiik.directory.services.scope import restrict
from kiik.errors import NotFound
from kiik.inspection.trace import end_read

ORIGIN_FIELDS = ("species", "population", "sex", "harvestDate", "harvestPoint", "harvestAuthorisation")


@dataclass
class AnimalProducts:
    animal_id: str
    origin: dict[str, Any]
    items: list[LineageNode]
    products: list[LineageNode]
    truncated: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "animal_id": self.animal_id,
            "origin": self.origin,
            "items": [n.to_json() for n in self.items],
            "products": [
                {k: v for k, v in n.to_json().items() if k not in ("used_in", "repeated", "origin")}
                for n in self.products
            ],
            "truncated": self.truncated,
        }


def _origin_of(items: list[LineageNode]) -> dict[str, Any]:
    """What the animal's items' commissionings say of it (the first item's where they differ)."""
    found: dict[str, Any] = {}
    for node in items:
        if node.origin is None:
            continue
        values = local_names(node.origin.ilmd)
        for name in ORIGIN_FIELDS:
            if name not in found and values.get(name) is not None:
                found[name] = values[name]
        if "harvestSite" not in found and node.origin.location:
            found["harvestSite"] = node.origin.location
    return found


def animal_products(uow: ReadUnitOfWork, principal: Principal, animal_id: str) -> AnimalProducts:
    """GET /api/animals/{animalID}/products and `kiik trace --animal ID`."""
    scope = restrict(principal, Permission.ITEMS_READ)
    wanted = animal_id.strip()
    with uow:
        store = uow.lineage
        parties = {o.id: Party(o.code, o.name) for o in uow.directory.organisations()}
        keys = store.animal_items(wanted)
        if not scope.everything:
            seen = store.visible_keys(keys, visible_to=scope.visible_to)
            keys = [k for k in keys if k in seen]
        if not keys:
            raise NotFound(
                f"no animal {animal_id!r} visible to you: check the animal ID as the harvest recorded it "
                "(ILMD animalID), or ask the ministry"
            )
        reader = LineageReader(store, scope, parties)
        walk = store.walk_from_animal(
            wanted, visible_to=scope.visible_to, max_depth=MAX_DEPTH, max_steps=MAX_STEPS
        )
        _, consumers = reader.links(None, walk)
        end_read(uow)
    products: dict[str, LineageNode] = {}
    done: set[str] = set()
    items = []
    for key in keys:
        node = reader.forward_tree(key, consumers, done, products)
        node.origin = reader.node(key).origin
        items.append(node)
    for key in keys:
        products.pop(key, None)
    return AnimalProducts(wanted, _origin_of(items), items, list(products.values()), reader.truncated)
