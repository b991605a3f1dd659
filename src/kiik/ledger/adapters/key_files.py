"""The private halves of the registry's signing keys, kept on disk and not in the database.

A database dump, a backup or a read replica then holds no secret: only the public halves are in
`signing_keys`. Each key is one file, `<key id>.key`, readable by its owner only (0600) in a folder
only its owner may enter (0700); `kiik serve` refuses to start when either is open to others.

Where the folder is (`kiik.bootstrap.registry.key_directory`): `KIIK_KEY_DIR`; else beside a SQLite
database file (`kiik.db.keys/`); else, for PostgreSQL, `~/.kiik/keys/<host>-<port>-<database>`.
Back it up with the database: a key lost leaves what it signed verifiable (the public half stays
published) but nothing more can be signed with it (`kiik keys rotate` makes a new one).
"""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path


class KeyFileError(RuntimeError):
    """A private key that cannot be read, or a key folder open to others; the message says what to do."""


class KeyFiles:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, key_id: str) -> Path:
        if not key_id.replace("-", "").isalnum():
            raise KeyFileError(f"{key_id!r} is not a key id")
        return self.directory / f"{key_id}.key"

    def write(self, key_id: str, private_raw: bytes) -> None:
        """Keep a private key, readable by its owner only; an existing file is never replaced."""
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.directory, 0o700)
        target = self.path(key_id)
        if target.exists():
            if target.read_bytes().strip() == base64.b64encode(private_raw):
                return
            raise KeyFileError(f"{target} exists and holds another key: move it away first")
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(base64.b64encode(private_raw) + b"\n")
            handle.flush()
            os.fsync(handle.fileno())

    def read(self, key_id: str) -> bytes:
        target = self.path(key_id)
        try:
            return base64.b64decode(target.read_bytes().strip())
        except FileNotFoundError:
            raise KeyFileError(
                f"the private half of signing key {key_id} is not in {self.directory}: restore the key "
                "folder from its backup (or set KIIK_KEY_DIR to where it is), or make a new key with "
                "`kiik keys rotate`"
            ) from None

    def open_to_others(self) -> list[str]:
        """What in the key folder others than its owner may read or change (empty when all is closed)."""
        if not self.directory.exists():
            return []
        found = []
        folder_mode = stat.S_IMODE(self.directory.stat().st_mode)
        if folder_mode & 0o077:
            found.append(f"{self.directory} (mode {folder_mode:o}): chmod 700 it")
        for key in sorted(self.directory.glob("*.key")):
            mode = stat.S_IMODE(key.stat().st_mode)
            if mode & 0o077:
                found.append(f"{key} (mode {mode:o}): chmod 600 it")
        return found
