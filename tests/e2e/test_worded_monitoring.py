"""The refusals of the directory's newer forms and a permission refusal read in the person's
language, on both databases: an organisation's region, its kind, its PGLN, and a page the person's
role may not read, each refused through a page in Kazakh and in Russian. The expected sentence is
looked up through the catalogs (`PageText`) with its values filled in; the API answers in English."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from kiik.bootstrap.registry import Registry
from kiik.custody.domain.mass_bounds import DESCRIBED
from kiik.directory.services.auth import create_token
from kiik.errors import N_, at
from kiik.monitoring.adapters.camtrap_problems import CONSTRAINTS
from kiik.monitoring.domain.census import SURVEY_PROBLEMS
from tests.e2e.test_worded_refusals import LANGUAGES, Person, api
from tests.integration.test_floor_pages import NEW_HORNS, floor, key_of, processing_form
from tests.support.monitoring import CENSUS_FILE, example_package, scientists, zipped
from tests.support.people import person
from tests.support.season import T0, horn, move
from tests.support.small_passage import write_small_passage
from tests.support.world import make_world

REFUSED = N_(
    "%(role)s of %(organisation)s (%(kind)s) may not %(permission)s; "
    "ask your organisation's administrator for a token with a role that may",
    role="operator",
    organisation="trader",
    kind="trader",
    permission="reconciliation:read",
)
NO_REGION = N_("region: name the region (oblast) the organisation works in")
LONG_REGION = N_("region: at most 80 characters, such as West Kazakhstan or KZ-27")
OWN_KIND = N_(
    "kind: you cannot change the kind of your own organisation (it decides what you may do); "
    "ask the registry's operator"
)


@pytest.fixture
def world(registry: Registry) -> Any:
    made = make_world(registry)
    person(registry, "trader", "trader.clerk")
    person(registry, "ministry", "ministry.admin", role="admin")
    return made


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_permission_refusal_is_read_in_the_persons_language(
    registry: Registry, world: Any, language: str
) -> None:
    clerk = Person(registry, "trader.clerk", language)
    with clerk.client:
        page = clerk.client.get("/partner/reconciliation")
        assert page.status_code == 403
        clerk.reads(page, REFUSED)
        assert "reconciliation:read" in page.text  # the permission's code stays as written
    with api(registry, world["trader"].token) as client:
        answer = client.get("/api/partner/reconciliation")
    assert answer.status_code == 403 and answer.json()["detail"] == str(REFUSED)
    assert answer.json()["detail"].startswith("operator of trader (trader) may not reconciliation:read;")


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_organisations_region_is_refused_in_the_persons_language(
    registry: Registry, world: Any, language: str
) -> None:
    admin = Person(registry, "ministry.admin", language)
    with admin.client:
        empty = admin.post("/organisations/trader/region", {"region": "   "})
        assert empty.status_code == 400 and 'id="region-trader-error"' in empty.text
        admin.reads(empty, NO_REGION)
        long = admin.post("/organisations/trader/region", {"region": "x" * 81})
        assert long.status_code == 400
        admin.reads(long, LONG_REGION)
        assert admin.client.get("/organisations").text.count("x" * 81) == 0  # nothing set
    with api(registry, create_token(registry.uow(), "ministry", "admin").token) as client:
        answer = client.put("/api/enforcement/regions/trader", json={"region": "   "})
        unknown = client.put("/api/enforcement/regions/nowhere", json={"region": "West Kazakhstan"})
    with api(registry, world["ministry"].token) as client:
        operator = client.put("/api/enforcement/regions/trader", json={"region": "West Kazakhstan"})
    assert operator.status_code == 403 and operator.json()["detail"].startswith(
        "operator of ministry (ministry) may not organisations:manage; ask your organisation's"
    )
    assert answer.status_code == 400 and answer.json()["detail"] == str(NO_REGION)
    assert answer.json()["detail"] == "region: name the region (oblast) the organisation works in"
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "no organisation 'nowhere': check its code (`kiik org list`)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_organisations_change_is_refused_in_the_persons_language(
    registry: Registry, world: Any, language: str
) -> None:
    admin = Person(registry, "ministry.admin", language)
    ministry = {
        "name": "Committee of Forestry and Wildlife",
        "pgln": "urn:epc:id:pgln:4870001.00000",
        "country": "KZ",
    }
    with admin.client:
        own = admin.post("/organisations/ministry", {**ministry, "kind": "trader"})
        assert own.status_code == 400 and 'id="kind-error"' in own.text
        admin.reads(own, OWN_KIND)
        taken = admin.post(
            "/organisations/trader",
            {
                "name": "Saiga Export LLP",
                "kind": "trader",
                "pgln": "urn:epc:id:pgln:4870001.00000",
                "country": "KZ",
            },
        )
        assert taken.status_code == 400 and 'id="pgln-error"' in taken.text
        admin.reads(
            taken,
            N_(
                "the PGLN %(pgln)s belongs to another organisation already",
                pgln="urn:epc:id:pgln:4870001.00000",
            ),
        )
        assert "ministry" in admin.client.get("/organisations/ministry").text


def with_cell(text: str, row_number: int, column: str, value: str) -> str:
    """A CSV text with one cell of a row (numbered as the checks count, header 1) changed."""
    lines = text.splitlines()
    header, row = lines[0].split(","), lines[row_number - 1].split(",")
    row[header.index(column)] = value
    lines[row_number - 1] = ",".join(row)
    return "\n".join(lines) + "\n"


def census_with(row_number: int, column: str, value: str) -> bytes:
    """The shared census file with one cell changed."""
    return with_cell(CENSUS_FILE.read_text(), row_number, column, value).encode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_census_surveys_own_checks_are_read_in_the_persons_language(
    registry: Registry, language: str
) -> None:
    _, token = scientists(registry)
    person(registry, "zoology", "scientist.one")
    no_method = census_with(4, "season", "")
    bigger = census_with(4, "total", "1318001")
    scientist = Person(registry, "scientist.one", language)
    method = SURVEY_PROBLEMS["method"].filled(year=2022, population="Kazakhstan")
    with scientist.client:
        preview = scientist.send("/monitoring/census/preview", no_method, "text/csv")
        assert preview.status_code == 400 and ">4</td>" in preview.text and ">total</td>" in preview.text
        scientist.reads(preview, method)
        assert scientist.send("/monitoring/census", CENSUS_FILE.read_bytes(), "text/csv").status_code == 200
        again = scientist.send("/monitoring/census", bigger, "text/csv")
        assert again.status_code == 400
        recorded = N_(
            "the %(year)s census of %(population)s is recorded already with an estimate of "
            "%(estimate)s (%(method)s); a survey is recorded once: a different figure is a "
            "different survey year or population",
            year=2022,
            population="Kazakhstan",
            estimate=1318000,
            method="spring aerial",
        )
        scientist.reads(again, recorded)
    with api(registry, token) as client:
        answer = client.post(
            "/api/monitoring/census/import", content=no_method, headers={"Content-Type": "text/csv"}
        )
        twice = client.post(
            "/api/monitoring/census/import", content=bigger, headers={"Content-Type": "text/csv"}
        )
    assert answer.status_code == 400 and str(at(method, row=4, column="total")) in answer.text
    assert (
        "row 4, total: the 2022 census of Kazakhstan: say which method counted the animals "
        "(e.g. 'spring aerial')" in answer.json()["detail"]
    )
    assert twice.status_code == 400 and twice.json()["detail"] == str(recorded)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_implausible_mass_is_read_in_the_persons_language(registry: Registry, language: str) -> None:
    world = floor(registry)
    move(registry, world["warehouse"], world["plant"], [horn(n) for n in NEW_HORNS], T0 + timedelta(days=22))
    operator = Person(registry, "plant.op", language)
    bound = DESCRIBED[(False, False)].filled(product="powder", least="0.001", most="1000")
    expected = N_(
        "%(kg)s kg is not plausible: %(bound)s (the ministry's bounds); check the value and "
        "its unit (KGM or GRM), or ask the ministry to change the bound (`kiik stock bounds`)",
        kg="0.0001",
        bound=bound,
    )
    with operator.client:
        key = key_of(operator.client.get("/floor/processing").text)
        page = operator.post("/floor/processing", processing_form(operator.csrf, key, "0.0001"))
        assert page.status_code == 400 and 'id="output-0-mass-error"' in page.text
        operator.reads(page, expected)
        assert str(operator.text.explain(bound)) in page.text  # the bound is translated inside it
    assert str(expected).startswith(
        "0.0001 kg is not plausible: a lot of powder weighs from 0.001 to 1000 kg"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_camera_trap_package_imported_twice_is_refused_in_the_persons_language(
    registry: Registry, tmp_path: Path, language: str
) -> None:
    _, token = scientists(registry)
    person(registry, "zoology", "scientist.one")
    package = zipped(write_small_passage(tmp_path / "good"))
    scientist = Person(registry, "scientist.one", language)
    twice = N_(
        "the package %(key)s is imported already: export it, or give the new one its own id",
        key="'small-passage'",
    )
    with scientist.client:
        assert scientist.send("/monitoring/camera-traps", package, "application/zip").status_code == 201
        again = scientist.send("/monitoring/camera-traps", package, "application/zip")
        assert again.status_code == 400
        scientist.reads(again, twice)
    with api(registry, token) as client:
        answer = client.post(
            "/api/monitoring/camtrap-packages", content=package, headers={"Content-Type": "application/zip"}
        )
    assert answer.status_code == 400 and str(twice) in answer.text


def broken(folder: Path, table: str, row_number: int, column: str, value: str) -> Path:
    """A package with one cell of a table changed."""
    path = folder / f"{table}.csv"
    path.write_text(with_cell(path.read_text(), row_number, column, value))
    return folder


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_camera_trap_packages_validation_problems_are_read_in_the_persons_language(
    registry: Registry, tmp_path: Path, language: str
) -> None:
    _, token = scientists(registry)
    person(registry, "zoology", "scientist.one")
    folder = broken(example_package(tmp_path / "bad"), "observations", 2, "observationType", "dinosaur")
    package = zipped(broken(folder, "deployments", 2, "latitude", "95"))
    kinds = "animal, human, vehicle, blank, unknown, unclassified"
    not_a_kind = CONSTRAINTS["enum"].filled(value="'dinosaur'", allowed=kinds)
    too_far_north = CONSTRAINTS["maximum"].filled(value="'95'", limit="90")
    scientist = Person(registry, "scientist.one", language)
    with scientist.client:
        preview = scientist.send("/monitoring/camera-traps/preview", package, "application/zip")
        assert preview.status_code == 400
        scientist.reads(preview, not_a_kind)
        scientist.reads(preview, too_far_north)
        for shown in (">observations</td>", ">observationType</td>", ">deployments</td>", ">latitude</td>"):
            assert shown in preview.text  # the table, row and field in columns of their own
        assert "constraint-error" not in preview.text and "constraint &#34;enum&#34;" not in preview.text
    with api(registry, token) as client:
        answer = client.post(
            "/api/monitoring/camtrap-packages", content=package, headers={"Content-Type": "application/zip"}
        )
    assert answer.status_code in (400, 422)
    assert f"observations, row 2, field observationType: {not_a_kind}" in answer.json()["problems"]
    assert "deployments, row 2, field latitude: '95' is above the maximum 90" in answer.json()["problems"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_camera_trap_packages_own_row_checks_are_read_in_the_persons_language(
    registry: Registry, tmp_path: Path, language: str
) -> None:
    _, token = scientists(registry)
    person(registry, "zoology", "scientist.one")
    start = "2020-05-30T04:57:37+02:00"
    package = zipped(broken(example_package(tmp_path / "bad"), "deployments", 2, "deploymentEnd", start))
    backwards = N_(
        "deployment %(deployment)s: deploymentEnd is not after deploymentStart", deployment="00a2c20d"
    )
    scientist = Person(registry, "scientist.one", language)
    with scientist.client:
        page = scientist.send("/monitoring/camera-traps", package, "application/zip")
        assert page.status_code == 400
        scientist.reads(page, backwards)
        assert (
            ">deployments</td>" in page.text and ">2</td>" in page.text and ">deploymentEnd</td>" in page.text
        )
    with api(registry, token) as client:
        answer = client.post(
            "/api/monitoring/camtrap-packages", content=package, headers={"Content-Type": "application/zip"}
        )
    assert answer.status_code == 400
    assert (
        "deployments, row 2, field deploymentEnd: deployment 00a2c20d: deploymentEnd is not after "
        "deploymentStart" in answer.json()["detail"]
    )
