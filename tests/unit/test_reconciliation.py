"""Reconciliation judged without a database: each kind of discrepancy, a clean consignment, the
tolerance, the period and the CSV rows."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kiik.partners.domain.reconciliation import (
    Arrival,
    Consignment,
    Kind,
    Period,
    ReconciliationError,
    Report,
    Side,
    Tolerance,
    count_kinds,
    csv_rows,
    reconcile,
)

LEFT = datetime(2026, 11, 2, 10, 0)
LOT_A = "urn:epc:class:lgtin:4870004.000001.PWD-1"
LOT_B = "urn:epc:class:lgtin:4870004.000001.PWD-2"
HORN = "urn:epc:id:sgtin:4870002.000001.25"
STRAY = "urn:epc:id:sgtin:4870002.000001.99"
EXPORTED = {LOT_A: 1.8, LOT_B: 1.8, HORN: 0.25}
TOLERANCE = Tolerance(kg=0.005, percent=0.5)


def consignment(arrival: Arrival | None, *, notified: bool = True, side: Side = Side.EXPORT) -> Consignment:
    return Consignment("KZ/2026/000001", side, "CN", LEFT, dict(EXPORTED), notified, arrival)


def judged(arrival: Arrival | None, now: datetime = datetime(2026, 11, 10), **given: object):  # type: ignore[no-untyped-def]
    return reconcile(consignment(arrival, **given), TOLERANCE, now, due_days=30)  # type: ignore[arg-type]


def test_a_consignment_that_arrived_whole_agrees() -> None:
    result = judged(Arrival(datetime(2026, 11, 5), {LOT_A: 1.8, LOT_B: 1.797, HORN: None}))
    assert result.status == "agrees" and result.discrepancies == ()
    assert (result.exported_items, result.received_items) == (3, 3)
    assert result.received_kg == pytest.approx(3.847)  # the horn was not weighed: counted as it left


def test_an_item_exported_but_not_scanned_has_not_arrived() -> None:
    result = judged(Arrival(datetime(2026, 11, 5), {LOT_A: 1.8, HORN: 0.25}))
    [missing] = result.discrepancies
    assert (missing.kind, missing.item, missing.exported_kg, missing.received_kg) == (
        Kind.NOT_ARRIVED,
        LOT_B,
        1.8,
        None,
    )
    assert result.status == "discrepancies" and result.received_items == 2


def test_an_item_scanned_but_not_on_the_notice_was_not_exported() -> None:
    result = judged(Arrival(datetime(2026, 11, 5), dict(EXPORTED), not_notified=[STRAY]))
    [stray] = result.discrepancies
    assert (stray.kind, stray.item, stray.exported_kg) == (Kind.NOT_EXPORTED, STRAY, None)
    assert "not on the notice" in stray.detail


def test_an_item_confirmed_that_this_side_never_exported_is_named_too() -> None:
    result = judged(Arrival(datetime(2026, 11, 5), {**EXPORTED, STRAY: 0.3}))
    assert [(d.kind, d.item, d.received_kg) for d in result.discrepancies] == [
        (Kind.NOT_EXPORTED, STRAY, 0.3)
    ]


def test_a_mass_difference_beyond_the_tolerance_is_named_with_both_masses() -> None:
    result = judged(Arrival(datetime(2026, 11, 5), {LOT_A: 1.7, LOT_B: 1.8, HORN: 0.25}))
    [light] = result.discrepancies
    assert (light.kind, light.item, light.exported_kg, light.received_kg) == (
        Kind.MASS_DIFFERENCE,
        LOT_A,
        1.8,
        1.7,
    )
    assert light.difference_kg == pytest.approx(-0.1)
    assert "1.700 kg arrived of 1.800 kg" in light.detail and "tolerance 0.009 kg" in light.detail


@pytest.mark.parametrize(
    ("left", "arrived", "beyond"),
    [
        (1.8, 1.791, False),  # 0.5 % of 1.8 kg is 9 g
        (1.8, 1.790, True),
        (0.25, 0.246, False),  # 0.5 % is 1.25 g: the 5 g floor applies
        (0.25, 0.244, True),
        (100.0, 100.5, False),
        (100.0, 100.6, True),  # heavier counts as well as lighter
    ],
)
def test_the_tolerance_is_the_larger_of_the_absolute_and_the_relative_bound(
    left: float, arrived: float, beyond: bool
) -> None:
    assert TOLERANCE.exceeded(left, arrived) is beyond


def test_a_negative_tolerance_is_refused() -> None:
    with pytest.raises(ReconciliationError, match="cannot be negative"):
        Tolerance(kg=-0.1)


def test_no_arrival_within_the_due_days_is_awaited_after_them_overdue() -> None:
    waiting = judged(None, now=datetime(2026, 12, 2))
    assert waiting.status == "awaiting arrival" and waiting.discrepancies == ()
    assert waiting.due == date(2026, 12, 2)
    late = judged(None, now=datetime(2026, 12, 5))
    [overdue] = late.discrepancies
    assert overdue.kind is Kind.CONFIRMATION_OVERDUE and overdue.item is None
    assert "3 days overdue" in overdue.detail and "the importing registry confirmed" in overdue.detail
    importer = judged(None, now=datetime(2026, 12, 5), side=Side.IMPORT)
    assert "customs recorded" in importer.discrepancies[0].detail


def test_an_export_no_partner_was_told_of_is_not_notified() -> None:
    result = judged(None, notified=False)
    assert [d.kind for d in result.discrepancies] == [Kind.NOT_NOTIFIED]
    assert "kiik partner add CN" in result.discrepancies[0].detail


def test_the_period_parses_days_and_refuses_nonsense() -> None:
    period = Period.parse("2026-11-01", "2026-11-30")
    assert period.contains(datetime(2026, 11, 30, 23, 59)) and not period.contains(datetime(2026, 12, 1))
    assert not period.contains(datetime(2026, 10, 31, 23, 59))
    assert Period.parse(None, "").bounds() == (None, None)
    with pytest.raises(ReconciliationError, match="from='1 Nov' is not a date"):
        Period.parse("1 Nov", None)
    with pytest.raises(ReconciliationError, match="after it ends"):
        Period.parse("2026-12-01", "2026-11-01")


def test_the_report_counts_each_kind_and_its_csv_has_a_row_per_discrepancy() -> None:
    clean = judged(Arrival(datetime(2026, 11, 5), dict(EXPORTED)))
    wrong = judged(Arrival(datetime(2026, 11, 5), {LOT_A: 1.5}, [STRAY]))
    report = Report(Period(), TOLERANCE, 30, datetime(2026, 11, 10), (clean, wrong))
    summary = report.summary()
    assert summary["permits"] == 2
    assert summary["by_status"] == {"agrees": 1, "awaiting arrival": 0, "discrepancies": 1}
    assert summary["discrepancies"] == {
        "not_arrived": 2,
        "not_exported": 1,
        "mass_difference": 1,
        "confirmation_overdue": 0,
        "not_notified": 0,
    }
    rows = csv_rows(report)
    assert [r["kind"] for r in rows] == ["", "mass_difference", "not_arrived", "not_arrived", "not_exported"]
    assert rows[1]["difference_kg"] == pytest.approx(-0.3)
    assert count_kinds(wrong.discrepancies)["not_arrived"] == 2
    assert report.to_json()["permits"][1]["counts"]["mass_difference"] == 1  # type: ignore[index]
