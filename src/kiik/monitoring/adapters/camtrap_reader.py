"""Reading a Camtrap DP package: validated whole, then its rows streamed as written.

Validation has two parts, and a package is refused with every problem of both:

1. the descriptor (`datapackage.json`) against the official Camtrap DP profile, with jsonschema
   and local copies (`camtrap_dp/`): the profile's own `$ref`s to the Frictionless Data Package
   schema and to GeoJSON are served by frictionless's Data Package profile and its GeoJSON schema,
   so that no check reaches the network;
2. the data with frictionless against the official table schemas (types, required fields, enums,
   bounds, patterns, unique and primary keys, foreign keys between the tables), and kiik's own
   resources (`camtrap_extensions`) against theirs.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from kiik.errors import N_, Wording, at
from kiik.monitoring.adapters import camtrap_extensions
from kiik.monitoring.adapters.camtrap_problems import DESCRIPTOR, profile_worded, record_of, worded
from kiik.monitoring.domain.errors import PackageInvalid

SCHEMAS = Path(__file__).parent / "camtrap_dp"
TABLES = ("deployments", "media", "observations")
# The official schema and profile addresses of Camtrap DP 1.0 (any 1.0.x release).
OFFICIAL = re.compile(
    r"^https://raw\.githubusercontent\.com/tdwg/camtrap-dp/1\.0(?:\.\d+)?/(?P<file>[a-z-]+\.json)$"
)
PROFILE_URL = "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0.2/camtrap-dp-profile.json"
MAX_PROBLEMS = 200
# Tables larger than this are checked in a worker process while the import stores them.
BACKGROUND_BYTES = 16 * 1024 * 1024


@cache
def table_fields(table: str) -> list[str]:
    """The official field names of a Camtrap DP table, in order."""
    return [f["name"] for f in json.loads((SCHEMAS / f"{table}-table-schema.json").read_text())["fields"]]


class CamtrapPackageFiles:
    """A package on disk whose descriptor is valid: its descriptor, and each table's rows as dicts
    of text. Its rows are valid too, unless their check still runs in a worker (`checking`): then
    `confirm` waits for it and raises PackageInvalid with what it found."""

    def __init__(
        self, folder: Path, descriptor: dict[str, Any], checking: subprocess.Popen[str] | None = None
    ) -> None:
        self.folder = folder
        self.descriptor = descriptor
        self._paths = {r["name"]: r["path"] for r in descriptor["resources"] if "path" in r and "name" in r}
        self._checking = checking

    def confirm(self) -> None:
        """Return once every row is known to be valid; PackageInvalid listing the problems otherwise."""
        if self._checking is None:
            return
        out, err = self._checking.communicate()
        failed, self._checking = self._checking.returncode, None
        if failed:
            raise RuntimeError(f"the Camtrap DP check worker failed ({failed}): {err.strip()[-500:]}")
        problems = json.loads(out)
        if problems:
            raise PackageInvalid([worded(record) for record in problems])

    def abandon(self) -> None:
        """Stop a check still running (the import was refused for another reason)."""
        if self._checking is not None:
            self._checking.kill()
            self._checking.communicate()
            self._checking = None

    def has(self, resource: str) -> bool:
        return resource in self._paths

    def fields(self, table: str) -> list[str]:
        return table_fields(table)

    def rows(self, resource: str) -> Iterator[dict[str, str]]:
        """The rows as written (blank cells as ''), header names as keys."""
        if resource not in self._paths:
            return
        with open(self.folder / self._paths[resource], newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            for values in reader:
                yield dict(zip(header, values, strict=False))


def read_package(folder: Path, *, background: bool | None = None) -> CamtrapPackageFiles:
    """The package in `folder` once it validates; PackageInvalid listing every problem otherwise.

    With `background` (by default: tables of more than BACKGROUND_BYTES, and a second core), the
    rows are checked in a worker process while the caller goes on (it must `confirm` the package
    before it commits anything read from it)."""
    descriptor_path = folder / "datapackage.json"
    if not descriptor_path.is_file():
        raise PackageInvalid(
            [at(N_("missing (a Camtrap DP package is a folder or zip holding it)"), table=DESCRIPTOR)]
        )
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageInvalid([at(N_("not JSON (%(reason)s)", reason=str(exc)), table=DESCRIPTOR)]) from None
    if not isinstance(descriptor, dict):
        raise PackageInvalid([at(N_("must hold a JSON object"), table=DESCRIPTOR)])
    problems = profile_problems(descriptor)
    problems += _resource_problems(descriptor, folder)
    if problems:
        raise PackageInvalid(problems[:MAX_PROBLEMS])
    if background is None:
        background = _table_bytes(descriptor, folder) > BACKGROUND_BYTES and (os.cpu_count() or 1) > 1
    if background:
        worker = [sys.executable, "-m", "kiik.monitoring.adapters.camtrap_check", str(folder)]
        checking = subprocess.Popen(worker, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return CamtrapPackageFiles(folder, descriptor, checking)
    problems = [worded(record) for record in data_problems(descriptor, folder)]
    if problems:
        raise PackageInvalid(problems[:MAX_PROBLEMS])
    return CamtrapPackageFiles(folder, descriptor)


def _table_bytes(descriptor: dict[str, Any], folder: Path) -> int:
    paths = [r["path"] for r in descriptor.get("resources", []) if isinstance(r.get("path"), str)]
    return sum((folder / p).stat().st_size for p in paths)


def profile_problems(descriptor: dict[str, Any]) -> list[Wording]:
    """The descriptor checked against the official Camtrap DP profile, offline."""
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    registry = Registry(retrieve=_retrieve)
    profile = json.loads((SCHEMAS / "camtrap-dp-profile.json").read_text())
    validator = Draft4Validator(
        profile, registry=registry.with_resource(PROFILE_URL, Resource(profile, DRAFT4))
    )
    errors = sorted(validator.iter_errors(descriptor), key=lambda e: [str(p) for p in e.path])
    return [profile_worded(error) for error in errors]


def _retrieve(uri: str) -> Any:
    from referencing import Resource
    from referencing.jsonschema import DRAFT4

    if uri.startswith("https://specs.frictionlessdata.io/schemas/data-package.json"):
        from frictionless import Package

        return Resource(Package.metadata_profile, DRAFT4)
    if "geojson" in uri:
        import frictionless

        path = Path(frictionless.__file__).parent / "assets" / "profiles" / "geojson.json"
        return Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT4)
    raise LookupError(f"kiik validates Camtrap DP offline and has no copy of {uri}")


def _resource_problems(descriptor: dict[str, Any], folder: Path) -> list[Wording]:
    found = []
    resources = [r for r in descriptor.get("resources", []) if isinstance(r, dict)]
    for resource in resources:
        name, path = resource.get("name"), resource.get("path")
        if name in TABLES and not OFFICIAL.match(str(resource.get("schema", ""))):
            found.append(
                at(N_("its schema must be the official Camtrap DP 1.0 table schema URL"), table=str(name))
            )
        if isinstance(path, str) and "path" in resource:
            target = (folder / path).resolve()
            if folder.resolve() not in target.parents or not target.is_file():
                found.append(
                    at(N_("its file %(path)s is not in the package", path=repr(path)), table=str(name))
                )
    return found


def data_problems(descriptor: dict[str, Any], folder: Path) -> list[dict[str, Any]]:
    """Every row of every table checked by frictionless against its table schema: each error found
    as a record of plain values (`camtrap_problems.record_of`, JSON for the worker)."""
    from frictionless import Package, system

    local = _localised(descriptor)
    found: list[dict[str, Any]] = []
    with system.use_context(trusted=True):
        try:
            report = Package(local, basepath=str(folder)).validate(limit_errors=MAX_PROBLEMS)
        except Exception as exc:  # frictionless raises its own exception for a descriptor it cannot use
            return [{"type": "package-error", "table": DESCRIPTOR, "note": str(exc)}]
    for task in report.tasks:
        found += [record_of(task.name, error) for error in task.errors]
    found += [record_of(DESCRIPTOR, error) for error in report.errors]
    return found


def _localised(descriptor: dict[str, Any]) -> dict[str, Any]:
    """The descriptor with the official schema URLs read from the local copies (and kiik's own
    resources from their schemas); the profile was checked already, offline."""
    local = {k: v for k, v in descriptor.items() if k not in ("profile", "$schema")}
    resources = []
    for resource in descriptor.get("resources", []):
        copy = dict(resource)
        match = OFFICIAL.match(str(copy.get("schema", "")))
        if match:
            copy["schema"] = json.loads((SCHEMAS / match.group("file")).read_text())
        elif copy.get("name") in camtrap_extensions.SCHEMAS:
            copy["schema"] = camtrap_extensions.SCHEMAS[copy["name"]]
            copy["profile"] = "tabular-data-resource"
        resources.append(copy)
    local["resources"] = resources
    return local
