"""The ministry's harvest desk: `/harvest/plans` lists each season's offtake plan per population
(the rule, the census it rests on, the justification to download) and records one;
`/harvest/authorisations` lists harvest authorisations (a harvest team reads its own, the
authorities all) and issues one, refused next to its field when it would go beyond the season's
plan; `/harvest/authorisations/{number}` shows one with its area on the map. The same services as
`/api/monitoring/plans` and `/api/harvest/authorisations`."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kiik.directory.domain.permissions import OrgKind, Permission, Principal
from kiik.directory.services.organisations import list_organisations
from kiik.errors import NotFound
from kiik.harvest.domain.authorisations import HarvestError, Population
from kiik.harvest.domain.populations import range_label
from kiik.harvest.services.authorisations import (
    AuthoriseHarvest,
    authorise_harvest,
    get_authorisation,
    list_authorisations,
)
from kiik.http.deps import get_registry
from kiik.monitoring.domain.errors import MonitoringError, PlanExceeded
from kiik.monitoring.domain.plans import RuleBasis
from kiik.monitoring.services.plans import RecordPlan, plan_justification, record_plan, season_plans
from kiik.web.desk_words import desk_render
from kiik.web.guard import Visitor, form_handler, posted_form, refusal
from kiik.web.harvest_map import POPULATION_CODES, area_map
from kiik.web.i18n import N_, PageText, explained, language_of
from kiik.web.listing import Column, Filter, Listing, chosen_filters, paged
from kiik.web.rendering import form_page

router = APIRouter(include_in_schema=False)
POPULATIONS = [p.value for p in Population]
RULE_BASES = {
    RuleBasis.LOWER_BOUND.value: N_("lower 95 % confidence bound"),
    RuleBasis.ESTIMATE.value: N_("estimate"),
}

PLAN_COLUMNS = (
    Column(N_("population"), "population"),
    Column(N_("season"), "season"),
    Column(N_("animals at most"), "max_animals", numeric=True),
    Column(N_("rule"), "rule"),
    Column(N_("census year"), "census_year"),
    Column(N_("census figure"), "census_basis", numeric=True),
    Column(N_("justification"), "justification", link="justification_href"),
    Column(N_("recorded"), "recorded_at", moment=True),
)
AUTHORISATION_COLUMNS = (
    Column(N_("number"), "number", link="href"),
    Column(N_("team"), "team"),
    Column(N_("population"), "population"),
    Column(N_("valid from"), "valid_from", date=True),
    Column(N_("valid to"), "valid_to", date=True),
    Column(N_("animals at most"), "max_animals", numeric=True),
    Column(N_("animals registered"), "animals", numeric=True),
    Column(N_("horns registered"), "horns", numeric=True),
    Column(N_("area"), "area_label"),
)


class FieldProblem(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _whole(form: dict[str, str], name: str, message: str) -> int:
    try:
        return int(form.get(name, "").strip().replace(" ", ""))
    except ValueError:
        raise FieldProblem(name, message) from None


def _day(form: dict[str, str], name: str, text: PageText) -> date:
    try:
        return date.fromisoformat(form.get(name, "").strip())
    except ValueError:
        raise FieldProblem(name, text.gettext("Write a date (YYYY-MM-DD).")) from None


def _field_of(exc: Exception, fields: tuple[tuple[str, str], ...], default: str) -> str:
    """The form field a service's refusal is about: the first whose words its English names."""
    if isinstance(exc, PlanExceeded):
        return "max_animals"
    message = str(exc)
    return next((field for words, field in fields if words in message), default)


def _show(
    request: Request,
    template: str,
    listing: Listing,
    rows: list[dict[str, Any]],
    context: dict[str, Any],
    status: int,
    extra: dict[str, Any],
) -> Response:
    """A list with its form: the list's page (nothing when a filter is refused) and the form."""
    if not listing.problems:
        listing = paged(request, listing, rows)
    if listing.problems:
        status = max(status, 400)
    return form_page(request, template, {"listing": listing, **context}, status, extra, desk_render)


# --- offtake plans -------------------------------------------------------------------------------


