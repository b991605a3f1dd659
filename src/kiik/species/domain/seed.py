"""The register's starting content: saiga and tortoise, the registry's first two species, and the
other species Central Asia trades legally or not (snow leopard, musk deer, saker falcon, argali,
liquorice, juniper, rose hips), with their rules, the product types each trades in, and the quota.

`kiik init`, `kiik species seed` and the demo load it once; after that the ministry edits the
register (with an audit trail) and this module is not read again. Facts come from the design
brief and the CITES reference files; the wording of the legal bases is the registry's summary. The
texts a refusal quotes (the bans' titles and bases, the penalty provisions) are marked `N_` for the
pages' catalogs: a page translates them when a rule still says them.
"""

from __future__ import annotations

from datetime import date

from kiik.errors import N_
from kiik.species.domain.penalties import PenaltyProvision
from kiik.species.domain.products import TradedProduct
from kiik.species.domain.quotas import Quota
from kiik.species.domain.species import RuleKind, SpeciesRule, Taxon

SAIGA = "Saiga tatarica"
TORTOISE = "Testudo horsfieldii"
SNOW_LEOPARD = "Panthera uncia"
MUSK_DEER = "Moschus moschiferus"
SAKER = "Falco cherrug"
ARGALI = "Ovis ammon"
LIQUORICE = "Glycyrrhiza glabra"
JUNIPER = "Juniperus seravschanica"
ROSE_HIP = "Rosa canina"

ARTICLE_339 = PenaltyProvision(
    article=N_("Article 339 of the Criminal Code of the Republic of Kazakhstan"),
    max_fine_mci=3000,
    other_sanctions=N_(
        "or up to 800 hours of community service, or up to 3 years of imprisonment; with confiscation "
        "and up to 5 years' ban on certain activities"
    ),
)

TAXA = (
    Taxon(
        SAIGA,
        name_kk="Киік",
        name_ru="Сайгак",
        name_en="Saiga antelope",
        cites_appendix="II",
        national_status="harvest only under the state's regulated cull; horns are state property",
    ),
    Taxon(
        TORTOISE,
        name_kk="Орта Азия тасбақасы",
        name_ru="Среднеазиатская черепаха",
        name_en="Central Asian tortoise",
        cites_appendix="II",
        national_status="taking from the wild, use and trade banned from January 2026 until 2040",
    ),
    Taxon(
        SNOW_LEOPARD,
        name_kk="Ілбіс",
        name_ru="Снежный барс",
        name_en="Snow leopard",
        cites_appendix="I",
        national_status="Red Book of Kazakhstan: no taking, use or trade",
    ),
    Taxon(
        MUSK_DEER,
        name_kk="Кабарға",
        name_ru="Кабарга",
        name_en="Siberian musk deer",
        cites_appendix="II",
        national_status="musk pods traded only from registered stock, by mass",
    ),
    Taxon(
        SAKER,
        name_kk="Ителгі",
        name_ru="Балобан",
        name_en="Saker falcon",
        cites_appendix="II",
        national_status="Red Book of Kazakhstan: live birds traded only captive-bred, each with its ring",
    ),
    Taxon(
        ARGALI,
        name_kk="Арқар",
        name_ru="Архар",
        name_en="Argali",
        cites_appendix="II",
        national_status=(
            "trophy hunting under a hunting permit in the open season; trophies exported under permit"
        ),
    ),
    Taxon(
        LIQUORICE,
        name_kk="Жалаңаш мия",
        name_ru="Солодка голая",
        name_en="Liquorice",
        cites_appendix="N",
        national_status="root collected by mass from an authorised collection area in the season",
    ),
    Taxon(
        JUNIPER,
        name_kk="Зеравшан аршасы",
        name_ru="Можжевельник зеравшанский",
        name_en="Zeravshan juniper",
        cites_appendix="N",
        national_status="berries collected by mass from an authorised area; no felling",
    ),
    Taxon(
        ROSE_HIP,
        name_kk="Итмұрын",
        name_ru="Шиповник собачий",
        name_en="Dog rose (rose hips)",
        cites_appendix="N",
        national_status="hips collected by mass from an authorised area in the season",
    ),
)

