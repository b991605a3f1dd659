"""Lineage: the transformations an item came out of, back to its source items, and what it went into.

Storage walks the whole lineage in one recursive query each way, over valid events only (see
`kiik.custody.adapters.lineage_store`). Backward, the whole provenance of a visible item is followed (see
`ReadScope.provenance_visible_to`); forward, only the events the reader sees; the current state of
every item on the way is shown only where the reader may see it. The result is a tree a page can
render: a node reached twice (a lot used in two products, say) is shown once in full and then
marked `repeated`. Each source item carries its share of the item's mass (`kiik.custody.domain.origins`), and
`Lineage.origins` sums the shares by animal and population.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from kiik.custody.domain.origins import Making, source_shares
from kiik.custody.services.origin_summary import OriginSummary, summarise
from kiik.directory.services.scope import ReadScope
from kiik.epcis.domain.event_facts import key_of
from kiik.epcis.domain.vocabulary import mass_in_kg

PRODUCED_ROLES = ("output", "output_class")
CONSUMED_ROLES = ("input", "input_class")
MAX_DEPTH = 32
MAX_STEPS = 20_000


@dataclass(frozen=True)
class Party:
    code: str
    name: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name}


@lru_cache(maxsize=4096)
def _local_name(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def local_names(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """ILMD fields by their local names (`kiik:species` -> `species`), for people to read."""
    return {_local_name(name): value for name, value in (values or {}).items()}


def as_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class PartnerReport:
    """Where a step recorded in a partner registry, not here, is known from: the signed report
    that registry sent (its country, the permit the items were exported under, when it came)."""

    country: str
    permit: str
    message_id: str
    received_at: datetime
    message_kind: str  # export-notice (the exporter's history) or onward-processing (the importer's)

    def to_json(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "permit": self.permit,
            "message": self.message_id,
            "message_type": self.message_kind,
            "received_at": self.received_at.isoformat(timespec="seconds") + "Z",
        }

    @property
    def summary(self) -> str:
        """For people: `recorded in KZ (export notice of permit KZ/2026/000001, received ...)`."""
        received = self.received_at.strftime("%Y-%m-%d %H:%M")
        what = self.message_kind.replace("-", " ")
        return f"recorded in {self.country} ({what} of permit {self.permit}, received {received} UTC)"


@dataclass(frozen=True, slots=True)
class Step:
    """An event on a lineage path: a transformation, or the commissioning of a source item.

    `reported_by` is set for a transformation a partner registry reported (onward processing of
    exported items): it was recorded there, and is shown here as that registry signed it."""

    event_id: str
    hash_id: str
    event_type: str
    event_time: datetime
    recorded_by: Party | None
    ilmd: dict[str, Any]
    location: str | None = None
    reported_by: PartnerReport | None = None
    # The ILMD by local names (`species`, `animalID`, ...), read once: every source's are read.
    fields: dict[str, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", local_names(self.ilmd))

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "hash_id": self.hash_id,
            "event_type": self.event_type,
            "event_time": self.event_time.isoformat(timespec="milliseconds") + "Z",
            "recorded_by": self.recorded_by.to_json() if self.recorded_by else None,
            "location": self.location,
            "ilmd": self.ilmd,
            **({"reported_by": self.reported_by.to_json()} if self.reported_by else {}),
        }


@dataclass(slots=True)
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
    share: float | None = None  # a source's share of the traced item's mass
    reported_by: PartnerReport | None = None  # a product made in a partner registry, as reported

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
        if self.share is not None:
            data["share"] = round(self.share, 9)
        if self.reported_by is not None:
            data["reported_by"] = self.reported_by.to_json()
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
    origins: OriginSummary | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "backward": self.backward.to_json(),
            "forward": self.forward.to_json(),
            "sources": [_flat(n) for n in self.sources],
            "products": [_flat(n) for n in self.products],
            "origins": self.origins.to_json() if self.origins else None,
            "truncated": self.truncated,
        }


def _flat(node: LineageNode) -> dict[str, Any]:
    return {k: v for k, v in node.to_json().items() if k not in ("made_by", "used_in", "repeated")}


def line_masses(body: Mapping[str, Any], list_name: str) -> dict[str, float | None]:
    masses: dict[str, float | None] = {}
    for entry in body.get(list_name) or ():
        if isinstance(entry, Mapping) and isinstance(entry.get("epcClass"), str):
            quantity = as_float(entry.get("quantity"))
            mass = None if quantity is None else mass_in_kg(quantity, entry.get("uom"))
            masses[key_of(entry["epcClass"])] = mass
    return masses


class LineageReader:
    """One lineage read: the links, origins and states from storage, then trees built from them."""

    def __init__(self, store: Any, scope: ReadScope, parties: Mapping[int, Party]) -> None:
        self.store, self.scope, self.parties = store, scope, parties
        self.truncated = False
        self.states: dict[str, Any] = {}
        self.origins: dict[str, Any] = {}
        self.origin_steps: dict[str, Step | None] = {}

    def links(self, behind: Any | None, ahead: Any) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
        """Transformations per key: those that made it (behind) and those that used it (ahead)."""
        for walk in (behind, ahead):
            if walk is None:
                continue
            if walk.truncated or any(e.depth >= MAX_DEPTH for e in walk.edges):
                self.truncated = True
            self.states.update(walk.states)
            self.origins.update(walk.origins)
        made, used = self.store.transformations(behind, ahead)
        producers: dict[str, list[Any]] = {}
        for link in made:
            for key in link.keys(PRODUCED_ROLES):
                producers.setdefault(key, []).append(link)
        consumers: dict[str, list[Any]] = {}
        for link in used:
            for key in link.keys(CONSUMED_ROLES):
                consumers.setdefault(key, []).append(link)
        return producers, consumers

    def step(self, link: Any) -> Step:
        ilmd = link.body.get("ilmd")
        ilmd = ilmd if isinstance(ilmd, dict) else dict(ilmd) if isinstance(ilmd, Mapping) else {}
        recorded_by = self.parties.get(link.org_id) if link.org_id is not None else None
        return Step(
            link.event_id,
            link.hash_id,
            link.event_type,
            link.event_time,
            recorded_by,
            ilmd,
            link.biz_location,
        )

    def origin_step(self, key: str) -> Step | None:
        """The commissioning of a source item as a step, built once per key."""
        if key not in self.origin_steps:
            origin = self.origins.get(key)
            self.origin_steps[key] = self.step(origin) if origin is not None else None
        return self.origin_steps[key]

    def node(self, key: str, mass_kg: float | None = None) -> LineageNode:
        state = self.states.get(key)
        if state is not None and not state.visible:
            state = None
        origin = self.origin_step(key)
        origin_fields = origin.fields if origin is not None else {}
        if mass_kg is None and state is not None:
            mass_kg = state.mass_kg
        if mass_kg is None:
            mass_kg = as_float(origin_fields.get("massKg"))
        product_type = state.product_type if state is not None else origin_fields.get("productType")
        holder = self.parties.get(state.holder_org_id) if state is not None and state.holder_org_id else None
        return LineageNode(
            key=key,
            mass_kg=mass_kg,
            product_type=product_type if isinstance(product_type, str) else None,
            status=state.status if state is not None else None,
            holder=holder,
            visible=state is not None,
            origin=origin,
        )

    def input_mass(self, key: str, lines: Mapping[str, float | None]) -> float | None:
        """The kg of `key` a transformation used: its quantity line (`lines`), or the item's mass."""
        if lines.get(key) is not None:
            return lines[key]
        state = self.states.get(key)
        if state is not None and state.mass_kg:
            return float(state.mass_kg)
        origin = self.origin_step(key)
        return as_float(origin.fields.get("massKg")) if origin is not None else None

    def makings(self, producers: Mapping[str, list[Any]]) -> dict[str, Making]:
        """How each key behind the root was made, with the kg of each input used (for shares)."""

        def used(key: str, lines: Mapping[str, float | None]) -> float | None:
            kg = self.input_mass(key, lines)
            if kg is None and key in producers:  # a whole lot used up: the mass it was made with
                kg = line_masses(producers[key][0].body, "outputQuantityList").get(key)
            return kg

        found: dict[str, Making] = {}
        for key, made in producers.items():
            lines = line_masses(made[0].body, "inputQuantityList")
            found[key] = Making(tuple((k, used(k, lines)) for k in made[0].keys(CONSUMED_ROLES)))
        return found

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
        class_masses = line_masses(link.body, "inputQuantityList")
        node.inputs = [
            self.backward_tree(k, producers, done, sources, class_masses.get(k))
            for k in link.keys(CONSUMED_ROLES)
        ]
        if node.mass_kg is None:
            node.mass_kg = line_masses(link.body, "outputQuantityList").get(key)
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
            class_masses = line_masses(link.body, "outputQuantityList")
            each = as_float(local_names(link.body.get("ilmd")).get("massKg"))
            outputs = [
                self.forward_tree(out, consumers, done, products, class_masses.get(out, each))
                for out in link.keys(PRODUCED_ROLES)
            ]
            node.used_in.append((self.step(link), outputs))
        return node


