"""The exporting country's side of an import confirmation: the permit is closed, once.

The confirmation (items and kilograms the importing country's customs received) stays in the inbox,
where reconciliation reads it; the permit goes from used to closed (docs/permits.md), with the
totals in its history.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiik.partners.domain.messages import MessageRefused
from kiik.permits.domain.lifecycle import PermitAction, TransitionRefused, next_status


def apply_import_confirmation(uow: Any, payload: Mapping[str, Any]) -> None:
    body, sender = payload["body"], str(payload["from"])
    number = str(body.get("permit_number", ""))
    permit = uow.cites.permits.by_number(number, lock=True, with_items=False)
    if permit is None:
        raise MessageRefused(
            "inapplicable",
            f"no permit {number!r} is on record here: the confirmation names another registry's permit",
        )
    if permit.import_country != sender:
        raise MessageRefused(
            "inapplicable",
            f"permit {number} is for import into {permit.import_country}, not {sender}: "
            "only the importing country's registry confirms its arrival",
        )
    try:
        status = next_status(permit.status, PermitAction.CONFIRM_IMPORT, f"permit {number}")
    except TransitionRefused as exc:
        raise MessageRefused("inapplicable", str(exc)) from None
    received = sum(float(line.get("received_kg") or 0.0) for line in body.get("items", []))
    note = (
        f"{sender} confirmed {len(body.get('items', []))} items ({received:.3f} kg) received, "
        f"{len(body.get('missing', []))} missing, {len(body.get('not_notified', []))} not notified "
        f"(message {payload['id']})"
    )
    uow.cites.permits.update(permit.id, status=status.value)
    uow.cites.permits.add_history(
        permit.id, None, PermitAction.CONFIRM_IMPORT.value, permit.status.value, status.value, note
    )
