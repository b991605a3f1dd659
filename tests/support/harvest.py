"""A harvest authorisation for tests that commission saiga horns, and the ILMD that falls inside it.

Since the harvest rule, a saiga horn enters the registry only under a harvest authorisation; tests
that only need *some* legal harvest add `**authorised_origin(registry, world)` to their ILMD.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from kiik.bootstrap.registry import Registry
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.harvest.domain.authorisations import SAIGA
from kiik.harvest.services.authorisations import AuthoriseHarvest, authorise_harvest

# Inside the shipped approximate range of the Ural population (kiik/data/saiga_populations.geojson).
URAL_POINT = "50.95,51.35"


def ministry(world: dict[str, Any]) -> Principal:
    member = world["ministry"]
    return Principal(member.org_id, member.code, "Ministry", OrgKind.MINISTRY, Role.ADMIN)


def authorise(
    registry: Registry,
    world: dict[str, Any],
    *,
    around: date = date(2025, 9, 12),
    animals: int = 500,
    harvester: str = "harvester",
    area: Any = None,
) -> str:
    """A new authorisation (Ural population, the shipped range unless `area`) for a window around a day."""
    command = AuthoriseHarvest(
        harvester, "Ural", around - timedelta(days=60), around + timedelta(days=60), animals, area=area
    )
    return authorise_harvest(registry.uow(), ministry(world), command).authorisation.identifier


def authorised_origin(registry: Registry, world: dict[str, Any], **terms: Any) -> dict[str, Any]:
    """ILMD fields placing a male saiga harvest inside a new authorisation of the world's harvester."""
    return {
        "species": SAIGA,
        "population": "Ural",
        "sex": "male",
        "harvestPoint": URAL_POINT,
        "harvestAuthorisation": authorise(registry, world, **terms),
    }
