"""The CITES permit lifecycle (Res. Conf. 12.3): statuses, the transitions allowed, numbers, validity.

    applied --issue--> issued --endorse--> used
       |                  |--cancel--> cancelled
       |--reject--> rejected   |--replace--> replaced (void; a new permit takes its place)
       |--withdraw--> withdrawn  |--expire--> expired

Every other transition is refused with `TransitionRefused`, which says what the permit's status
allows. The permit number follows the CITES style: country code, year, serial (KZ/2026/000123).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from enum import StrEnum

from kiik.errors import N_, Wording


class PermitStatus(StrEnum):
    APPLIED = "applied"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    ISSUED = "issued"
    USED = "used"
    CANCELLED = "cancelled"
    REPLACED = "replaced"
    EXPIRED = "expired"
    CLOSED = "closed"  # used, and the importing country's registry confirmed what arrived


class PermitAction(StrEnum):
    ISSUE = "issue"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    ENDORSE = "endorse"
    CANCEL = "cancel"
    REPLACE = "replace"
    EXPIRE = "expire"
    CONFIRM_IMPORT = "confirm_import"


class PermitKind(StrEnum):
    EXPORT = "export"
    RE_EXPORT = "re-export"


S, A = PermitStatus, PermitAction
TRANSITIONS: dict[tuple[PermitStatus, PermitAction], PermitStatus] = {
    (S.APPLIED, A.ISSUE): S.ISSUED,
    (S.APPLIED, A.REJECT): S.REJECTED,
    (S.APPLIED, A.WITHDRAW): S.WITHDRAWN,
    (S.ISSUED, A.ENDORSE): S.USED,
    (S.ISSUED, A.CANCEL): S.CANCELLED,
    (S.ISSUED, A.REPLACE): S.REPLACED,
    (S.ISSUED, A.EXPIRE): S.EXPIRED,
    (S.USED, A.CONFIRM_IMPORT): S.CLOSED,
}

# Statuses of a permit whose export was endorsed (closed: and its arrival confirmed).
EXPORTED = frozenset({S.USED, S.CLOSED})

# Statuses in which a permit holds quota.
RESERVING = frozenset({S.ISSUED})
# Statuses in which a permit's items may not be put on another application.
OPEN = frozenset({S.APPLIED, S.ISSUED})

STATUS_EXPLAINED = {
    S.APPLIED: N_("it is an application awaiting the ministry's decision"),
    S.REJECTED: N_("the application was rejected"),
    S.WITHDRAWN: N_("the application was withdrawn"),
    S.ISSUED: N_("it is issued and not yet used"),
    S.USED: N_("it was used: customs endorsed its export, and a permit is used once"),
    S.CANCELLED: N_("it was cancelled"),
    S.REPLACED: N_("it was replaced by another permit and is void"),
    S.EXPIRED: N_("it expired"),
    S.CLOSED: N_("it was used, and the importing country confirmed what arrived (closed)"),
}

COUNTRY = "KZ"
MAX_VALIDITY_MONTHS = 6  # export permits and re-export certificates (Res. Conf. 12.3)
NUMBER = re.compile(r"^([A-Z]{2})/(\d{4})/(\d{6})$")


class TransitionRefused(Exception):
    """A lifecycle step the permit's status does not allow."""


class PermitError(ValueError):
    """A permit request that cannot be carried out as asked; the message says what to change."""


def allowed_actions(status: PermitStatus) -> list[PermitAction]:
    return [action for (start, action) in TRANSITIONS if start is status]


def next_status(status: PermitStatus, action: PermitAction, label: str) -> PermitStatus:
    """The status after `action`, or TransitionRefused naming what is possible instead."""
    target = TRANSITIONS.get((status, action))
    if target is None:
        possible = ", ".join(a.value for a in allowed_actions(status)) or NOTHING_POSSIBLE
        values = {
            "label": label,
            "reason": STATUS_EXPLAINED[status],
            "status": status.value,
            "possible": possible,
        }
        raise TransitionRefused(Wording(REFUSED[action].template, values))
    return target


NOTHING_POSSIBLE = N_("nothing: it is final")
# What a refused step says, one sentence per step so that each language can word it whole.
REFUSED = {
    A.ISSUE: N_(
        "%(label)s cannot be issued: %(reason)s (status %(status)s); a permit in this status allows "
        "%(possible)s"
    ),
    A.REJECT: N_(
        "%(label)s cannot be rejected: %(reason)s (status %(status)s); a permit in this status allows "
        "%(possible)s"
    ),
    A.WITHDRAW: N_(
        "%(label)s cannot be withdrawn: %(reason)s (status %(status)s); a permit in this status allows "
        "%(possible)s"
    ),
    A.ENDORSE: N_(
        "%(label)s cannot be endorsed for export: %(reason)s (status %(status)s); a permit in this status "
        "allows %(possible)s"
    ),
    A.CANCEL: N_(
        "%(label)s cannot be cancelled: %(reason)s (status %(status)s); a permit in this status allows "
        "%(possible)s"
    ),
    A.REPLACE: N_(
        "%(label)s cannot be replaced: %(reason)s (status %(status)s); a permit in this status allows "
        "%(possible)s"
    ),
    A.EXPIRE: N_(
        "%(label)s cannot be expired: %(reason)s (status %(status)s); a permit in this status allows "
        "%(possible)s"
    ),
    A.CONFIRM_IMPORT: N_(
        "%(label)s cannot be closed on the import confirmation: %(reason)s (status %(status)s); a permit in "
        "this status allows %(possible)s"
    ),
}


def permit_number(year: int, serial: int, country: str = COUNTRY) -> str:
    return f"{country}/{year}/{serial:06d}"


def parse_number(text: str) -> str:
    """A permit number as written on the form; PermitError when it is not one."""
    value = text.strip().upper().replace("-", "/")
    if not NUMBER.match(value):
        raise PermitError(
            N_("%(text)s is not a permit number: kiik numbers look like KZ/2026/000123", text=repr(text))
        )
    return value


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_valid_day(issued: date, requested: date | None) -> date:
    """Box 2: the last day of validity, at most six months after issue (the default)."""
    longest = add_months(issued, MAX_VALIDITY_MONTHS) - timedelta(days=1)
    if requested is None:
        return longest
    if requested < issued:
        raise PermitError(
            N_(
                "a permit cannot be valid until %(requested)s, before it is issued (%(issued)s)",
                requested=requested,
                issued=issued,
            )
        )
    if requested > longest:
        raise PermitError(
            N_(
                "an export permit is valid for at most %(months)s months: the last valid day can be "
                "%(longest)s at the latest, not %(requested)s",
                months=MAX_VALIDITY_MONTHS,
                longest=longest,
                requested=requested,
            )
        )
    return requested


# CITES trade terms (trade_terms.csv) of kiik's product types; unknown types are derivatives.
TERM_OF_PRODUCT = {
    "whole_horn": "HOR",
    "horn_tip": "HOP",
    "slices": "HOP",
    "granules": "HOP",
    "shavings": "HOS",
    "powder": "POW",
    "extract": "EXT",
}
TERM_NAMES = {
    "HOR": "horns",
    "HOP": "horn pieces",
    "HOS": "horn scraps",
    "POW": "powder",
    "EXT": "extract",
    "DER": "derivatives",
}


def term_of(product_type: str | None) -> str:
    return TERM_OF_PRODUCT.get(product_type or "", "DER")
