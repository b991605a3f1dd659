"""Cases under Article 339 of the Criminal Code: parts of the article, outcomes, and the penalty
estimate for the year of the offence (always said to be an estimate, with the rule and year used).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiik.enforcement.domain.errors import CaseInvalid, EnforcementError
from kiik.errors import N_
from kiik.species.domain.penalties import PenaltyEstimate, UnknownMci, estimate
from kiik.species.domain.seed import ARTICLE_339

ARTICLE_PARTS = ("1", "2", "3")
OUTCOMES = (
    "under investigation",
    "sent to court",
    "convicted",
    "acquitted",
    "dismissed",
    "plea agreement",
)


@dataclass(frozen=True)
class NewCase:
    number: str
    article_part: str
    offence_on: date
    suspects: int
    suspect_nationalities: tuple[str, ...] = ()
    seizures: tuple[str, ...] = ()  # seizure references
    outcome: str = "under investigation"


def check_case(case: NewCase, today: date) -> None:
    found: list[str] = []
    if not case.number.strip():
        found.append(N_("number: give the case number of the investigating agency"))
    if case.article_part not in ARTICLE_PARTS:
        found.append(
            N_(
                "articlePart: %(part)s is not a part of Article 339 (%(parts)s)",
                part=repr(case.article_part),
                parts=", ".join(ARTICLE_PARTS),
            )
        )
    if case.offence_on > today:
        found.append(N_("offenceOn: %(day)s is in the future", day=case.offence_on))
    if case.suspects < 0:
        found.append(N_("suspects: the number of suspects cannot be negative"))
    if case.outcome not in OUTCOMES:
        found.append(unknown_outcome(case.outcome))
    if found:
        raise CaseInvalid(case.number, found)


def unknown_outcome(outcome: str) -> str:
    return N_(
        "outcome: %(outcome)s is not one of %(outcomes)s", outcome=repr(outcome), outcomes=", ".join(OUTCOMES)
    )


def penalty_estimate(offence_on: date) -> dict[str, object]:
    """The penalty Article 339 threatens for an offence on `offence_on`, as an estimate."""
    try:
        found: PenaltyEstimate = estimate(ARTICLE_339, offence_on)
    except UnknownMci as exc:
        raise EnforcementError(f"no penalty estimate for {offence_on}: {exc}") from exc
    return {
        **found.to_json(),
        "estimate": True,
        "rule": (
            f"{ARTICLE_339.article}: fine up to {ARTICLE_339.max_fine_mci:,} MCI at the MCI of the year of "
            f"the offence ({found.mci.effective_from.year}: {found.mci.tenge:,} KZT)"
        ),
        "year": offence_on.year,
        "notice": (
            "This is an estimate of the maximum the article allows, worked out from the MCI of the year of "
            "the offence; the court decides the penalty."
        ),
    }
