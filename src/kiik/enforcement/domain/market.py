"""A scan at a bazaar or a pharmacy: legal, leak, forgery or unknown.

On a market stall a code is **legal** when its item is in legal custody with an organisation that
may sell it (a trader or a processor); a registered item still with the state's harvesters or
warehouses, or in transit, has **leaked** onto the market; what matching calls a forgery or re-use
is a **forgery**; a code the inspector cannot read or that belongs to another registry is
**unknown**. Anything but legal opens a seizure draft with the scan attached.
"""

from __future__ import annotations

from kiik.enforcement.domain.matching import FORGERY, Match

LEGAL = "legal"
LEAK = "leak"
UNKNOWN = "unknown"
SELLERS = frozenset({"trader", "processor"})


def market_verdict(match: Match | None) -> tuple[str, str]:
    """(verdict, explanation) of a scanned code; None when the code could not be read."""
    if match is None:
        return (
            UNKNOWN,
            "the code could not be read as a GS1 code or a microchip number: seize the goods to check them",
        )
    if match.verdict == FORGERY:
        return FORGERY, match.explanation
    if match.item is None:
        return UNKNOWN, match.explanation
    if match.item.status == "active" and match.item.holder_kind in SELLERS:
        return LEGAL, f"registered and held by {match.item.holder_name}, who may sell it"
    where = "in transit" if match.item.status == "in_transit" else f"held by {match.item.holder_name}"
    return LEAK, f"registered but {where}: it should not be on sale here; it leaked from legal stock"
