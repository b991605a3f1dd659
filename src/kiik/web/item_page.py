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
from kiik.epcis.domain.identifiers import InvalidIdentifier
from kiik.errors import NotFound
from kiik.http.deps import get_registry
from kiik.inspection.trace import HistoryEntry
from kiik.inspection.verdict import inspect_item, public_check
from kiik.web.figure_cache import kept
from kiik.web.guard import Visitor
from kiik.web.harvest_map import POPULATION_CODES, harvest_map
from kiik.web.rendering import public_page, render

router = APIRouter(include_in_schema=False)

# What a business step means to a person reading a timeline.
STEP_WORDS = {
    "commissioning": "registered",
    "shipping": "shipped",
    "departing": "left",
    "receiving": "received",
    "arriving": "arrived",
    "accepting": "accepted",
    "stock_taking": "stock count",
    "cycle_counting": "stock count (partial)",
    "packing": "packed",
    "unpacking": "unpacked",
    "repackaging": "repacked",
    "seizing": "seized",
    "destroying": "destroyed",
    "decommissioning": "declared lost",
    "inspecting": "inspected",
}


def step_words(entry: HistoryEntry) -> str:
    word = (entry.biz_step or "").rsplit(":", 1)[-1].rsplit("-", 1)[-1].rsplit("/", 1)[-1]
    if entry.event_type == "TransformationEvent":
        return "repacked" if word == "repackaging" else "processed"
    if word == "commissioning" and "output" not in entry.roles:
        return "harvested and registered" if entry.action == "ADD" else "registered"
    if entry.declares_error:
        return "correction: an earlier event declared erroneous"
    return STEP_WORDS.get(word, word or entry.event_type)


def made_words(step: Step) -> str:
    """How the item was made, from the transformation that produced it."""
    product = str(step.ilmd.get("kiik:productType") or "").replace("_", " ")
    return f"Made into {product}" if product else "Made"


@router.get("/items/{code:path}", response_class=HTMLResponse)
def item_page(request: Request, principal: Visitor, code: str) -> Response:
    """An item's verdict first, then its holder, history and where it came from."""
    registry = get_registry(request)
    yields = registry.settings.yields
    context: dict[str, Any] = {"principal": principal, "code": code, "problem": None}
    try:
        if principal is None:
            return _public(request, context)
        # The lineage of a lot of 250 horns costs 100-300 ms to walk: kept until the next capture.
        inspection = kept(
            request, principal, "item:" + code, lambda: inspect_item(registry.uow(), principal, code, yields)
        )
    except NotFound:
        # Someone logged in who may not see this item in detail still gets what anyone may see.
        public = _public(request, context)
        if public.status_code == 200:
            return public
        context["problem"] = "Unknown code: kiik has no record of it that you may see."
        return render(request, "item.html", context, status_code=404)
    except InvalidIdentifier as exc:
        context["problem"] = f"This is not a valid code: {exc}"
        page = "item.html" if principal is not None else "item_public.html"
        return render(request, page, context, status_code=400)
    context.update(
        inspection=inspection,
        trace=inspection.trace,
        map=harvest_map(inspection.sites),
        population_codes=POPULATION_CODES,
        step_words=step_words,
        made_words=made_words,
    )
    return render(request, "item.html", context)


def _public(request: Request, context: dict[str, Any]) -> Response:
    registry = get_registry(request)
    public_page(request)
    verdict = public_check(registry.uow(), context["code"], registry.settings.yields)
    context["public"] = verdict
    return render(request, "item_public.html", context, status_code=200 if verdict.known else 404)
