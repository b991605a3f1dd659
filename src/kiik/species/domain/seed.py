"""The register's starting content: the two species the registry was built for, their rules and quota.

`kiik init`, `kiik species seed` and the demo load it once; after that the ministry edits the
register (with an audit trail) and this module is not read again. Facts come from the design
brief and the CITES reference files; the wording of the legal bases is the registry's summary.
"""

from __future__ import annotations

from datetime import date

from kiik.species.domain.penalties import PenaltyProvision
from kiik.species.domain.quotas import Quota
from kiik.species.domain.species import RuleKind, SpeciesRule, Taxon

SAIGA = "Saiga tatarica"
TORTOISE = "Testudo horsfieldii"

ARTICLE_339 = PenaltyProvision(
    article="Article 339 of the Criminal Code of the Republic of Kazakhstan",
    max_fine_mci=3000,
    other_sanctions=(
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
)

RULES = (
    SpeciesRule(
        scientific_name=TORTOISE,
        kind=RuleKind.TOTAL_BAN,
        title="Total ban on taking, use and trade",
        valid_from=date(2026, 1, 1),
        valid_until=date(2040, 12, 31),
        legal_basis=(
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
