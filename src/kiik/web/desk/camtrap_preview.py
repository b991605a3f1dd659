"""What a scientist checks in a Camtrap DP package before importing it: every deployment with its
location and dates, and the observations a page at a time (species, count, when, which deployment),
read from the package's tables as written."""

from __future__ import annotations

from typing import Any

OBSERVATIONS_PER_PAGE = 25
MOST_DEPLOYMENTS = 200  # a package with more is still checked whole; the preview names the first ones


def _page_number(text: str | None) -> int:
    try:
        return max(1, int(text or "1"))
    except ValueError:
        return 1


def preview_of(source: Any, page: str | None) -> dict[str, Any]:
    """The deployments (the first MOST_DEPLOYMENTS) and one page of observations, with the pages' count."""
    deployments = []
    for n, row in enumerate(source.rows("deployments")):
        if n == MOST_DEPLOYMENTS:
            break
        deployments.append(
            {
                "id": row.get("deploymentID", ""),
                "location": row.get("locationName") or row.get("locationID", ""),
                "latitude": row.get("latitude", ""),
                "longitude": row.get("longitude", ""),
                "start": row.get("deploymentStart", ""),
                "end": row.get("deploymentEnd", ""),
            }
        )
    number = _page_number(page)
    observations, total = _observations(source, number)
    pages = max(1, -(-total // OBSERVATIONS_PER_PAGE))
    if number > pages:  # past the end (an old link): the last page
        number = pages
        observations, total = _observations(source, number)
    first = (number - 1) * OBSERVATIONS_PER_PAGE
    return {
        "deployments": deployments,
        "observations": observations,
        "page": number,
        "pages": pages,
        "first": first + 1 if observations else 0,
        "last": first + len(observations),
        "total": total,
    }


def _observations(source: Any, number: int) -> tuple[list[dict[str, str]], int]:
    """Page `number` of the observations, and how many there are."""
    first = (number - 1) * OBSERVATIONS_PER_PAGE
    observations, total = [], 0
    for total, row in enumerate(source.rows("observations"), start=1):
        if first < total <= first + OBSERVATIONS_PER_PAGE:
            observations.append(
                {
                    "id": row.get("observationID", ""),
                    "deployment": row.get("deploymentID", ""),
                    "at": row.get("eventStart", ""),
                    "kind": row.get("observationType", ""),
                    "species": row.get("scientificName", ""),
                    "count": row.get("count", ""),
                }
            )
    return observations, total
