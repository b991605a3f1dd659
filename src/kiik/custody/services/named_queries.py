"""Named queries of the EPCIS 2.0 REST binding: a query definition kept under a name by the
organisation that made it, listed and read by that organisation (and by those who see everything),
run within what the asker may read, deleted by its organisation."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from kiik.custody.services.queries import ReadUnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.epcis.services.query_params import MULTI_VALUED, parse_query
from kiik.errors import NotFound, QueryError

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,199}$")


class QueryNameTaken(ValueError):
    """A named query exists already under that name (the binding's 409)."""


def _text(value: Any) -> str:
    """A JSON value as query-string text: booleans as true/false, null as empty (EXISTS_ asks so)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def as_parameters(definition: dict[str, Any]) -> list[tuple[str, str]]:
    """A query definition (JSON: lists or single values) as the parameters of GET /epcis/events."""
    found: list[tuple[str, str]] = []
    for name, value in definition.items():
        values = value if isinstance(value, list) else [value]
        texts = [_text(v) for v in values]
        if name in MULTI_VALUED:
            found.append((name, "|".join(texts)))
        else:
            found += [(name, text) for text in texts]
    return found


def create_query(uow: ReadUnitOfWork, principal: Principal, name: str, definition: dict[str, Any]) -> str:
    """Keep a query under a new name; its parameters are checked as a query's are."""
    require(principal, Permission.EVENTS_READ)
    if not NAME.match(name):
        raise QueryError(
            f"name: {name!r} is not a query name: 1 to 200 letters, digits, '_', '.' or '-', starting "
            "with a letter or digit"
        )
    parse_query(as_parameters(definition))  # refused here, with the parameter named, if it is wrong
    with uow:
        stores: Any = uow
        if not stores.queries.add_named(name, principal.org_id, definition):
            raise QueryNameTaken(f"a query named {name!r} exists already: choose another name")
        stores.commit()
    return name


def _visible(uow: Any, principal: Principal, name: str) -> dict[str, Any]:
    found = uow.queries.named(name)
    if found is None or (found[0] != principal.org_id and not principal.sees_everything):
        raise NotFound(f"no query named {name!r} is visible to you: see GET /epcis/queries")
    return dict(found[1])


def list_queries(uow: ReadUnitOfWork, principal: Principal) -> list[str]:
    require(principal, Permission.EVENTS_READ)
    with uow:
        stores: Any = uow
        return list(stores.queries.named_list(None if principal.sees_everything else principal.org_id))


def read_query(uow: ReadUnitOfWork, principal: Principal, name: str) -> dict[str, Any]:
    require(principal, Permission.EVENTS_READ)
    with uow:
        return _visible(uow, principal, name)


def delete_query(uow: ReadUnitOfWork, principal: Principal, name: str) -> None:
    """Only the organisation that made the query deletes it."""
    require(principal, Permission.EVENTS_READ)
    with uow:
        stores: Any = uow
        found = stores.queries.named(name)
        if found is None or found[0] != principal.org_id:
            raise NotFound(f"no query named {name!r} of yours: see GET /epcis/queries")
        stores.queries.delete_named(name)
        stores.subscriptions.remove_of_query(name)  # its subscriptions end with it
        stores.commit()


def query_parameters(
    uow: ReadUnitOfWork, principal: Principal, name: str, paging: Iterable[tuple[str, str]]
) -> list[tuple[str, str]]:
    """The named query's parameters, with the asker's paging (perPage, nextPageToken) added."""
    definition = read_query(uow, principal, name)
    return [*as_parameters(definition), *((k, v) for k, v in paging if k in ("perPage", "nextPageToken"))]
