"""What every scanning page shares: the codes of a scan list, each code's verdict in words, and the
capture's refusals in the person's language: the service's own sentence where it is worded
(`kiik.errors.Wording`), else a sentence by rule with kiik's English sentence kept below it."""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from kiik.custody.services.floor import CodeCheck
from kiik.errors import Wording
from kiik.web.i18n import N_, PageText
from kiik.web.rendering import render

VERDICT = {
    "ok": N_("ready"),
    "unreadable": N_("not a code kiik can read"),
    "repeated": N_("already in the list"),
    "unknown": N_("not registered in kiik"),
    "elsewhere": N_("held by another organisation"),
    "not_movable": N_("cannot move now"),
    "not_coming": N_("not on its way to you"),
    "here_already": N_("already received here"),
}

# The capture's rules, in words for the person who scanned, for a refusal whose own sentence is not
# worded (the English detail follows them).
RULE = {
    "item.unknown": N_("This code is not registered: check it, or ask who marked the item."),
    "item.not_movable": N_(
        "This item cannot move: it is in transit, processed, seized, exported or destroyed."
    ),
    "custody.not_holder": N_(
        "Your organisation does not hold this item: only its holder may ship or process it."
    ),
    "receiving.not_shipped": N_("This item was not shipped: the sender must record the shipment first."),
    "receiving.not_destination": N_("This item was shipped to another organisation, not to you."),
    "shipping.unknown_destination": N_("The destination is not an organisation kiik knows."),
    "shipping.destination_required": N_("Choose where the items go."),
    "transformation.mass_balance": N_(
        "The outputs weigh more than the inputs allow at this product's yield."
    ),
    "transformation.input_mass_unknown": N_(
        "This input has no recorded mass, so the yield cannot be checked."
    ),
    "transformation.not_reversible": N_(
        "Processing goes one way: a derivative cannot be made back into a less processed form."
    ),
    "transformation.output_mass_required": N_("Give each output lot's mass in kilograms."),
    "identifier.already_commissioned": N_("This code is already registered: an output lot needs a new code."),
    "mass.implausible": N_("This mass is not plausible for such a product: check the value and its unit."),
    "species.banned": N_("This species may not be traded now."),
}


def refusal_text(text: PageText, error: dict[str, Any]) -> Markup:
    """A capture refusal for the page: its own sentence translated when it is worded, else the
    rule's sentence with the service's English after it."""
    message = error.get("message", "")
    if isinstance(message, Wording):
        return Markup(text.explain(message))
    rule = error.get("rule")
    sentence = text.gettext(RULE[rule]) if rule in RULE else ""
    return Markup("{} <small>{}</small>").format(sentence, message)


def typed_codes(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]


def errors_by_code(
    errors: list[dict[str, Any]],
) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """The capture's errors of each code, and those that name no code (of the event as a whole)."""
    by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
    general = []
    for error in errors:
        if error.get("identifier"):
            by_code[str(error["identifier"])].append(error)
        else:
            general.append(error)
    return dict(by_code), general


def summary(checks: list[CodeCheck]) -> dict[str, int]:
    return {"ready": sum(c.ok for c in checks), "problems": sum(not c.ok for c in checks)}


def render_scan(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    """`render` with the scanning words (verdicts, refusals) the scan templates show."""
    context.setdefault("scan_words", sys.modules[__name__])
    context.setdefault("failed", {})
    return render(request, template, context, status)
