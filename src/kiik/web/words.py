"""Words the pages show for kiik's own codes (statuses, roles, organisation kinds), marked for the
catalogs here and translated where they are shown: `_(words.STATUS[code])`."""

from __future__ import annotations

from kiik.custody.domain.state import STATUS_WORDS
from kiik.species.domain.products import PRODUCT_NAMES, product_name
from kiik.web.i18n import N_

# Product types as people say them, kept with the register's products: `text.explain(words.product(code))`.
PRODUCT = PRODUCT_NAMES
product = product_name

STATUS = STATUS_WORDS

ROLE = {"admin": N_("administrator"), "operator": N_("operator"), "viewer": N_("viewer")}

ORG_KIND = {
    "ministry": N_("ministry"),
    "harvester": N_("harvest team"),
    "warehouse": N_("warehouse"),
    "processor": N_("processing plant"),
    "trader": N_("exporter or trader"),
    "customs": N_("customs"),
    "inspectorate": N_("inspectorate"),
    "partner_authority": N_("partner authority"),
    "research": N_("scientists"),
}


def word(table: dict[str, str], code: str) -> str:
    """The msgid for `code`, or the code itself when the table lacks it."""
    return table.get(code, code)


PERMIT_STATUS = {
    "applied": N_("awaiting review"),
    "rejected": N_("rejected"),
    "withdrawn": N_("withdrawn"),
    "issued": N_("issued"),
    "used": N_("used at export"),
    "cancelled": N_("cancelled"),
    "replaced": N_("replaced"),
    "expired": N_("expired"),
    "closed": N_("closed (arrival confirmed)"),
}

ALERT = {
    "person": N_("people seen"),
    "vehicle": N_("vehicles seen"),
    "species of concern": N_("leopards and other species of concern"),
}

LEAK_STATUS = {
    "open": N_("open"),
    "investigating": N_("under investigation"),
    "explained": N_("explained"),
    "confirmed_leak": N_("confirmed leak"),
}

SEIZURE_STATUS = {"draft": N_("draft to confirm"), "recorded": N_("recorded")}

# A case's outcome (kiik.enforcement.domain.cases.OUTCOMES).
CASE_OUTCOME = {
    "under investigation": N_("under investigation"),
    "sent to court": N_("sent to court"),
    "convicted": N_("convicted"),
    "acquitted": N_("acquitted"),
    "dismissed": N_("dismissed"),
    "plea agreement": N_("plea agreement"),
}

# What a permit's verification says of it (kiik.permits.services.verification.VERDICTS, and the page's own).
PERMIT_VERDICT = {
    "valid": N_("valid"),
    "used": N_("used"),
    "used (arrival confirmed)": N_("used (arrival confirmed)"),
    "cancelled": N_("cancelled"),
    "replaced (void)": N_("replaced (void)"),
    "expired": N_("expired"),
    "unknown": N_("unknown"),
    "invalid number": N_("not a permit number"),
}

RECONCILIATION_STATUS = {
    "agrees": N_("agrees"),
    "awaiting arrival": N_("awaiting arrival"),
    "discrepancies": N_("discrepancies"),
}

# Where the proceeds of legal trade go (kiik.proceeds.domain.rules.PURPOSES).
PURPOSE = {
    "protection": N_("protection of the populations"),
    "habitat": N_("habitat"),
    "research": N_("research"),
}