def trace_lineage(store: Any, root: str, *, scope: ReadScope, parties: Mapping[int, Party]) -> Lineage:
    """Walk back to the source items and forward to every product of `root` (which the reader sees)."""
    reader = LineageReader(store, scope, parties)
    behind, ahead = store.lineage(
        root,
        behind_visible_to=scope.provenance_visible_to,
        visible_to=scope.visible_to,
        max_depth=MAX_DEPTH,
        max_steps=MAX_STEPS,
    )
    producers, consumers = reader.links(behind, ahead)
    leaves = [k for k in dict.fromkeys([root, *(e.key for e in behind.edges)]) if k not in producers]
    if scope.provenance_visible_to is not None:
        reader.origins = {}  # the projection's origins are not filtered by the reader
    missing = [k for k in leaves if k not in reader.origins]
    if missing:
        reader.origins.update(store.origins(missing, visible_to=scope.provenance_visible_to))
    sources: dict[str, LineageNode] = {}
    products: dict[str, LineageNode] = {}
    backward = reader.backward_tree(root, producers, set(), sources)
    forward = reader.forward_tree(root, consumers, set(), products)
    products.pop(root, None)
    shares = source_shares(root, reader.makings(producers))
    for key, node in sources.items():
        node.share = shares.fractions.get(key)
    summary = summarise(list(sources.values()), backward.mass_kg, shares.estimated)
    return Lineage(
        backward, forward, list(sources.values()), list(products.values()), reader.truncated, summary
    )
