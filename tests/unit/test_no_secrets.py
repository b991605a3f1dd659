"""The repository holds no secret: no private signing key (a `.key` file or a key folder beside a
database) is ever tracked; kiik makes keys at `kiik init` and keeps them out of git (.gitignore)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_private_key_is_tracked() -> None:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    tracked = listed.stdout.splitlines()
    assert tracked, "the tests run in a git checkout"
    secrets = [name for name in tracked if name.endswith(".key") or ".keys/" in name]
    assert secrets == [], f"private keys are tracked: {secrets}; remove them and rotate the keys"
