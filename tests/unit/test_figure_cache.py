"""The pages' cache of costly figures: kept while the stamp (the newest event) is unchanged, counted
again after a capture or once the figure is too old, and never more than its bound."""

from __future__ import annotations

from kiik.web import figure_cache
from kiik.web.figure_cache import FigureCache


def test_a_figure_is_kept_until_its_stamp_changes() -> None:
    counted: list[int] = []
    cache = FigureCache()

    def count() -> int:
        counted.append(1)
        return len(counted)

    assert cache.get("stock", "ministry", 10, count) == 1
    assert cache.get("stock", "ministry", 10, count) == 1  # kept
    assert cache.get("stock", "trader", 10, count) == 2  # someone else's figure is their own
    assert cache.get("stock", "ministry", 11, count) == 3  # a capture since


def test_a_figure_is_counted_again_when_too_old(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    now = [100.0]
    monkeypatch.setattr(figure_cache.time, "monotonic", lambda: now[0])
    cache = FigureCache(keep_seconds=60)
    assert cache.get("plan", None, 1, lambda: "old") == "old"
    now[0] += 59
    assert cache.get("plan", None, 1, lambda: "new") == "old"
    now[0] += 2
    assert cache.get("plan", None, 1, lambda: "new") == "new"


def test_the_cache_keeps_at_most_its_bound() -> None:
    cache = FigureCache(most=3)
    for n in range(5):
        cache.get(f"item:{n}", None, 1, lambda n=n: n)
    assert cache.get("item:0", None, 1, lambda: "again") == "again"  # the oldest went first
    assert cache.get("item:4", None, 1, lambda: "again") == 4
