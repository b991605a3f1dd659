"""The seizure exchange with partner registries (KG, TJ, UZ, CN): a registry that seizes goods
bearing another country's codes sends those codes; the owning registry answers, for each code,
whether it registered it and, if so, the last legal holder's region and the item's status, and
nothing more (no holder's name, no history). Both sides keep the exchange.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kiik.enforcement.domain.matching import RegisteredItem

MAX_CODES = 20_000


def alert_body(reference: str, seized_on: str, species: str, codes: Sequence[str]) -> dict[str, Any]:
    return {"reference": reference, "seizedOn": seized_on, "species": species, "codes": list(codes)}


def answers_for(
    codes: Sequence[str], found: Mapping[str, RegisteredItem], regions: Mapping[int, str]
) -> list[dict[str, Any]]:
    answers = []
    for code in codes:
        item = found.get(code)
        if item is None:
            answers.append({"code": code, "registered": False})
            continue
        region = regions.get(item.holder) if item.holder is not None else None
        answers.append({"code": code, "registered": True, "holderRegion": region, "status": item.status})
    return answers


def alert_codes(body: Mapping[str, Any]) -> list[str]:
    """The codes of a received alert, or ValueError saying what is wrong with them."""
    codes = body.get("codes")
    if not isinstance(codes, list) or not all(isinstance(c, str) and 0 < len(c) <= 300 for c in codes):
        raise ValueError("a seizure alert lists its codes as strings of at most 300 characters")
    if len(codes) > MAX_CODES:
        raise ValueError(f"a seizure alert lists at most {MAX_CODES} codes: split it")
    return list(dict.fromkeys(codes))