# What each species is traded as, in the unit it is counted in (EPCIS uom codes).
PRODUCTS = (
    *(
        TradedProduct(SAIGA, product, "KGM", "horn derivative, by lot")
        for product in ("pieces", "slices", "shavings", "powder", "granules", "extract")
    ),
    TradedProduct(SAIGA, "whole_horn", "H87", "a marked horn"),
    TradedProduct(SAIGA, "horn_tip", "H87", "a marked horn tip"),
    TradedProduct(SAIGA, "carcass", "H87", "a culled animal delivered to a processing plant"),
    TradedProduct(SAIGA, "meat_cuts", "KGM", "chilled or frozen cuts, in packs"),
    TradedProduct(SAIGA, "minced_meat", "KGM", "mince, in packs"),
    TradedProduct(SAIGA, "canned_meat", "KGM", "canned meat, in tins"),
    TradedProduct(MUSK_DEER, "musk_pod", "GRM", "a musk pod, by mass"),
    TradedProduct(SAKER, "live_bird", "H87", "a captive-bred bird with its closed ring"),
    TradedProduct(ARGALI, "hunting_trophy", "H87", "horns and skull of one ram"),
    TradedProduct(LIQUORICE, "root", "KGM", "dried root"),
    TradedProduct(JUNIPER, "berries", "KGM", "dried berries"),
    TradedProduct(ROSE_HIP, "hips", "KGM", "dried hips"),
)

RED_BOOK = PenaltyProvision(
    article=N_("Article 339 of the Criminal Code of the Republic of Kazakhstan"),
    max_fine_mci=3000,
    other_sanctions=N_("or imprisonment; with confiscation"),
)

RULES = (
    SpeciesRule(
        scientific_name=TORTOISE,
        kind=RuleKind.TOTAL_BAN,
        title=N_("Total ban on taking, use and trade"),
        valid_from=date(2026, 1, 1),
        valid_until=date(2040, 12, 31),
        legal_basis=N_(
            "national ban on taking Testudo horsfieldii from the wild, its use and trade in Kazakhstan, "
            "January 2026 to 2040; violations fall under Article 339 of the Criminal Code"
        ),
        penalty=ARTICLE_339,
    ),
    SpeciesRule(
        scientific_name=SAIGA,
        kind=RuleKind.EXPORT_UNDER_QUOTA,
        title="Commercial export of wild specimens only under a CITES permit within the export quota",
        valid_from=date(2026, 1, 1),
        valid_until=None,
        legal_basis=(
            "CITES Appendix II (Art. IV); CoP20 (Samarkand, 2025): export of saiga horn by Kazakhstan only, "
            "under a quota of 10,000 kg a year for three years; Res. Conf. 14.7 (export quotas) and "
            "Res. Conf. 12.3 (permits)"
        ),
        penalty=ARTICLE_339,
    ),
    SpeciesRule(
        scientific_name=SNOW_LEOPARD,
        kind=RuleKind.TOTAL_BAN,
        title=N_("Red Book species: no taking, use or trade"),
        valid_from=date(2000, 1, 1),
        valid_until=None,
        legal_basis=N_("CITES Appendix I; Red Book of the Republic of Kazakhstan (registry's summary)"),
        penalty=RED_BOOK,
    ),
    SpeciesRule(
        scientific_name=SAKER,
        kind=RuleKind.TOTAL_BAN,
        title=N_("No taking of saker falcons from the wild"),
        valid_from=date(2000, 1, 1),
        valid_until=None,
        legal_basis=N_(
            "Red Book of the Republic of Kazakhstan; only captive-bred, ringed birds are traded "
            "(registry's summary)"
        ),
        operations=("commission",),
        penalty=RED_BOOK,
    ),
    *(
        SpeciesRule(
            scientific_name=ARGALI,
            kind=RuleKind.SEASON,
            title=f"Argali trophy hunting season {year}",
            valid_from=date(year, 9, 1),
            valid_until=date(year, 12, 31),
            legal_basis="hunting rules of the Committee of Forestry and Wildlife (registry's summary)",
        )
        for year in (2025, 2026, 2027)
    ),
    *(
        SpeciesRule(
            scientific_name=LIQUORICE,
            kind=RuleKind.SEASON,
            title=f"Liquorice root collection season {year}",
            valid_from=date(year, 4, 1),
            valid_until=date(year, 10, 31),
            legal_basis="rules for the collection of wild plants (registry's summary)",
        )
        for year in (2025, 2026, 2027)
    ),
)

QUOTAS = (
    Quota(
        scientific_name=SAIGA,
        term=None,
        unit="KGM",
        source="W",
        purpose="T",
        destination=None,
        first_year=2026,
        last_year=2028,
        yearly_cap=10_000.0,
        legal_basis="CITES CoP20 (Samarkand, 2025): Kazakhstan, saiga horn, 10,000 kg a year, 2026-2028",
    ),
)
