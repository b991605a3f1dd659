"""The seizure indices' sampling-bias adjustment, tested on synthetic trade whose true volume is known."""

from __future__ import annotations

import random
from datetime import date

from kiik.enforcement.domain.analytics import SeizureFacts, seizure_indices
from kiik.enforcement.domain.seizure import Route

# True illegal transactions per country and year, and how likely each is seized and reported there.
TRUE_VOLUME = {
    ("AA", 2024): 1000,
    ("BB", 2024): 1000,
    ("CC", 2024): 2000,
    ("AA", 2025): 1500,
    ("CC", 2025): 500,
}
RATES = {"AA": 0.5, "BB": 0.1, "CC": 0.25}
KG_EACH = 2.0


def observed_seizures(seed: int = 7) -> list[SeizureFacts]:
    chance = random.Random(seed)
    seen = []
    for (country, year), volume in TRUE_VOLUME.items():
        for n in range(volume):
            if chance.random() < RATES[country]:
                seen.append(
                    SeizureFacts(
                        f"{country}-{year}-{n}",
                        date(year, 6, 1),
                        "Saiga tatarica",
                        country,
                        "x-ray",
                        Route(),
                        (("HOR", KG_EACH, "KGM"),),
                    )
                )
    return seen


def true_index() -> dict[tuple[str, int], float]:
    mean = sum(TRUE_VOLUME.values()) / len(TRUE_VOLUME)
    return {key: volume / mean for key, volume in TRUE_VOLUME.items()}


def test_the_adjusted_indices_recover_the_true_volumes_that_raw_counts_distort() -> None:
    seizures = observed_seizures()
    adjusted = {(r.country, r.year): r for r in seizure_indices(seizures, RATES).rows}
    raw = {(r.country, r.year): r for r in seizure_indices(seizures, {}).rows}
    truth = true_index()
    for key, expected in truth.items():
        assert abs(adjusted[key].transaction_index - expected) / expected < 0.12, key
        assert abs(adjusted[key].weight_index - expected) / expected < 0.12, key
    # raw counts make BB (rarely seized, rarely reported) look like a fifth of AA; it trades as much
    assert raw[("BB", 2024)].transaction_index < 0.3 * raw[("AA", 2024)].transaction_index
    assert 0.85 < adjusted[("BB", 2024)].transaction_index / adjusted[("AA", 2024)].transaction_index < 1.15


def test_countries_without_a_rate_are_named_as_unadjusted() -> None:
    found = seizure_indices(observed_seizures(), {"AA": 0.5})
    assert found.unadjusted == ["BB", "CC"]
    mean = sum(r.transaction_index for r in found.rows) / len(found.rows)
    assert abs(mean - 1.0) < 1e-9
