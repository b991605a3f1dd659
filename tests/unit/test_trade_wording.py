"""Legal trade's rules at capture are worded (kiik.errors.Wording): English where the API, the command
line and the EPCIS error bodies show them, Kazakh and Russian on a page; the pack check keeps its own
catalogs, and no sentence is in both."""

from __future__ import annotations

from datetime import date

import pytest
from babel.messages.pofile import read_po
from markupsafe import escape
from starlette.requests import Request

from kiik.errors import Wording
from kiik.trade.adapters.translations import catalog_path
from kiik.trade.domain.culls import CarcassBatch, CullOperation, carcass_violations
from kiik.trade.domain.errors import TradeError
from kiik.trade.domain.meat import LotPlan, ProcessingRun, check_run
from kiik.trade.domain.sales import already_sold, beyond_lot, terms_problems
from kiik.trade.domain.takings import TakeKind, TakePermit, taking_violations
from kiik.web.i18n import LOCALE_DIR, explained

KEY = "https://id.gs1.org/01/04870002000201/10/D1"
CULL = CullOperation("CULL-2025-URL-01", "Ural", "west", date(2025, 8, 1), date(2025, 8, 31), "A-1", 20, 7)


def batch(**changed: object) -> CarcassBatch:
    fields: dict[str, object] = {
        "key": KEY,
        "cull_number": CULL.number,
        "carcasses": 10,
        "mass_kg": 150.0,
        "delivered_on": date(2025, 8, 6),
        "species": "Saiga tatarica",
        "population": "Ural",
    }
    return CarcassBatch(**{**fields, **changed})  # type: ignore[arg-type]


def page(language: str) -> Request:
    return Request({"type": "http", "headers": [(b"cookie", f"kiik_lang={language}".encode())]})


def test_a_carcass_batch_outside_its_cull_reads_as_before_in_english_and_translated_on_a_page() -> None:
    [late] = carcass_violations(CULL, batch(delivered_on=date(2025, 9, 2)), 0, 7)
    assert late.rule == "trade.outside_cull_dates" and isinstance(late.message, Wording)
    assert late.message == (
        f"{KEY} is recorded on 2025-09-02, outside cull CULL-2025-URL-01 (2025-08-01 to 2025-08-31): "
        "record it on a day of the operation"
    )
    assert str(explained(page("kk"), late.message)) == (
        f"{KEY} 2025-09-02 күні тіркелген, бұл CULL-2025-URL-01 аулауының мерзімінен тыс "
        "(2025-08-01 – 2025-08-31): оны операция күндерінің бірінде тіркеңіз"
    )
    assert str(explained(page("ru"), late.message)) == (
        f"{KEY} записана 2025-09-02, вне сроков отстрела CULL-2025-URL-01 (2025-08-01 – 2025-08-31): "
        "запишите её в один из дней операции"
    )


def test_a_named_and_an_unnamed_cull_are_two_whole_sentences() -> None:
    [unknown] = carcass_violations(None, batch(cull_number="CULL-X"), 0, 7)
    [missing] = carcass_violations(None, batch(cull_number=None), 0, 7)
    assert unknown.message.startswith(f"{KEY} names cull operation 'CULL-X': carcasses are commissioned")
    assert missing.message.startswith(f"{KEY} names no cull operation: carcasses are commissioned")
    assert "&#39;CULL-X&#39;" in explained(page("ru"), unknown.message)  # a value is escaped
    assert "аулау операциясын атамайды" in explained(page("kk"), missing.message)


def run_of(**changed: object) -> ProcessingRun:
    fields: dict[str, object] = {
        "product_type": "meat_cuts",
        "gtin": "04870004000308",
        "made_on": date(2025, 8, 6),
        "vet_certificate": "VET-1",
        "inputs": ((KEY, 10.0),),
        "lots": (LotPlan("L1", 10, 0.5, date(2025, 9, 1)),),
    }
    return ProcessingRun(**{**fields, **changed})  # type: ignore[arg-type]


def messages_of_every_rule() -> list[Wording]:
    """At least one refusal of each trade rule and check, each made by the domain as the capture does."""
    permit = TakePermit(
        "HUNT-1", TakeKind.HUNTING, "Ovis ammon", "Tarbagatai", date(2025, 9, 1), date(2025, 9, 30), 7, 2
    )
    found = [
        *carcass_violations(CULL, batch(species="Ovis ammon", delivered_on=date(2025, 9, 2)), 0, 7),
        *carcass_violations(CULL, batch(), 0, 8),
        *carcass_violations(CULL, batch(carcasses=None), 0, 7),
        *carcass_violations(CULL, batch(), 15, 7),
        *carcass_violations(CULL, batch(mass_kg=900.0), 0, 7),
        *terms_problems("s1", "friend", " ", 0),
        already_sold(KEY),
        beyond_lot(KEY, 10.0, 9.5, 1.0),
        *taking_violations(None, None, "Ovis ammon", KEY, date(2025, 9, 2), 1, 0, 7),
        *taking_violations(None, None, "Rosa canina", KEY, date(2025, 9, 2), 1, 0, 7),
        *taking_violations(None, "HUNT-9", "Ovis ammon", KEY, date(2025, 9, 2), 1, 0, 7),
        *taking_violations(permit, "HUNT-1", "Rosa canina", KEY, date(2025, 10, 2), 2, 1, 8),
    ]
    messages: list[Wording] = [v.message for v in found]  # type: ignore[misc]
    lot = LotPlan("L1", 10, 0.5, date(2025, 9, 1))
    bad_runs = [
        run_of(product_type="jerky"),
        run_of(vet_certificate=" "),
        run_of(inputs=((KEY, 0.0),)),
        run_of(lots=()),
        run_of(lots=(lot, lot)),
        run_of(inputs=((KEY, 100.0),)),
        run_of(lots=(LotPlan("L1", 0, 0.5, date(2025, 9, 1)),)),
        run_of(lots=(LotPlan("L1", 10, 90.0, date(2025, 9, 1)),)),
        run_of(lots=(LotPlan("L1", 10, 0.5, date(2031, 9, 1)),)),
        run_of(gtin="123"),
    ]
    for bad in bad_runs:
        with pytest.raises(TradeError) as refused:
            check_run(bad)
        messages.append(refused.value.args[0])
    assert check_run(run_of())  # the good run passes: each bad one differs from it in one thing
    return messages


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_trade_refusal_is_translated_with_its_values(language: str) -> None:
    messages = messages_of_every_rule()
    assert len(messages) >= 25 and all(isinstance(m, Wording) for m in messages)
    for message in messages:
        shown = str(explained(page(language), message))
        assert shown != message, f"not translated into {language}: {message.template}"
        assert any("\u0400" <= c <= "\u04ff" for c in shown), shown
        for value in message.values.values():
            assert str(escape(str(value))) in shown, (value, shown)


def test_the_rules_sentences_are_in_the_staff_pages_catalogs_not_in_the_pack_checks() -> None:
    templates = {m.template for m in messages_of_every_rule()}
    for language in ("kk", "ru"):
        with catalog_path(language).open("rb") as po:
            pack_check = {m.id for m in read_po(po) if m.id}
        with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
            pages = {m.id for m in read_po(po) if m.id}
        assert templates <= pages and not templates & pack_check
