"""A scientists' organisation (kind research) beside the test world, and the shared census file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from kiik.bootstrap.registry import Registry
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.directory.services.auth import add_organisation, create_token

CENSUS_FILE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "cites" / "saiga_census_kz.csv"
)
CAMTRAP_EXAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "camtrap-dp"


def scientists(registry: Registry, role: str = "operator") -> tuple[Principal, str]:
    """The Institute of Zoology as a research organisation, and an API token of it."""
    org_id = add_organisation(registry.uow(), "zoology", "Institute of Zoology", OrgKind.RESEARCH.value)
    token = create_token(registry.uow(), "zoology", role).token
    return Principal(org_id, "zoology", "Institute of Zoology", OrgKind.RESEARCH, Role(role)), token


def example_package(target: Path) -> Path:
    """The official Camtrap DP example, copied so that its files can be zipped or changed."""
    target.mkdir(parents=True, exist_ok=True)
    for path in CAMTRAP_EXAMPLE.iterdir():
        if path.is_file() and path.suffix in (".csv", ".json"):
            (target / path.name).write_bytes(path.read_bytes())
    return target


def zipped(folder: Path) -> bytes:
    """A package folder as the zip a client uploads."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path in folder.iterdir():
            archive.write(path, path.name)
    return out.getvalue()
