"""`python -m kiik.monitoring.adapters.camtrap_check FOLDER`: the frictionless check of a
package's rows, in a process of its own, printing the problems found as a JSON list.

A large package's rows are checked here while the importing process stores them (two cores
instead of one); the import commits only once this reports no problem (`camtrap_reader`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kiik.monitoring.adapters.camtrap_reader import data_problems


def main(folder: str) -> None:
    root = Path(folder)
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    json.dump(data_problems(descriptor, root), sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
