"""Words of the desk's pages (permits, quotas, species rules, organisations, monitoring): the kinds
and actions the templates name, a permit check's problem in the person's language, and which field
of a form a service's message is about."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from kiik.custody.domain.state import Violation
from kiik.web.i18n import N_, PageText
from kiik.web.rendering import render

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


def problem_text(text: PageText, problem: Violation) -> Markup | str:
    """A permit check's problem in the page's language (its sentence is worded by the service)."""
    return text.explain(problem.message)


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
