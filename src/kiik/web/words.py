"""Words the pages show for kiik's own codes (statuses, roles, organisation kinds), marked for the
catalogs here and translated where they are shown: `_(words.STATUS[code])`."""

from __future__ import annotations

from kiik.web.i18n import N_

STATUS = {
    "active": N_("held"),
    "in_transit": N_("in transit"),
    "consumed": N_("processed (consumed)"),
    "destroyed": N_("destroyed"),
    "seized": N_("seized"),
    "exported": N_("exported"),
    "decommissioned": N_("declared lost"),
}

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
