"""Words of the desk's pages (permits, quotas, species rules, organisations, monitoring): what an
automatic check's refusal means, said for a person in their language, and which field of a form a
service's message is about. A refusal the table does not know is shown as the service wrote it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kiik.custody.domain.state import Violation
from kiik.web.i18n import N_, PageText
from kiik.web.rendering import render

# A permit check's rule id -> the sentence shown next to the items field (`%(code)s`: the item).
PERMIT_PROBLEMS = {
    "permit.item_unknown": N_("%(code)s is not registered: check the code."),
    "permit.not_holder": N_("%(code)s is not held by your organisation: a permit names only items you hold."),
    "permit.item_not_available": N_(
        "%(code)s cannot be exported now (in transit, packed, processed, seized or exported)."
    ),
    "permit.mass_unknown": N_("%(code)s has no recorded mass: record its mass first."),
    "permit.species_unknown": N_("%(code)s has no recorded species: only items traced to a harvest qualify."),
    "permit.lineage_incomplete": N_("The origin of %(code)s is not on record back to a legal harvest."),
    "permit.item_on_other_permit": N_(
        "%(code)s is already on another open application or permit: withdraw or cancel that one first."
    ),
    "permit.mixed_species": N_("The items are of several species: apply for one species per permit."),
    "permit.no_items": N_("Name at least one item."),
    "permit.no_quota": N_(
        "No open export quota covers these items (species, source, purpose, country, year): commercial "
        "export is allowed only within a quota."
    ),
    "permit.quota_exceeded": N_("The quota has too little left for these items: apply for fewer items."),
}

# The sentence for a total ban, with the service's own words (the rule, its legal basis) after it.
BANNED = N_("The export of this species is banned:")

RULE_KIND = {
    "total_ban": N_("total ban"),
    "export_under_quota": N_("export only under a quota"),
    "season": N_("season"),
}

PERMIT_KIND = {"export": N_("export permit"), "re-export": N_("re-export certificate")}

HISTORY_ACTION = {
    "apply": N_("applied"),
    "issue": N_("issued"),
    "reject": N_("rejected"),
    "withdraw": N_("withdrawn"),
    "cancel": N_("cancelled"),
    "replace": N_("replaced"),
    "expire": N_("expired"),
    "endorse": N_("export endorsed"),
    "confirm_import": N_("arrival confirmed"),
}


def problem_text(text: PageText, problem: Violation) -> str:
    if problem.rule == "permit.species_banned":
        return f"{text.gettext(BANNED)} {problem.message}"
    msgid = PERMIT_PROBLEMS.get(problem.rule)
    if msgid is None:
        return problem.message
    if problem.rule == "permit.quota_exceeded":
        return f"{text.gettext(msgid)} ({problem.message})"
    return str(text.gettext(msgid, code=problem.identifier or ""))


def field_of_permit_error(message: str) -> str:
    """The form field a PermitError of the application is about (its message names it)."""
    lowered = message.lower()
    for word, field in (
        ("purpose", "purpose"),
        ("source", "source"),
        ("country", "import_country"),
        ("importer", "importer_name"),
        ("kind", "kind"),
    ):
        if word in lowered:
            return field
    return "items"


# What the desk's templates read as `desk.RULE_KIND[...]` and so on.
WORDS = SimpleNamespace(RULE_KIND=RULE_KIND, PERMIT_KIND=PERMIT_KIND, HISTORY_ACTION=HISTORY_ACTION)


def desk_render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    """A desk page: `render` with the desk's words at hand."""
    return render(request, template, {**context, "desk": WORDS}, status)
