"""The registry's signing keys: made at `kiik init`, rotated on demand, public halves published.

Rotation makes a new key that signs from then on; the previous key is retired, not deleted, so
that everything it signed still verifies. Partner registries fetch GET /api/keys.
"""

from __future__ import annotations

from typing import Any, Protocol

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.directory.services.audit import record


class KeysUnitOfWork(UnitOfWork, Protocol):
    """A unit of work with the registry's signing keys (`keys`)."""

    keys: Any


def ensure_signing_key(uow: KeysUnitOfWork) -> tuple[str, bool]:
    """The current key id; a key is made when there is none (True then). Run at `kiik init` (which
    every upgrade of the database needs): private halves an older registry kept in the database are
    moved to the key folder first, once, rather than looked for at every signature."""
    with uow:
        uow.keys.move_to_disk()
        key_id, made = uow.keys.ensure()
        if made:
            record(uow, None, "signing_key.made", key_id)
        uow.commit()
    return key_id, made


def rotate_signing_key(uow: KeysUnitOfWork, principal: Principal | None) -> tuple[str, str | None]:
    """(new key id, retired key id). `principal` is None for the server operator's CLI."""
    if principal is not None:
        require(principal, Permission.KEYS_MANAGE)
    with uow:
        rotated = uow.keys.rotate()
        record(uow, principal, "signing_key.rotated", rotated[0], retired=rotated[1])
        uow.commit()
    return rotated  # type: ignore[no-any-return]


def published_keys(uow: KeysUnitOfWork) -> dict[str, Any]:
    """Public keys with their ids and validity, as a JWK set; the current key is listed last."""
    with uow:
        keys = [key.to_json() for key in uow.keys.published()]
    return {"keys": keys, "current": next((k["kid"] for k in reversed(keys) if not k["valid_until"]), None)}
