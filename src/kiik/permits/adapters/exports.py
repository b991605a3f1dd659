"""What an importing country's authority may read: the items exported to it under permits, and
the items they were made from (the permits' side of `kiik.custody.adapters.visibility`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Select,
    exists,
    literal,
    select,
)

from kiik.custody.adapters.tables import erroneous_events, event_identifiers, events
from kiik.permits.adapters.tables import permit_items, permits

# Permits whose items have left the country: endorsed by customs (used), and confirmed by the
# importing country's registry (closed).
EXPORTED_STATUSES = ("used", "closed")


@lru_cache(maxsize=64)
def exported_keys(country: str) -> Select[Any]:
    """The keys an importing country's authority sees: the items of permits for export to `country`
    that customs endorsed, and, back through valid transformations, the items they were made from
    down to the horns commissioned at harvest. One recursive query; the same object for a country,
    so that a statement that asks it twice (items and events) states it once."""
    name = "exported_to_" + "".join(c for c in country.lower() if c.isalnum())
    reached = (
        select(permit_items.c.item_key.label("key"))
        .join(permits, permits.c.id == permit_items.c.permit_id)
        .where(permits.c.import_country == literal(country), permits.c.status.in_(EXPORTED_STATUSES))
        .cte(name, recursive=True)
    )
    # Aliases: inside a query of events or identifiers, the walk must not be correlated to its rows.
    made, source = event_identifiers.alias(f"{name}_made"), event_identifiers.alias(f"{name}_source")
    making = events.alias(f"{name}_making")
    step = (
        select(source.c.key)
        .select_from(reached)
        .join(made, made.c.key == reached.c.key)
        .join(making, making.c.id == made.c.event_pk)
        .join(source, source.c.event_pk == made.c.event_pk)
        .where(
            made.c.role.in_(("output", "output_class")),
            source.c.role.in_(("input", "input_class")),
            making.c.event_type == "TransformationEvent",
            making.c.declares_error.is_(False),
            ~exists().where(erroneous_events.c.event_pk == making.c.id),
        )
    )
    reached = reached.union(step)
    return select(reached.c.key)
