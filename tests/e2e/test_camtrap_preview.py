"""Before importing a Camtrap DP package a scientist reads its deployments (location, coordinates,
dates) and its observations a page at a time (species and counts); nothing is stored by the
preview. On both databases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiik.bootstrap.registry import Registry
from kiik.monitoring.adapters.tables import camtrap_observations
from tests.e2e.test_desk_pages import Desk, client_of, rows
from tests.support.monitoring import scientists, zipped
from tests.support.people import person
from tests.support.small_passage import write_small_passage


def _cells(html: str, table: str, label: str) -> list[str]:
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return re.findall(rf'<td data-label="{label}"[^>]*>(?:<i>)?([^<]*)', body)


def test_the_preview_lists_deployments_and_pages_the_observations(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kiik.web.desk.camtrap_preview.OBSERVATIONS_PER_PAGE", 3)
    scientists(registry)
    person(registry, "zoology", "scientist.one")
    package = zipped(write_small_passage(tmp_path / "good"))
    with client_of(registry) as client:
        scientist = Desk(client, "scientist.one")
        first = scientist.send("/monitoring/camera-traps/preview", package, "application/zip")
        assert first.status_code == 200
        assert _cells(first.text, "camtrap-deployments", "deployment") == ["d1", "d2"]
        assert _cells(first.text, "camtrap-deployments", "location") == ["p1", "p1"]
        assert _cells(first.text, "camtrap-deployments", "from")[0] == "2025-05-01T00:00:00+00:00"
        assert _cells(first.text, "camtrap-deployments", "until")[1] == "2025-05-03T00:00:00+00:00"
        assert _cells(first.text, "camtrap-observations", "observation") == ["o1", "o2", "o3"]
        assert _cells(first.text, "camtrap-observations", "count") == ["2", "5", "1"]
        assert _cells(first.text, "camtrap-observations", "species")[0] == "Gazella subgutturosa"
        assert 'data-preview-page="2"' in first.text and 'data-preview-page="0"' not in first.text
        third = scientist.send("/monitoring/camera-traps/preview?page=3", package, "application/zip")
        observations = _cells(third.text, "camtrap-observations", "observation")
        assert observations and observations[0] == "o7" and 'data-preview-page="2"' in third.text
        beyond = scientist.send("/monitoring/camera-traps/preview?page=99", package, "application/zip")
        assert _cells(beyond.text, "camtrap-observations", "observation") == observations
        assert rows(registry, camtrap_observations) == 0
