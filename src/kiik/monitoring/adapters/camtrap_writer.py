"""Writing a Camtrap DP package to a folder (and a zip of it), for `export_package`."""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kiik.monitoring.adapters import camtrap_extensions
from kiik.monitoring.adapters.camtrap_reader import table_fields


class FolderWriter:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def write_table(self, table: str, rows: Iterable[list[str]]) -> int:
        return self._write(f"{table}.csv", table_fields(table), rows)

    def write_dicts(self, table: str, records: Iterable[dict[str, Any]]) -> int:
        """A Camtrap DP table from dicts keyed by field name (fields left out are blank)."""
        names = table_fields(table)
        return self._write(f"{table}.csv", names, ([_cell(r.get(n)) for n in names] for r in records))

    def write_records(self, resource: str, records: Iterable[dict[str, str]]) -> int:
        names = camtrap_extensions.field_names(resource)
        return self._write(f"{resource}.csv", names, ([r.get(n, "") for n in names] for r in records))

    def _write(self, name: str, header: list[str], rows: Iterable[list[str]]) -> int:
        written = 0
        with open(self.folder / name, "w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle, lineterminator="\n")
            out.writerow(header)
            for row in rows:
                out.writerow(row)
                written += 1
        return written

    def finish(self, descriptor: dict[str, Any]) -> None:
        resources = []
        for resource in descriptor.get("resources", []):
            if resource.get("name") in camtrap_extensions.SCHEMAS:
                resource = {**resource, "schema": camtrap_extensions.SCHEMAS[resource["name"]]}
            resources.append(resource)
        text = json.dumps({**descriptor, "resources": resources}, indent=2, ensure_ascii=False)
        (self.folder / "datapackage.json").write_text(text + "\n", encoding="utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def zip_folder(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return target


def unzip_package(archive: Path, folder: Path) -> Path:
    """The folder holding datapackage.json once the zip is unpacked (at its top or in one folder)."""
    with zipfile.ZipFile(archive) as opened:
        for member in opened.infolist():
            target = (folder / member.filename).resolve()
            if folder.resolve() not in target.parents and target != folder.resolve():
                raise ValueError(f"the zip's member {member.filename!r} points outside the package")
        opened.extractall(folder)
    if (folder / "datapackage.json").is_file():
        return folder
    found = sorted(folder.glob("*/datapackage.json"))
    return found[0].parent if found else folder
