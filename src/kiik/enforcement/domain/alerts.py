"""The review of a leak alert: open, then investigating, then explained or confirmed leak.

Each step is recorded with who took it and when; a closed alert stays closed (a new finding is a
new seizure and a new alert). Explaining or confirming needs a note saying why.
"""

from __future__ import annotations

from kiik.enforcement.domain.errors import EnforcementError
from kiik.errors import N_

OPEN = "open"
INVESTIGATING = "investigating"
EXPLAINED = "explained"
CONFIRMED = "confirmed_leak"
STATUSES = (OPEN, INVESTIGATING, EXPLAINED, CONFIRMED)

_NEXT = {OPEN: (INVESTIGATING,), INVESTIGATING: (EXPLAINED, CONFIRMED), EXPLAINED: (), CONFIRMED: ()}
_CANNOT = N_("alert %(alert)s is %(current)s: it cannot become %(wanted)s; it may go to %(allowed)s")
_CLOSED = N_("alert %(alert)s is %(current)s: it cannot become %(wanted)s; it is closed")
_NOTE = {
    EXPLAINED: N_("alert %(alert)s: say in a note why the leak is explained (what the review found)"),
    CONFIRMED: N_("alert %(alert)s: say in a note why the leak is confirmed leak (what the review found)"),
}
NOTE_MISSING = frozenset(sentence.template for sentence in _NOTE.values())


def allowed_next(current: str) -> tuple[str, ...]:
    """Where the review of an alert that is `current` may go next (nothing once it is closed)."""
    return _NEXT.get(current, ())


def next_status(alert_id: int, current: str, wanted: str, note: str | None) -> str:
    """`wanted` when the review may go there from `current`, else EnforcementError saying where it may."""
    if wanted not in STATUSES:
        raise EnforcementError(
            N_(
                "status %(wanted)s is not one of %(statuses)s",
                wanted=repr(wanted),
                statuses=", ".join(STATUSES),
            )
        )
    allowed = allowed_next(current)
    if wanted not in allowed:
        sentence = _CANNOT if allowed else _CLOSED
        raise EnforcementError(
            sentence.filled(alert=alert_id, current=current, wanted=wanted, allowed=" or ".join(allowed))
        )
    if wanted in _NOTE and not (note or "").strip():
        raise EnforcementError(_NOTE[wanted].filled(alert=alert_id))
    return wanted
