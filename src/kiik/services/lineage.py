"""Lineage: the transformations an item came out of, back to its source items, and what it went into.

The walk is breadth-first, one level of transformations at a time (two indexed queries a level,
whatever the number of items in it), over valid events only. Backward, the whole provenance of a
visible item is followed (see `ReadScope.provenance_visible_to`); forward, only the events the
reader sees; the current state of every item on the way is shown only where the reader may see it.
The result is a tree a page can render: a node reached twice (a lot used in two products, say) is
shown once in full and then marked `repeated`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiik.domain.event_facts import key_of
from kiik.domain.vocabulary import mass_in_kg
from kiik.services.scope import ReadScope

PRODUCED_ROLES = ("output", "output_class")
CONSUMED_ROLES = ("input", "input_class")
MAX_DEPTH = 32
MAX_NODES = 20_000


@dataclass(frozen=True)
class Party:
    code: str
    name: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name}


def local_names(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """ILMD fields by their local names (`kiik:species` -> `species`), for people to read."""
    return {name.rsplit(":", 1)[-1]: value for name, value in (values or {}).items()}


def _as_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Step:
    """An event on a lineage path: a transformation, or the commissioning of a source item."""

    event_id: str
    hash_id: str
    event_type: str
    event_time: datetime
    recorded_by: Party | None
    ilmd: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "hash_id": self.hash_id,
            "event_type": self.event_type,
            "event_time": self.event_time.isoformat(timespec="milliseconds") + "Z",
            "recorded_by": self.recorded_by.to_json() if self.recorded_by else None,
            "ilmd": self.ilmd,
        }


@dataclass
class LineageNode:
    key: str
    mass_kg: float | None = None
    product_type: str | None = None
    status: str | None = None
    holder: Party | None = None
    visible: bool = False
    repeated: bool = False
    made_by: Step | None = None  # backward: the transformation that produced this item
    inputs: list[LineageNode] = field(default_factory=list)
    origin: Step | None = None  # backward: the commissioning of a source item (its ILMD)
    used_in: list[tuple[Step, list[LineageNode]]] = field(default_factory=list)  # forward

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": self.key,
            "mass_kg": self.mass_kg,
            "product_type": self.product_type,
            "visible": self.visible,
            "status": self.status,
            "holder": self.holder.to_json() if self.holder else None,
        }
        if self.repeated:
            data["repeated"] = True
        if self.made_by is not None:
            data["made_by"] = {**self.made_by.to_json(), "inputs": [n.to_json() for n in self.inputs]}
        if self.origin is not None:
            data["origin"] = self.origin.to_json()
        if self.used_in:
            data["used_in"] = [
                {**step.to_json(), "outputs": [n.to_json() for n in outputs]}
                for step, outputs in self.used_in
            ]
        return data


@dataclass
class Lineage:
    backward: LineageNode
    forward: LineageNode
    sources: list[LineageNode]
    products: list[LineageNode]
    truncated: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "backward": self.backward.to_json(),
            "forward": self.forward.to_json(),
            "sources": [_flat(n) for n in self.sources],
            "products": [_flat(n) for n in self.products],
            "truncated": self.truncated,
        }


def _flat(node: LineageNode) -> dict[str, Any]:
    data = {k: v for k, v in node.to_json().items() if k not in ("made_by", "used_in", "repeated")}
    return data


def _line_masses(body: Mapping[str, Any], list_name: str) -> dict[str, float | None]:
    masses: dict[str, float | None] = {}
    for entry in body.get(list_name) or ():
        if isinstance(entry, Mapping) and isinstance(entry.get("epcClass"), str):
            quantity = _as_float(entry.get("quantity"))
            mass = None if quantity is None else mass_in_kg(quantity, entry.get("uom"))
            masses[key_of(entry["epcClass"])] = mass
    return masses


class _Walk:
    """One lineage walk: links found level by level, then trees built from them."""

    def __init__(self, store: Any, scope: ReadScope, parties: Mapping[int, Party]) -> None:
        self.store, self.scope, self.parties = store, scope, parties
        self.truncated = False
        self.states: dict[str, Any] = {}
        self.origins: dict[str, Any] = {}

    def step(self, link: Any) -> Step:
        ilmd = link.body.get("ilmd") if isinstance(link.body.get("ilmd"), Mapping) else {}
        recorded_by = self.parties.get(link.org_id) if link.org_id is not None else None
        return Step(link.event_id, link.hash_id, link.event_type, link.event_time, recorded_by, dict(ilmd))

    def walk(self, root: str, *, backward: bool) -> tuple[dict[str, list[Any]], set[str]]:
        """Links per key (the transformations making it, or using it) and every key reached."""
        find = self.store.producing if backward else self.store.consuming
        visible_to = self.scope.provenance_visible_to if backward else self.scope.visible_to
        mine, theirs = (PRODUCED_ROLES, CONSUMED_ROLES) if backward else (CONSUMED_ROLES, PRODUCED_ROLES)
        links: dict[str, list[Any]] = {}
        seen, level, depth = {root}, [root], 0
        while level:
            if depth >= MAX_DEPTH or len(seen) > MAX_NODES:
                self.truncated = True
                break
            level_keys, next_level = set(level), []
            for link in find(level, visible_to=visible_to):
                for key in link.keys(mine):
                    if key in level_keys:
                        links.setdefault(key, []).append(link)
                for key in link.keys(theirs):
                    if key not in seen:
                        seen.add(key)
                        next_level.append(key)
            level, depth = next_level, depth + 1
        return links, seen

    def node(self, key: str, mass_kg: float | None = None) -> LineageNode:
        state = self.states.get(key)
        origin = self.origins.get(key)
        origin_ilmd = local_names(origin.body.get("ilmd")) if origin is not None else {}
        if mass_kg is None and state is not None:
            mass_kg = state.mass_kg
        if mass_kg is None:
            mass_kg = _as_float(origin_ilmd.get("massKg"))
        product_type = state.product_type if state is not None else origin_ilmd.get("productType")
        holder = None
        if state is not None and state.holder_code:
            holder = Party(state.holder_code, state.holder_name)
        return LineageNode(
            key=key,
            mass_kg=mass_kg,
            product_type=product_type if isinstance(product_type, str) else None,
            status=state.status if state is not None else None,
            holder=holder,
            visible=state is not None,
            origin=self.step(origin) if origin is not None else None,
        )

    def backward_tree(
        self,
        key: str,
        producers: Mapping[str, list[Any]],
        done: set[str],
        sources: dict[str, LineageNode],
        mass_kg: float | None = None,
    ) -> LineageNode:
        node = self.node(key, mass_kg)
        if key in done:
            node.repeated, node.origin = True, None
            return node
        done.add(key)
        made = producers.get(key)
        if not made:
            sources.setdefault(key, node)
            return node
        link = made[0]
        node.origin = None
        node.made_by = self.step(link)
        class_masses = _line_masses(link.body, "inputQuantityList")
        node.inputs = [
            self.backward_tree(k, producers, done, sources, class_masses.get(k))
            for k in link.keys(CONSUMED_ROLES)
        ]
        if node.mass_kg is None:
            node.mass_kg = _line_masses(link.body, "outputQuantityList").get(key)
        return node

    def forward_tree(
        self,
        key: str,
        consumers: Mapping[str, list[Any]],
        done: set[str],
        products: dict[str, LineageNode],
        mass_kg: float | None = None,
    ) -> LineageNode:
        node = self.node(key, mass_kg)
        node.origin = None
        if key in done:
            node.repeated = True
            return node
        done.add(key)
        products.setdefault(key, node)
        for link in consumers.get(key, ()):
            class_masses = _line_masses(link.body, "outputQuantityList")
            each = _as_float(local_names(link.body.get("ilmd")).get("massKg"))
            outputs = []
            for out in link.keys(PRODUCED_ROLES):
                outputs.append(self.forward_tree(out, consumers, done, products, class_masses.get(out, each)))
            node.used_in.append((self.step(link), outputs))
        return node


def trace_lineage(store: Any, root: str, *, scope: ReadScope, parties: Mapping[int, Party]) -> Lineage:
    """Walk back to the source items and forward to every product of `root` (which the reader sees)."""
    walk = _Walk(store, scope, parties)
    producers, behind = walk.walk(root, backward=True)
    consumers, ahead = walk.walk(root, backward=False)
    walk.states = store.items(behind | ahead, visible_to=scope.visible_to)
    leaves: Sequence[str] = [k for k in behind if k not in producers]
    walk.origins = store.commissionings(leaves, visible_to=scope.provenance_visible_to)
    sources: dict[str, LineageNode] = {}
    products: dict[str, LineageNode] = {}
    backward = walk.backward_tree(root, producers, set(), sources)
    forward = walk.forward_tree(root, consumers, set(), products)
    products.pop(root, None)
    return Lineage(backward, forward, list(sources.values()), list(products.values()), walk.truncated)
