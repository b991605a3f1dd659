"""`/quotas` and `/species/rules`: the ministry sets export quotas (one year, or the three years of
a CITES programme) and reads their use; lists, adds and withdraws dated species rules, a total ban
(the Central Asian tortoise) standing out. Everyone with `species:read` reads both pages. The same
services as `/api/quotas` and `/api/species/rules`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kiik.directory.domain.permissions import Permission, Principal
from kiik.errors import NotFound
from kiik.http.deps import get_registry
from kiik.species.domain.quotas import Quota, QuotaError
from kiik.species.domain.species import RegisterError, RuleKind
from kiik.species.services.quotas import list_quotas, set_quota
from kiik.species.services.register import SaveRule, add_rule, read_register, withdraw_rule
from kiik.web.desk_words import desk_render
from kiik.web.guard import Visitor, form_handler, refusal
from kiik.web.i18n import PageText, explained, language_of

router = APIRouter(include_in_schema=False)


class FieldProblem(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _number(form: dict[str, str], name: str, message: str, kind: type = int) -> Any:
    value = form.get(name, "").strip().replace(" ", "").replace(",", ".")
    try:
        return kind(value)
    except ValueError:
        raise FieldProblem(name, message) from None


def _quotas_page(request: Request, principal: Principal, status: int = 200, **extra: Any) -> Response:
    registry = get_registry(request)
    year = datetime.now(UTC).year
    context: dict[str, Any] = {
        "quotas": list_quotas(registry.uow(), principal),
        "taxa": read_register(registry.uow(), principal).taxa,
        "manages": principal.may(Permission.QUOTAS_MANAGE),
        "form": {"first_year": str(year), "last_year": str(year + 2), "source": "W", "purpose": "T"},
        "errors": {},
        "notice": request.query_params.get("done", ""),
        "this_year": year,
    }
    context.update(extra)
    return desk_render(request, "quotas.html", context, status)


@router.get("/quotas", response_class=HTMLResponse)
def quotas_page(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.SPECIES_READ)) is not None:
        return refused
    assert principal is not None
    return _quotas_page(request, principal)


@router.post("/quotas")
@form_handler(Permission.QUOTAS_MANAGE)
async def add_quota(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    text = PageText(language_of(request))
    try:
        quota = Quota(
            scientific_name=form.get("scientific_name", ""),
            term=form.get("term", "").strip().upper() or None,
            unit="KGM",
            source=form.get("source", "W").strip().upper() or "W",
            purpose=form.get("purpose", "T").strip().upper() or "T",
            destination=form.get("destination", "").strip().upper() or None,
            first_year=_number(form, "first_year", text.gettext("Write the first year, e.g. 2026.")),
            last_year=_number(form, "last_year", text.gettext("Write the last year, e.g. 2028.")),
            yearly_cap=_number(
                form, "yearly_cap", text.gettext("Write the yearly cap in kg, e.g. 10000."), float
            ),
            legal_basis=form.get("legal_basis", "").strip(),
        )
        if len(quota.legal_basis) < 3:
            raise FieldProblem("legal_basis", text.gettext("Name the legal basis (e.g. the CITES decision)."))
        if not 1975 <= quota.first_year <= quota.last_year <= 2100:
            raise FieldProblem(
                "last_year", text.gettext("The years must run forward, between 1975 and 2100.")
            )
        await run_in_threadpool(set_quota, get_registry(request).uow(), principal, quota)
    except FieldProblem as exc:
        return await run_in_threadpool(
            _quotas_page, request, principal, 400, errors={exc.field: str(exc)}, form=form
        )
    except (QuotaError, NotFound) as exc:
        field = (
            "scientific_name"
            if isinstance(exc, NotFound)
            else ("yearly_cap" if "cap" in str(exc) else "last_year")
        )
        return await run_in_threadpool(
            _quotas_page, request, principal, 400, errors={field: text.explain(exc)}, form=form
        )
    return RedirectResponse("/quotas?done=added", status_code=303)


def _rules_page(request: Request, principal: Principal, status: int = 200, **extra: Any) -> Response:
    registry = get_registry(request)
    register = read_register(registry.uow(), principal, withdrawn=True)
    today = datetime.now(UTC).date()
    context: dict[str, Any] = {
        "register": register,
        "today": today,
        "kinds": [k.value for k in RuleKind],
        "manages": principal.may(Permission.SPECIES_MANAGE),
        "form": {"valid_from": today.isoformat()},
        "errors": {},
        "notice": request.query_params.get("done", ""),
    }
    context.update(extra)
    return desk_render(request, "species_rules.html", context, status)


@router.get("/species/rules", response_class=HTMLResponse)
def rules_page(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.SPECIES_READ)) is not None:
        return refused
    assert principal is not None
    return _rules_page(request, principal)


def _day(form: dict[str, str], name: str, text: PageText, required: bool) -> date | None:
    value = form.get(name, "").strip()
    if not value and not required:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FieldProblem(name, text.gettext("Write a date (YYYY-MM-DD).")) from None


@router.post("/species/rules")
@form_handler(Permission.SPECIES_MANAGE)
async def add_rule_(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    text = PageText(language_of(request))
    try:
        title = form.get("title", "").strip()
        if len(title) < 3:
            raise FieldProblem("title", text.gettext("Give the rule a title (at least 3 characters)."))
        if len(form.get("legal_basis", "").strip()) < 3:
            raise FieldProblem(
                "legal_basis", text.gettext("Name the legal basis (e.g. the order and its date).")
            )
        max_mci = form.get("penalty_max_mci", "").strip()
        command = SaveRule(
            scientific_name=form.get("scientific_name", ""),
            kind=form.get("kind", ""),
            title=title,
            valid_from=_day(form, "valid_from", text, True) or date.today(),
            valid_until=_day(form, "valid_until", text, False),
            legal_basis=form.get("legal_basis", "").strip(),
            penalty_article=form.get("penalty_article", "").strip() or None,
            penalty_max_mci=_number(form, "penalty_max_mci", text.gettext("Write a whole number of MCI."))
            if max_mci
            else None,
        )
        await run_in_threadpool(add_rule, get_registry(request).uow(), principal, command)
    except FieldProblem as exc:
        return await run_in_threadpool(
            _rules_page, request, principal, 400, errors={exc.field: str(exc)}, form=form
        )
    except (RegisterError, NotFound) as exc:
        message = str(exc)  # English, to find the field it names
        field = (
            "scientific_name"
            if isinstance(exc, NotFound)
            else (
                "valid_until" if "ends" in message else "penalty_max_mci" if "penalty" in message else "kind"
            )
        )
        return await run_in_threadpool(
            _rules_page, request, principal, 400, errors={field: text.explain(exc)}, form=form
        )
    return RedirectResponse("/species/rules?done=added", status_code=303)


@router.post("/species/rules/{rule_id:int}/withdraw")
@form_handler(Permission.SPECIES_MANAGE)
async def withdraw(request: Request, principal: Principal, form: dict[str, str], rule_id: int) -> Response:
    try:
        await run_in_threadpool(withdraw_rule, get_registry(request).uow(), principal, rule_id)
    except (RegisterError, NotFound) as exc:
        status = 404 if isinstance(exc, NotFound) else 400
        return await run_in_threadpool(
            _rules_page, request, principal, status, errors={"list": explained(request, exc)}
        )
    return RedirectResponse("/species/rules?done=withdrawn", status_code=303)
