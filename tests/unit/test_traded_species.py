"""The other traded species: product types with units, open seasons, unlisted species, without a database."""

from __future__ import annotations

from datetime import date

import pytest

from kiik.species.domain.products import TradedProduct, product_not_traded
from kiik.species.domain.seed import ARGALI, LIQUORICE, PRODUCTS, RULES, SAIGA, SNOW_LEOPARD, TAXA
from kiik.species.domain.species import RegisterError, RuleKind, out_of_season, unlisted


def test_the_register_lists_the_regions_traded_species_with_their_appendix() -> None:
    appendix = {t.scientific_name: t.cites_appendix for t in TAXA}
    assert appendix[SNOW_LEOPARD] == "I" and appendix[ARGALI] == "II" and appendix[LIQUORICE] == "N"
    assert len(TAXA) == 9 and all(t.name_kk and t.name_ru and t.name_en for t in TAXA)


def test_each_traded_species_has_its_products_and_units() -> None:
    units = {(p.scientific_name, p.product_type): p.unit for p in PRODUCTS}
    assert units[(ARGALI, "hunting_trophy")] == "H87"
    assert units[(LIQUORICE, "root")] == "KGM"
    assert units[(SAIGA, "meat_cuts")] == "KGM"
    assert not any(p.scientific_name == SNOW_LEOPARD for p in PRODUCTS)


def test_a_product_not_listed_for_its_species_is_refused_naming_the_listed_ones() -> None:
    [violation] = product_not_traded(PRODUCTS, LIQUORICE, "hunting_trophy", "lot-1")
    assert violation.rule == "species.product_not_traded" and "use one of root" in violation.message
    assert product_not_traded(PRODUCTS, LIQUORICE, "root", "lot-1") == []
    assert product_not_traded(PRODUCTS, "Testudo horsfieldii", "anything", None) == []


@pytest.mark.parametrize(
    ("product", "message"),
    [
        (lambda: TradedProduct(ARGALI, "trophy", "LBR"), "unit 'LBR'"),
        (lambda: TradedProduct(ARGALI, "Hunting Trophy", "H87"), "lower-case"),
    ],
)
def test_a_product_needs_a_known_unit_and_a_plain_name(product, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RegisterError, match=message):
        product()


def test_argali_may_be_taken_only_in_its_open_season() -> None:
    seasons = [r for r in RULES if r.scientific_name == ARGALI]
    assert seasons and all(r.kind is RuleKind.SEASON and r.forbidden == ("commission",) for r in seasons)
    assert out_of_season(RULES, ARGALI, date(2026, 10, 15), "t") == []
    [violation] = out_of_season(RULES, ARGALI, date(2026, 5, 15), "t")
    assert violation.rule == "species.out_of_season"
    assert "2026-09-01 to 2026-12-31" in violation.message and "2026-05-15" in violation.message
    assert out_of_season(RULES, SAIGA, date(2026, 5, 15), "h") == []  # no seasons: no season rule


def test_an_unlisted_species_is_named_with_what_is_listed() -> None:
    violation = unlisted("Ursus arctos", ["Saiga tatarica"], "x")
    assert violation.rule == "species.unlisted" and "'Ursus arctos'" in violation.message
    assert "Saiga tatarica" in violation.message