def _plans_page(request: Request, principal: Principal, status: int = 200, **extra: Any) -> Response:
    plans = season_plans(get_registry(request).uow(), principal)
    seasons = sorted({str(p.season) for p in plans}, reverse=True)
    filters = chosen_filters(
        request,
        [
            Filter("population", N_("population"), [(p, p) for p in POPULATIONS], translate=False),
            Filter("season", N_("season"), [(s, s) for s in seasons], translate=False),
        ],
    )
    chosen = {f.name: f.chosen for f in filters if f.chosen}
    rows = [
        {
            "population": p.population,
            "season": p.season,
            "max_animals": p.max_animals,
            "rule": explained(request, p.rule.statement()),
            "census_year": p.census_year,
            "census_basis": p.census_basis,
            "justification": p.justification.filename,
            "justification_href": f"/harvest/plans/{quote(p.population)}/{p.season}/justification",
            "recorded_at": p.recorded_at,
        }
        for p in plans
        if chosen.get("population", p.population) == p.population
        and chosen.get("season", str(p.season)) == str(p.season)
    ]
    listing = Listing("/harvest/plans", N_("Offtake plans"), PLAN_COLUMNS, filters)
    context = {
        "manages": principal.may(Permission.OFFTAKE_PLANS_MANAGE),
        "populations": POPULATIONS,
        "rule_bases": RULE_BASES,
    }
    return _show(request, "plans.html", listing, rows, context, status, extra)


@router.get("/harvest/plans", response_class=HTMLResponse)
def plans_page(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.CENSUS_READ)) is not None:
        return refused
    assert principal is not None
    return _plans_page(request, principal)


PLAN_FIELDS = (
    ("population", "population"),
    ("rule basis", "rule_basis"),
    ("lower bound", "rule_basis"),
    ("share", "rule_share"),
    ("justification", "justification"),
    ("no census", "season"),
)


@router.post("/harvest/plans")
@form_handler(Permission.OFFTAKE_PLANS_MANAGE)
async def record(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    text = PageText(language_of(request))
    document = (await posted_form(request)).files.get("justification")
    try:
        share = form.get("rule_share", "").strip().replace(",", ".").rstrip("%").strip()
        try:
            fraction = float(share) / 100
        except ValueError:
            raise FieldProblem("rule_share", text.gettext("Write the share in per cent, e.g. 5.")) from None
        if document is None:
            raise FieldProblem("justification", text.gettext("Attach the justification document."))
        command = RecordPlan(
            population=form.get("population", ""),
            season=_whole(form, "season", text.gettext("Write the season's year, e.g. 2026.")),
            max_animals=_whole(form, "max_animals", text.gettext("Write a whole number of animals.")),
            rule_basis=form.get("rule_basis", ""),
            rule_share=fraction,
            justification_name=document.filename or "justification",
            justification_type=document.media_type,
            justification=document.content,
        )
        await run_in_threadpool(record_plan, get_registry(request).uow(), principal, command)
    except FieldProblem as exc:
        errors = {exc.field: str(exc)}
        return await run_in_threadpool(_plans_page, request, principal, 400, errors=errors, form=form)
    except MonitoringError as exc:
        errors = {_field_of(exc, PLAN_FIELDS, "max_animals"): text.explain(exc)}
        return await run_in_threadpool(_plans_page, request, principal, 400, errors=errors, form=form)
    return RedirectResponse("/harvest/plans?done=recorded", status_code=303)


@router.get("/harvest/plans/{population}/{season}/justification")
def justification(request: Request, principal: Visitor, population: str, season: int) -> Response:
    if (refused := refusal(request, principal, Permission.CENSUS_READ)) is not None:
        return refused
    assert principal is not None
    try:
        plan, content = plan_justification(get_registry(request).uow(), principal, population, season)
    except (NotFound, MonitoringError) as exc:
        return desk_render(request, "error.html", {"message": explained(request, exc)}, 404)
    name = plan.justification.filename
    # RFC 6266: an ASCII fallback (no quote, backslash or control character) and the name itself.
    plain = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in name)
    headers = {
        "Content-Disposition": f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}",
        "X-Content-SHA256": plan.justification.sha256,
    }
    return Response(content, media_type=plan.justification.media_type, headers=headers)


# --- harvest authorisations ----------------------------------------------------------------------


