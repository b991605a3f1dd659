"""Dependencies are installed from locks only: Python's from requirements.lock with every hash
checked, npm's from package-lock.json (`npm ci`); the locks must say what pyproject.toml and
package.json ask for, so that a pin changed in one place and not the other fails here."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)$")


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text.split("[")[0]).lower()


def _locked() -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) of every entry of requirements.lock."""
    entries: dict[str, tuple[str, int]] = {}
    current = None
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        found = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line)
        if found:
            current = _name(found.group(1))
            entries[current] = (found.group(2), 0)
        elif current and "--hash=sha256:" in line:
            version, hashes = entries[current]
            entries[current] = (version, hashes + 1)
    return entries


def test_every_requirement_is_pinned_and_locked_at_that_version_with_hashes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = [*project["project"]["dependencies"], *project["project"]["optional-dependencies"]["dev"]]
    locked = _locked()
    assert len(locked) > len(wanted)
    for requirement in wanted:
        pinned = PIN.match(requirement)
        assert pinned, f"{requirement}: pin it with == in pyproject.toml"
        name, version = _name(pinned.group(1)), pinned.group(2)
        assert name in locked, f"{name} is not in requirements.lock: run `make lock`"
        found = locked[name][0]
        assert found == version, f"{name}: pyproject.toml pins {version}, the lock {found}"
    for name, (_, hashes) in locked.items():
        assert hashes > 0, f"{name} has no hash in requirements.lock"
    [backend] = project["build-system"]["requires"]
    name, version = backend.split("==")
    assert locked[_name(name)][0] == version, "the build backend must be the locked one (no build isolation)"


def test_installs_go_through_the_locks_only() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes --no-deps -r requirements.lock" in makefile
    assert "npm ci" in makefile and "npm install" not in makefile
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    for name, version in package.get("dependencies", {}).items():
        entry = lock["packages"][f"node_modules/{name}"]
        assert entry["version"] == version, f"{name}: package.json {version}, the lock {entry['version']}"
        assert entry.get("integrity", "").startswith("sha"), f"{name}: no integrity hash in package-lock.json"
