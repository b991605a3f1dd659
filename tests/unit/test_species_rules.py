"""Species rules and penalty estimates, without a database."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from kiik.species.domain.penalties import MCI_FOR_FINES, UnknownMci, estimate, mci_on
from kiik.species.domain.seed import ARTICLE_339, RULES, SAIGA, TORTOISE
from kiik.species.domain.species import (
    RegisterError,
    RuleKind,
    SpeciesRule,
    Taxon,
    banned_operation,
    rules_for,
)

BAN = next(r for r in RULES if r.scientific_name == TORTOISE)


def test_the_mci_table_is_the_reference_file_less_the_benefits_only_row(reference) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.DictReader((reference / "cites" / "kz_mci.csv").read_text().splitlines()))
    for_fines = [
        (date.fromisoformat(r["effective_from"]), int(r["mci_kzt"]))
        for r in rows
        if not r["applies_to"].startswith("benefits")
    ]
    assert tuple(for_fines) == MCI_FOR_FINES


@pytest.mark.parametrize(
    ("day", "tenge"),
    [
        (date(2026, 3, 15), 4325),
        (date(2022, 6, 1), 3063),
        (date(2020, 3, 31), 2651),
        (date(2020, 4, 1), 2778),
    ],
)
def test_the_mci_of_the_offence_date(day: date, tenge: int) -> None:
    assert mci_on(day).tenge == tenge and mci_on(day).current


def test_a_date_past_the_table_uses_the_newest_mci_and_says_so() -> None:
    value = mci_on(date(2031, 1, 1))
    assert value.tenge == 4325 and not value.current
    assert "no MCI for 2031 is on record" in estimate(ARTICLE_339, date(2031, 1, 1)).describe()
    with pytest.raises(UnknownMci):
        mci_on(date(2019, 12, 31))


def test_article_339_estimate_in_mci_and_tenge() -> None:
    penalty = estimate(ARTICLE_339, date(2026, 3, 10))
    assert (penalty.min_mci, penalty.max_mci) == (0, 3000)
    assert (penalty.min_kzt, penalty.max_kzt) == (0, 12_975_000)
    text = penalty.describe()
    assert "Article 339" in text and "3,000 MCI" in text and "12,975,000 KZT" in text and "4,325 KZT" in text
    assert "800 hours" in text and "3 years of imprisonment" in text


def test_the_tortoise_ban_forbids_use_from_2026_to_2040_and_names_its_basis() -> None:
    assert rules_for(RULES, TORTOISE, date(2025, 12, 31)) == []
    assert rules_for(RULES, TORTOISE, date(2040, 12, 31)) == [BAN]
    assert rules_for(RULES, TORTOISE, date(2041, 1, 1)) == []
    [violation] = banned_operation(RULES, TORTOISE, "commission", date(2026, 3, 10), "urn:kiik:x:1")
    assert violation.rule == "species.banned"
    assert "Total ban" in violation.message and "Article 339" in violation.message
    assert "12,975,000 KZT" in violation.message and violation.identifier == "urn:kiik:x:1"
    for operation in ("ship", "receive", "transform", "pack", "trade", "export"):
        assert banned_operation(RULES, TORTOISE, operation, date(2027, 1, 1), None)
    for operation in ("observe", "seize", "destroy"):
        assert not banned_operation(RULES, TORTOISE, operation, date(2027, 1, 1), None)


def test_saiga_is_not_banned_but_its_export_needs_quota() -> None:
    assert not banned_operation(RULES, SAIGA, "commission", date(2026, 9, 1), None)
    [rule] = rules_for(RULES, SAIGA, date(2026, 9, 1))
    assert rule.kind is RuleKind.EXPORT_UNDER_QUOTA and rule.forbidden == ("export",)


def test_a_withdrawn_rule_is_not_in_force() -> None:
    withdrawn = SpeciesRule(
        TORTOISE, RuleKind.TOTAL_BAN, "ban", date(2026, 1, 1), None, "basis", withdrawn=True
    )
    assert not withdrawn.in_force(date(2027, 1, 1))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Taxon("Saiga"), "not a binomial"),
        (lambda: Taxon("Saiga tatarica", cites_appendix="IV"), "appendix"),
        (
            lambda: SpeciesRule(SAIGA, RuleKind.TOTAL_BAN, "x", date(2027, 1, 1), date(2026, 1, 1), "b"),
            "ends",
        ),
        (lambda: SpeciesRule(SAIGA, RuleKind.TOTAL_BAN, "x", date(2026, 1, 1), None, " "), "legal basis"),
        (
            lambda: SpeciesRule(SAIGA, RuleKind.TOTAL_BAN, "x", date(2026, 1, 1), None, "b", ("fly",)),
            "unknown",
        ),
    ],
)
def test_register_entries_that_make_no_sense_are_refused(make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RegisterError, match=message):
        make()
