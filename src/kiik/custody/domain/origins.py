"""Where an item's mass comes from: the commissioning (origin) of each item, and the share of a
product's mass that each source item gave, through any number of transformations.

Shares follow mass: every output of a transformation is taken to be a uniform mix of its inputs,
each input weighing in with the mass the transformation used of it. So a lot that took 2 kg of a
10 kg powder lot and 1 kg of whole horn is two thirds that powder (and, through it, the horns
ground into it, in proportion to their masses) and one third that horn.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiik.epcis.domain.event_facts import EventFacts

ANIMAL_ID_LENGTH = 120


def origin_rows(facts: EventFacts) -> list[dict[str, Any]]:
    """What the origin projection keeps of a commissioning, one row per item it commissions."""
    if facts.event_type != "ObjectEvent" or facts.action != "ADD" or facts.declares_error:
        return []
    animal = facts.ilmd_value("animalID")
    animal_id = str(animal).strip()[:ANIMAL_ID_LENGTH] if animal is not None else ""
    keys = [*facts.epcs, *(q.key for q in facts.quantities)]
    return [
        {
            "item_key": key,
            "biz_location": facts.biz_location or facts.read_point,
            "animal_id": animal_id or None,
            "ilmd": dict(facts.ilmd) or None,
        }
        for key in dict.fromkeys(keys)
    ]


@dataclass(frozen=True)
class Making:
    """How an item was made: each input of its transformation with the kg used (None: unknown)."""

    inputs: tuple[tuple[str, float | None], ...]


@dataclass(frozen=True)
class Shares:
    """The fraction of an item's mass from each source item; `estimated` when some input's mass was
    unknown and its transformation's inputs were weighted equally instead."""

    fractions: dict[str, float]
    estimated: bool


def source_shares(root: str, made_by: Mapping[str, Making]) -> Shares:
    """Shares of `root`'s mass by source item (an item nothing in `made_by` made)."""
    memo: dict[str, dict[str, float]] = {}
    estimated = False

    def shares(key: str, path: frozenset[str]) -> dict[str, float]:
        nonlocal estimated
        if key in memo:
            return memo[key]
        making = made_by.get(key)
        if making is None or not making.inputs or key in path:
            memo[key] = {key: 1.0}
            return memo[key]
        masses = [kg for _, kg in making.inputs]
        if all(kg is not None and kg > 0 for kg in masses):
            total = sum(kg for kg in masses if kg is not None)
            weights = [(kg or 0.0) / total for kg in masses]
        else:
            estimated = True
            weights = [1.0 / len(masses)] * len(masses)
        result: dict[str, float] = {}
        within = path | {key}
        for (source, _), weight in zip(making.inputs, weights, strict=True):
            for leaf, fraction in shares(source, within).items():
                result[leaf] = result.get(leaf, 0.0) + weight * fraction
        memo[key] = result
        return result

    return Shares(shares(root, frozenset()), estimated)
