"""The review of a leak alert: open, then investigating, then explained or confirmed leak.

Each step is recorded with who took it and when; a closed alert stays closed (a new finding is a
new seizure and a new alert). Explaining or confirming needs a note saying why.
"""

from __future__ import annotations

from kiik.enforcement.domain.errors import EnforcementError

OPEN = "open"
INVESTIGATING = "investigating"
EXPLAINED = "explained"
CONFIRMED = "confirmed_leak"
STATUSES = (OPEN, INVESTIGATING, EXPLAINED, CONFIRMED)

_NEXT = {OPEN: (INVESTIGATING,), INVESTIGATING: (EXPLAINED, CONFIRMED), EXPLAINED: (), CONFIRMED: ()}


def next_status(alert_id: int, current: str, wanted: str, note: str | None) -> str:
    """`wanted` when the review may go there from `current`, else EnforcementError saying where it may."""
    if wanted not in STATUSES:
        raise EnforcementError(f"status {wanted!r} is not one of {', '.join(STATUSES)}")
    allowed = _NEXT[current]
    if wanted not in allowed:
        then = f"it may go to {' or '.join(allowed)}" if allowed else "it is closed"
        raise EnforcementError(f"alert {alert_id} is {current}: it cannot become {wanted}; {then}")
    if wanted in (EXPLAINED, CONFIRMED) and not (note or "").strip():
        raise EnforcementError(
            f"alert {alert_id}: say in a note why the leak is {wanted.replace('_', ' ')} "
            "(what the review found)"
        )
    return wanted
