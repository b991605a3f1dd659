"""`GET /items/{code}`: the page a code leads to when it is scanned.

Logged in (an inspector, a holder, the ministry): the verdict first, then the holder, status,
timeline and the lineage with the harvest sites on a map. Not logged in (the public, a pharmacy
customer scanning a label): legal origin yes or no, the species and the product, nothing more.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kiik.custody.services.lineage import Step
from kiik.directory.domain.permissions import Principal
from kiik.epcis.domain.identifiers import InvalidIdentifier
from kiik.errors import NotFound
from kiik.http.deps import get_registry
from kiik.inspection.trace import HistoryEntry
from kiik.inspection.verdict import Inspection, inspect_item, public_check
from kiik.web import words
from kiik.web.figure_cache import kept
from kiik.web.guard import Visitor
from kiik.web.harvest_map import POPULATION_CODES, HarvestMap, harvest_map
from kiik.web.i18n import N_, PageText, language_of
from kiik.web.rendering import public_page, render

router = APIRouter(include_in_schema=False)
SOURCES_SHOWN = 50

# What a business step means to a person reading a timeline.
STEP_WORDS = {
    "commissioning": N_("registered"),
    "shipping": N_("shipped"),
    "departing": N_("left"),
    "receiving": N_("received"),
    "arriving": N_("arrived"),
    "accepting": N_("accepted"),
    "stock_taking": N_("stock count"),
    "cycle_counting": N_("stock count (partial)"),
    "packing": N_("packed"),
    "unpacking": N_("unpacked"),
    "repackaging": N_("repacked"),
    "seizing": N_("seized"),
    "destroying": N_("destroyed"),
    "decommissioning": N_("declared lost"),
    "inspecting": N_("inspected"),
}


def step_words(entry: HistoryEntry) -> str:
    """What happened, as a msgid (the page translates it); an unknown step as written."""
    word = (entry.biz_step or "").rsplit(":", 1)[-1].rsplit("-", 1)[-1].rsplit("/", 1)[-1]
    if entry.event_type == "TransformationEvent":
        return N_("repacked") if word == "repackaging" else N_("processed")
    if word == "commissioning" and "output" not in entry.roles:
        return N_("harvested and registered") if entry.action == "ADD" else N_("registered")
    if entry.declares_error:
        return N_("correction: an earlier event declared erroneous")
    return STEP_WORDS.get(word, word or entry.event_type)


def made_words(step: Step, text: PageText) -> str:
    """How the item was made, from the transformation that produced it, in the page's language."""
    product = str(step.ilmd.get("kiik:productType") or "")
    if not product:
        return text.gettext("Made")
    return text.gettext("Made into %(product)s", product=text.explain(words.product(product)))


@router.get("/items/{code:path}", response_class=HTMLResponse)
def item_page(request: Request, principal: Visitor, code: str) -> Response:
    """An item's verdict first, then its holder, history and where it came from."""
    registry = get_registry(request)
    text = PageText(language_of(request, public=principal is None))
    context: dict[str, Any] = {"principal": principal, "code": code, "problem": None}
    try:
        if principal is None:
            return _public(request, context)
        # The lineage of a lot of 250 horns and its map cost 100-300 ms: kept until the next capture.
        inspection, drawn = kept(
            request, principal, "item:" + code, lambda: _inspected(registry, principal, code)
        )
    except NotFound:
        # Someone logged in who may not see this item in detail still gets what anyone may see.
        context["not_in_detail"] = True
        public = _public(request, context)
        if public.status_code == 200:
            return public
        context["problem"] = text.gettext("Unknown code: kiik has no record of it that you may see.")
        return render(request, "item.html", context, status_code=404)
    except InvalidIdentifier as exc:
        context["problem"] = text.gettext("This is not a valid code: %(detail)s", detail=text.explain(exc))
        page = "item.html" if principal is not None else "item_public.html"
        return render(request, page, context, status_code=400)
    context.update(
        inspection=inspection,
        trace=inspection.trace,
        map=drawn,
        site_of={site.key: site for site in inspection.sites},
        # A lot of hundreds of horns lists its first sources; the rest on asking (the page stays light).
        shown_sources=10**9 if request.query_params.get("sources") == "all" else SOURCES_SHOWN,
        population_codes=POPULATION_CODES,
        step_words=step_words,
        made_words=made_words,
    )
    return render(request, "item.html", context)


def _inspected(registry: Any, principal: Principal, code: str) -> tuple[Inspection, HarvestMap]:
    inspection = inspect_item(registry.uow(), principal, code, registry.settings.yields)
    return inspection, harvest_map(inspection.sites)


def _public(request: Request, context: dict[str, Any]) -> Response:
    registry = get_registry(request)
    public_page(request)
    verdict = public_check(registry.uow(), context["code"], registry.settings.yields)
    context["public"] = verdict
    return render(request, "item_public.html", context, status_code=200 if verdict.known else 404)