def _authorisations_page(request: Request, principal: Principal, status: int = 200, **extra: Any) -> Response:
    registry = get_registry(request)
    views = list_authorisations(registry.uow(), principal)
    issues = principal.may(Permission.HARVEST_AUTHORISATIONS_ISSUE)
    seasons = sorted({str(v.authorisation.valid_from.year) for v in views}, reverse=True)
    teams = sorted({(str(v.authorisation.org_id), v.authorisation.holder) for v in views}, key=lambda t: t[1])
    filters = chosen_filters(
        request,
        [
            Filter("season", N_("season"), [(s, s) for s in seasons], translate=False),
            Filter("population", N_("population"), [(p, p) for p in POPULATIONS], translate=False),
            Filter("team", N_("team"), teams, translate=False),
        ],
    )
    chosen = {f.name: f.chosen for f in filters if f.chosen}
    rows = [
        _authorisation_row(request, v)
        for v in views
        if chosen.get("season", str(v.authorisation.valid_from.year)) == str(v.authorisation.valid_from.year)
        and chosen.get("population", v.authorisation.population.value) == v.authorisation.population.value
        and chosen.get("team", str(v.authorisation.org_id)) == str(v.authorisation.org_id)
    ]
    harvesters = []
    if issues:
        found = list_organisations(registry.uow(), principal)
        harvesters = [o for o in found if o.kind == OrgKind.HARVESTER.value]
    listing = Listing("/harvest/authorisations", N_("Harvest authorisations"), AUTHORISATION_COLUMNS, filters)
    context = {
        "issues": issues,
        "populations": POPULATIONS,
        "harvesters": harvesters,
    }
    return _show(request, "authorisations.html", listing, rows, context, status, extra)


def _authorisation_row(request: Request, view: Any) -> dict[str, Any]:
    a = view.authorisation
    default = range_label(a.population)
    return {
        "number": a.number,
        "href": f"/harvest/authorisations/{quote(a.number)}",
        "team": a.holder,
        "population": a.population.value,
        "valid_from": a.valid_from,
        "valid_to": a.valid_to,
        "max_animals": a.max_animals,
        "animals": view.animals,
        "horns": view.horns,
        "area_label": explained(request, default) if a.area_label == default else a.area_label,
    }


@router.get("/harvest/authorisations", response_class=HTMLResponse)
def authorisations_page(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.HARVEST_AUTHORISATIONS_READ)) is not None:
        return refused
    assert principal is not None
    return _authorisations_page(request, principal)


AUTHORISATION_FIELDS = (
    ("population", "population"),
    ("window", "valid_to"),
    ("number of animals", "max_animals"),
    ("area", "area"),
    ("organisation", "harvester"),
    ("number", "number"),
)


@router.post("/harvest/authorisations")
@form_handler(Permission.HARVEST_AUTHORISATIONS_ISSUE)
async def issue(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    text = PageText(language_of(request))
    try:
        command = AuthoriseHarvest(
            harvester=form.get("harvester", "").strip(),
            population=form.get("population", ""),
            valid_from=_day(form, "valid_from", text),
            valid_to=_day(form, "valid_to", text),
            max_animals=_whole(form, "max_animals", text.gettext("Write a whole number of animals.")),
            area=form.get("area", "").strip() or None,
            area_label=form.get("area_label", "").strip() or None,
            number=form.get("number", "").strip() or None,
        )
        view = await run_in_threadpool(authorise_harvest, get_registry(request).uow(), principal, command)
    except FieldProblem as exc:
        errors = {exc.field: str(exc)}
        return await run_in_threadpool(
            _authorisations_page, request, principal, 400, errors=errors, form=form
        )
    except (HarvestError, MonitoringError) as exc:
        errors = {_field_of(exc, AUTHORISATION_FIELDS, "harvester"): text.explain(exc)}
        return await run_in_threadpool(
            _authorisations_page, request, principal, 400, errors=errors, form=form
        )
    number = quote(view.authorisation.number)
    return RedirectResponse(f"/harvest/authorisations/{number}?done=issued", status_code=303)


@router.get("/harvest/authorisations/{number}", response_class=HTMLResponse)
def authorisation_page(request: Request, principal: Visitor, number: str) -> Response:
    if (refused := refusal(request, principal, Permission.HARVEST_AUTHORISATIONS_READ)) is not None:
        return refused
    assert principal is not None
    try:
        view = get_authorisation(get_registry(request).uow(), principal, number)
    except (NotFound, HarvestError) as exc:
        return desk_render(request, "error.html", {"message": explained(request, exc)}, 404)
    context = {
        "view": view,
        "row": _authorisation_row(request, view),
        "map": area_map(view.authorisation.area),
        "population_code": POPULATION_CODES.get(view.authorisation.population.value, "other"),
        "notice": request.query_params.get("done", ""),
    }
    return desk_render(request, "authorisation.html", context)
