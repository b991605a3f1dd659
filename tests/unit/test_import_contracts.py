"""The layering of pyproject.toml's import contracts holds, and breaking any of them fails the suite.

`make lint` runs import-linter on the tree as it is; here each contract is broken on purpose in a
copy of the package, to show that the check would catch it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# contract id -> (module file under src/kiik, the import that breaks it)
BREAKS = {
    "capabilities": ("custody/services/stock.py", "from kiik.permits.services import queries"),
    "rules-are-plain-python": ("species/domain/quotas.py", "import sqlalchemy"),
    "services-use-ports": ("harvest/services/authorisations.py", "from kiik.harvest.adapters import store"),
    "entry-points-apart": ("api/item_routes.py", "from kiik.web import pages"),
    "cli-apart": ("cli/stock_commands.py", "from kiik.api import stock_routes"),
}


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _copy(tmp_path: Path) -> Path:
    tree = tmp_path / "kiik-copy"
    skip = shutil.ignore_patterns("__pycache__", "fonts", "schemas")
    shutil.copytree(ROOT / "src" / "kiik", tree / "src" / "kiik", ignore=skip)
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_every_contract_is_kept_and_each_broken_one_is_named(tmp_path: Path) -> None:
    tree = _copy(tmp_path)
    kept = _lint(tree)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert f"Contracts: {len(BREAKS)} kept, 0 broken." in kept.stdout

    for module, line in BREAKS.values():
        path = tree / "src" / "kiik" / module
        path.write_text(path.read_text() + f"\n{line}\n")
    broken = _lint(tree)
    assert broken.returncode != 0
    assert f"Contracts: 0 kept, {len(BREAKS)} broken." in broken.stdout, broken.stdout
    for module, line in BREAKS.values():
        importer = "kiik." + module.removesuffix(".py").replace("/", ".")
        assert importer in broken.stdout, f"{importer} ({line}) is not reported"


def test_the_architecture_picture_is_the_layers_contract() -> None:
    """docs/architecture.md draws the `capabilities` contract; it must say what the contract checks."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    [layers] = [c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "capabilities"]
    document = (ROOT / "docs" / "architecture.md").read_text()
    block = document.split("## Who may import whom", 1)[1].split("```", 2)[1].strip().splitlines()
    assert block == layers
