"""`/proceeds/rules`: the ministry's rules for the proceeds of legal trade, as a page. Everyone who
reads proceeds sees the fee rules (what a sale, an export or a cull owes: tenge per kg, per item, or
a share of the price) and the allocation rules (how what comes in is split between protection of the
populations, their habitat and research), with their dates and legal basis; the ministry adds either
through a form. The same services as `/api/proceeds/fee-rules` and `/api/proceeds/allocation-rules`;
a refusal is shown next to the field it concerns, in the reader's language."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kiik.directory.domain.permissions import Permission, Principal
from kiik.http.deps import get_registry
from kiik.proceeds.domain.rules import PURPOSES, AllocationRule, Basis, Charge, FeeRule, ProceedsError
from kiik.proceeds.services.ledger import add_allocation_rule, add_fee_rule, proceeds_rules
from kiik.web.desk_words import desk_render
from kiik.web.guard import Visitor, form_handler, refusal
from kiik.web.i18n import N_, PageText, explained, language_of
from kiik.web.words import PURPOSE

router = APIRouter(include_in_schema=False)

CHARGE = {"sale": N_("a domestic sale"), "export": N_("an export"), "cull": N_("a cull")}
BASIS = {
    "per_kg": N_("tenge per kilogram"),
    "per_item": N_("tenge per item (an animal, a marked item)"),
    "share_of_price": N_("a percentage of the price"),
}


class FieldProblem(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _page(request: Request, principal: Principal, status: int = 200, **extra: Any) -> Response:
    fees, allocations = proceeds_rules(get_registry(request).uow(), principal)
    today = datetime.now(UTC).date().isoformat()
    context: dict[str, Any] = {
        "fees": sorted(fees, key=lambda r: (r.charge.value, r.valid_from)),
        "allocations": sorted(allocations, key=lambda r: r.valid_from),
        "charges": CHARGE,
        "bases": BASIS,
        "purposes": [(p, PURPOSE[p]) for p in PURPOSES],
        "manages": principal.may(Permission.PROCEEDS_MANAGE),
        "fee_form": {"valid_from": today},
        "allocation_form": {"valid_from": today},
        "errors": {},
        "sent": "",
        "notice": request.query_params.get("done", ""),
    }
    context.update(extra)
    return desk_render(request, "proceeds_rules.html", context, status)


@router.get("/proceeds/rules", response_class=HTMLResponse)
def rules_page(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.PROCEEDS_READ)) is not None:
        return refused
    assert principal is not None
    return _page(request, principal)


def _text(form: dict[str, str], name: str, text: PageText, message: str) -> str:
    value = form.get(name, "").strip()
    if len(value) < 3:
        raise FieldProblem(name, text.gettext(message))
    return value


def _number(form: dict[str, str], name: str, text: PageText) -> float:
    value = form.get(name, "").strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        raise FieldProblem(name, text.gettext("Write a number, e.g. 1500 or 2.5.")) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise FieldProblem(name, text.gettext("Write a number, e.g. 1500 or 2.5."))
    return number


def _day(form: dict[str, str], name: str, text: PageText, required: bool) -> date | None:
    value = form.get(name, "").strip()
    if not value and not required:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FieldProblem(name, text.gettext("Write a date (YYYY-MM-DD).")) from None


def _choice(form: dict[str, str], name: str, choices: dict[str, str], text: PageText) -> str:
    value = form.get(name, "")
    if value not in choices:
        raise FieldProblem(name, text.gettext("Not one of the choices: pick one from the list."))
    return value


def _fee_rule(form: dict[str, str], text: PageText) -> FeeRule:
    basis = Basis(_choice(form, "basis", BASIS, text))
    rate = _number(form, "rate", text)
    if basis is Basis.SHARE_OF_PRICE and not 0 < rate <= 100:
        raise FieldProblem("rate", text.gettext("Give a percentage of the price: more than 0, at most 100."))
    return FeeRule(
        title=_text(form, "title", text, "Give the rule a title (at least 3 characters)."),
        charge=Charge(_choice(form, "charge", CHARGE, text)),
        basis=basis,
        rate=rate / 100 if basis is Basis.SHARE_OF_PRICE else rate,  # the form asks a percentage
        valid_from=_day(form, "valid_from", text, True) or date.today(),
        valid_until=_day(form, "valid_until", text, False),
        legal_basis=_text(form, "legal_basis", text, "Name the legal basis (e.g. the order and its date)."),
        species=form.get("species", "").strip() or None,
        product_type=form.get("product_type", "").strip() or None,
    )


def _allocation_rule(form: dict[str, str], text: PageText) -> AllocationRule:
    shares = {
        p: _number(form, f"share_{p}", text) / 100 for p in PURPOSES if form.get(f"share_{p}", "").strip()
    }
    return AllocationRule(
        title=_text(form, "title", text, "Give the rule a title (at least 3 characters)."),
        shares=shares,
        valid_from=_day(form, "valid_from", text, True) or date.today(),
        valid_until=_day(form, "valid_until", text, False),
        legal_basis=_text(form, "legal_basis", text, "Name the legal basis (e.g. the order and its date)."),
    )


async def _refused(
    request: Request, principal: Principal, which: str, form: dict[str, str], exc: Exception
) -> Response:
    field = getattr(exc, "field", None) or "title"
    if which == "allocation" and field == "shares":
        field = f"share_{PURPOSES[0]}"
    message = str(exc) if isinstance(exc, FieldProblem) else explained(request, exc)
    extra = {"errors": {f"{which}-{field}": message}, f"{which}_form": form, "sent": which}
    return await run_in_threadpool(_page, request, principal, 400, **extra)


@router.post("/proceeds/fee-rules")
@form_handler(Permission.PROCEEDS_MANAGE)
async def add_fee(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    text = PageText(language_of(request))
    try:
        rule = _fee_rule(form, text)
        await run_in_threadpool(add_fee_rule, get_registry(request).uow(), principal, rule)
    except (FieldProblem, ProceedsError) as exc:
        return await _refused(request, principal, "fee", form, exc)
    return RedirectResponse("/proceeds/rules?done=fee", status_code=303)


@router.post("/proceeds/allocation-rules")
@form_handler(Permission.PROCEEDS_MANAGE)
async def add_allocation(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    text = PageText(language_of(request))
    try:
        rule = _allocation_rule(form, text)
        await run_in_threadpool(add_allocation_rule, get_registry(request).uow(), principal, rule)
    except (FieldProblem, ProceedsError) as exc:
        return await _refused(request, principal, "allocation", form, exc)
    return RedirectResponse("/proceeds/rules?done=allocation", status_code=303)
