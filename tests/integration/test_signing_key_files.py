"""The private halves of the signing keys live on disk, readable by their owner only, never in the
database; keys of an older registry are moved out at the next start; `kiik serve` refuses to start
while they are open to others."""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, update

from kiik.bootstrap.migrate import upgrade
from kiik.bootstrap.registry import Registry, build
from kiik.config import Settings
from kiik.ledger.adapters.key_files import KeyFileError
from kiik.ledger.adapters.tables import signing_keys
from kiik.ledger.services.signing_keys import ensure_signing_key, rotate_signing_key


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_private_keys_are_files_of_their_owner_and_not_in_the_database(registry: Registry) -> None:
    key_id, _ = ensure_signing_key(registry.uow())
    new_id, retired = rotate_signing_key(registry.uow(), None)
    assert retired == key_id
    folder = registry.key_files.directory
    assert _mode(folder) == 0o700
    for kid in (key_id, new_id):
        assert _mode(folder / f"{kid}.key") == 0o600
    with registry.engine.connect() as connection:
        assert set(connection.scalars(select(signing_keys.c.private_key))) == {""}
    with registry.uow() as uow:
        signer, signature = uow.keys.sign(b"notice")
        assert signer == new_id and uow.keys.verify(new_id, b"notice", signature)
    (folder / f"{new_id}.key").unlink()
    with registry.uow() as uow, pytest.raises(KeyFileError, match="restore the key folder"):
        uow.keys.sign(b"notice")


def test_a_key_kept_in_the_database_moves_to_disk(registry: Registry) -> None:
    key_id, _ = ensure_signing_key(registry.uow())
    secret = registry.key_files.read(key_id)
    (registry.key_files.directory / f"{key_id}.key").unlink()
    with registry.engine.begin() as connection:  # as a registry made before keys went to disk
        connection.execute(update(signing_keys).values(private_key=base64.b64encode(secret).decode()))
    assert ensure_signing_key(registry.uow()) == (key_id, False)
    assert registry.key_files.read(key_id) == secret
    with registry.engine.connect() as connection:
        assert set(connection.scalars(select(signing_keys.c.private_key))) == {""}


def test_serve_refuses_keys_open_to_others(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kiik.db'}"
    registry = build(Settings(database_url=url))
    upgrade(registry.engine)
    key_id, _ = ensure_signing_key(registry.uow())
    registry.engine.dispose()
    key = tmp_path / "kiik.db.keys" / f"{key_id}.key"
    os.chmod(key, 0o644)
    served = subprocess.run(
        [sys.executable, "-m", "kiik.cli.main", "serve", "--db", url, "--port", "8999"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert served.returncode != 0
    assert "open to others" in served.stderr + served.stdout and "chmod 600" in served.stderr + served.stdout
