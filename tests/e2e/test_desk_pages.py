"""The desk's pages through HTTP with a person's session, on both databases: an exporter applies and
the ministry issues; a rejection with its reason; a banned species refused with the reason shown and
nothing recorded; a quota set and its use shown; species rules added and withdrawn; organisations
added with a region; a person disabled can't log in and their sessions end; a census import with a
bad row names the row and column and records nothing; a Camtrap DP package checked and imported."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.epcis.domain import event_builders as build
from kiik.monitoring.adapters.tables import census_surveys
from kiik.permits.adapters.tables import permits
from kiik.permits.services.application import ApplyForPermit, apply_for_permit
from kiik.species.adapters.tables import quotas
from tests.support.access import unlimited
from tests.support.documents import capture
from tests.support.monitoring import CENSUS_FILE, scientists, zipped
from tests.support.people import csrf_of, log_in, person
from tests.support.season import open_register, small_season
from tests.support.small_passage import write_small_passage
from tests.support.world import make_world

TORTOISE = "Testudo horsfieldii"


def rows(registry: Registry, table: Any) -> int:
    with registry.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)


class Desk:
    """A browser-like client logged in as one person; `post` sends a form with the session's token."""

    def __init__(self, client: TestClient, username: str) -> None:
        self.client = client
        assert log_in(client, username).status_code == 303
        self.csrf = csrf_of(client.get("/").text)

    def get(self, url: str) -> Any:
        return self.client.get(url)

    def post(self, url: str, data: dict[str, str] | None = None, **kwargs: Any) -> Any:
        return self.client.post(
            url, data={**(data or {}), "csrf": self.csrf}, follow_redirects=False, **kwargs
        )

    def send(self, url: str, body: bytes, kind: str) -> Any:
        headers = {"X-CSRF-Token": self.csrf, "Content-Type": kind}
        return self.client.post(url, content=body, headers=headers)


@pytest.fixture
def scene(registry: Registry):  # type: ignore[no-untyped-def]
    world = make_world(registry)
    open_register(registry, world, cap=100.0)
    season = small_season(registry, world)
    person(registry, "trader", "exporter.one")
    person(registry, "ministry", "ministry.officer")
    person(registry, "ministry", "ministry.admin", role="admin")
    yield registry, world, season


def client_of(registry: Registry) -> TestClient:
    return TestClient(create_app(unlimited(registry)))


def test_an_exporter_applies_and_the_ministry_issues(scene) -> None:  # type: ignore[no-untyped-def]
    registry, _, season = scene
    lots = list(season.lots)[:2]
    with client_of(registry) as exporter_client, client_of(registry) as ministry_client:
        exporter = Desk(exporter_client, "exporter.one")
        form = exporter.get("/permits/apply")
        assert form.status_code == 200 and 'for="items"' in form.text
        # Errors next to the fields, in words: nothing filed.
        bad = exporter.post("/permits/apply", {"items": "", "importer_name": "", "import_country": "CN"})
        assert (
            bad.status_code == 400
            and 'id="items-error"' in bad.text
            and 'id="importer_name-error"' in bad.text
        )
        wrong = exporter.post(
            "/permits/apply",
            {"items": "\n".join(lots), "importer_name": "Tongrentang", "import_country": "KZ"},
        )
        assert wrong.status_code == 400 and 'id="import_country-error"' in wrong.text
        unknown = exporter.post(
            "/permits/apply",
            {
                "items": "urn:epc:id:sgtin:4870002.000001.99999",
                "importer_name": "Tongrentang",
                "import_country": "CN",
            },
        )
        assert unknown.status_code == 400 and "is not registered: check the code" in unknown.text
        assert rows(registry, permits) == 0
        applied = exporter.post(
            "/permits/apply",
            {
                "items": "\n".join(lots),
                "importer_name": "Tongrentang",
                "import_country": "CN",
                "purpose": "T",
            },
        )
        assert applied.status_code == 303, applied.text
        page = exporter.get(applied.headers["location"])
        assert page.status_code == 200 and "awaiting review" in page.text and "Decision" not in page.text
        permit_id = int(re.search(r"/permits/(\d+)", applied.headers["location"]).group(1))  # type: ignore[union-attr]
        assert f"/permits/{permit_id}" in exporter.get("/permits").text

        ministry = Desk(ministry_client, "ministry.officer")
        queue = ministry.get("/permits?status=applied")
        assert (
            queue.status_code == 200
            and f"/permits/{permit_id}" in queue.text
            and "Saiga Export LLP" in queue.text
        )
        assert f"/permits/{permit_id}" not in ministry.get("/permits?status=issued").text
        assert f"/permits/{permit_id}" in ministry.get("/permits?exporter=trader&species=Saiga+tatarica").text
        review = ministry.get(f"/permits/{permit_id}")
        assert (
            'id="review-ok"' in review.text
            and "Left in" in review.text
            and "export only under a quota" in review.text
        )
        assert exporter.post(f"/permits/{permit_id}/issue").status_code == 403  # an exporter does not decide
        issued = ministry.post(f"/permits/{permit_id}/issue", {"valid_until": "", "note": "ok"})
        assert issued.status_code == 303
        shown = ministry.get(f"/permits/{permit_id}")
        number = re.search(r"KZ/\d{4}/\d{6}", shown.text).group(0)  # type: ignore[union-attr]
        assert f"/api/permits/{number}/pdf" in shown.text and f"/verify/permit/{number}" in shown.text

        mine = exporter.get(f"/permits/{permit_id}")
        assert 'id="permit-status">issued<' in mine.text and number in mine.text
        assert exporter_client.get(f"/api/permits/{number}/pdf").content.startswith(b"%PDF")
        # The quota page shows the reservation.
        assert "3.6" in exporter.get("/quotas").text or "3,6" in exporter.get("/quotas").text

        # Cancel needs a reason; replace gives a new number and voids the old one.
        refused = ministry.post(f"/permits/{permit_id}/cancel", {"reason": ""})
        assert refused.status_code == 400 and 'id="cancel-error"' in refused.text
        replaced = ministry.post(f"/permits/{permit_id}/replace", {"note": "typo in the address"})
        assert replaced.status_code == 303
        new_id = int(re.search(r"/permits/(\d+)", replaced.headers["location"]).group(1))  # type: ignore[union-attr]
        assert "replaced" in ministry.get(f"/permits/{permit_id}").text
        cancelled = ministry.post(f"/permits/{new_id}/cancel", {"reason": "the buyer withdrew"})
        assert cancelled.status_code == 303
        assert "the buyer withdrew" in exporter.get(f"/permits/{new_id}").text


def test_a_rejection_carries_its_reason_to_the_exporter(scene) -> None:  # type: ignore[no-untyped-def]
    registry, _, season = scene
    lots = list(season.lots)[:1]
    with client_of(registry) as exporter_client, client_of(registry) as ministry_client:
        exporter = Desk(exporter_client, "exporter.one")
        applied = exporter.post(
            "/permits/apply", {"items": lots[0], "importer_name": "Buyer", "import_country": "CN"}
        )
        permit_id = int(applied.headers["location"].split("/")[2].split("?")[0])
        ministry = Desk(ministry_client, "ministry.officer")
        short = ministry.post(f"/permits/{permit_id}/reject", {"reason": "x"})
        assert short.status_code == 400 and 'id="reject-error"' in short.text
        assert (
            ministry.post(
                f"/permits/{permit_id}/reject", {"reason": "the importer is not registered"}
            ).status_code
            == 303
        )
        seen = exporter.get(f"/permits/{permit_id}")
        assert "rejected" in seen.text and "the importer is not registered" in seen.text
        again = ministry.post(f"/permits/{permit_id}/issue")
        assert again.status_code == 400 and "cannot be issued" in again.text


def test_a_banned_species_is_refused_with_its_reason_and_nothing_recorded(scene) -> None:  # type: ignore[no-untyped-def]
    registry, world, _ = scene
    trader = world["trader"]
    code = "urn:epc:id:sgtin:4870005.000009.1"
    before_the_ban = datetime(2025, 6, 1, 9, tzinfo=UTC)
    event = build.commissioning(
        [code], before_the_ban, trader.sgln, ilmd={"species": TORTOISE, "massKg": 0.4, "productType": "live"}
    )
    outcome = capture(registry, trader.principal, [event])
    assert outcome.succeeded, outcome.errors
    with client_of(registry) as client:
        exporter = Desk(client, "exporter.one")
        refused = exporter.post(
            "/permits/apply", {"items": code, "importer_name": "Pet shop", "import_country": "CN"}
        )
        assert refused.status_code == 400
        assert "export is forbidden: " + TORTOISE in refused.text and 'id="items-error"' in refused.text
        assert rows(registry, permits) == 0
        rules = exporter.get("/species/rules")
        assert rules.status_code == 200 and TORTOISE in rules.text
        assert "kiik refuses any event, application or export of this species" in rules.text
        assert "Add a rule" not in rules.text  # an exporter reads the rules, the ministry edits them


def test_the_ministry_sets_a_quota_and_sees_its_use(scene) -> None:  # type: ignore[no-untyped-def]
    registry, _, _ = scene
    year = datetime.now(UTC).year
    with client_of(registry) as client:
        ministry = Desk(client, "ministry.officer")
        known = rows(registry, quotas)
        bad = ministry.post(
            "/quotas",
            {
                "scientific_name": "Saiga tatarica",
                "yearly_cap": "lots",
                "first_year": str(year),
                "last_year": str(year),
                "legal_basis": "CoP20",
            },
        )
        assert bad.status_code == 400 and 'id="yearly_cap-error"' in bad.text
        backwards = ministry.post(
            "/quotas",
            {
                "scientific_name": "Saiga tatarica",
                "yearly_cap": "10",
                "first_year": str(year + 2),
                "last_year": str(year),
                "legal_basis": "CoP20",
            },
        )
        assert backwards.status_code == 400 and 'id="last_year-error"' in backwards.text
        assert rows(registry, quotas) == known
        made = ministry.post(
            "/quotas",
            {
                "scientific_name": "Saiga tatarica",
                "yearly_cap": "10000",
                "first_year": str(year),
                "last_year": str(year + 2),
                "destination": "CN",
                "legal_basis": "CITES CoP20 decision",
            },
        )
        assert made.status_code == 303 and rows(registry, quotas) == known + 1
        page = ministry.get("/quotas")
        assert "CITES CoP20 decision" in page.text and f"{year + 2}" in page.text
        assert page.text.count("<meter") >= 5  # two years of the test quota, three of the new one


def test_species_rules_added_and_withdrawn(scene) -> None:  # type: ignore[no-untyped-def]
    registry, _, _ = scene
    with client_of(registry) as client:
        ministry = Desk(client, "ministry.officer")
        bad = ministry.post(
            "/species/rules",
            {
                "scientific_name": "Saiga tatarica",
                "kind": "season",
                "title": "Autumn season",
                "valid_from": "2026-10-01",
                "valid_until": "2026-09-01",
                "legal_basis": "Order 1",
            },
        )
        assert bad.status_code == 400 and 'id="valid_until-error"' in bad.text
        added = ministry.post(
            "/species/rules",
            {
                "scientific_name": "Saiga tatarica",
                "kind": "season",
                "title": "Autumn season 2030",
                "valid_from": "2030-10-01",
                "valid_until": "2030-12-01",
                "legal_basis": "Order 1",
            },
        )
        assert added.status_code == 303
        page = ministry.get("/species/rules")
        rule_id = re.search(r'id="rule-(\d+)">\s*<p><strong>season</strong>: Autumn season 2030', page.text)
        assert rule_id, page.text
        withdrawn = ministry.post(f"/species/rules/{rule_id.group(1)}/withdraw")
        assert withdrawn.status_code == 303
        assert ministry.post(f"/species/rules/{rule_id.group(1)}/withdraw").status_code == 400


def test_the_ministry_adds_an_organisation_with_its_region(scene) -> None:  # type: ignore[no-untyped-def]
    registry, _, _ = scene
    with client_of(registry) as client:
        admin = Desk(client, "ministry.admin")
        bad = admin.post("/organisations", {"code": "bad code!", "name": "X", "kind": "trader"})
        assert bad.status_code == 400 and 'id="code-error"' in bad.text
        made = admin.post(
            "/organisations",
            {"code": "aral-export", "name": "Aral Export LLP", "kind": "trader", "region": "Kyzylorda"},
        )
        assert made.status_code == 303
        page = admin.get("/organisations")
        assert "Aral Export LLP" in page.text and 'value="Kyzylorda"' in page.text
        moved = admin.post("/organisations/aral-export/region", {"region": "Mangystau"})
        assert moved.status_code == 303 and 'value="Mangystau"' in admin.get("/organisations").text
        assert admin.post("/organisations/nobody/region", {"region": "X"}).status_code == 404
        officer = Desk(client_of(registry).__enter__(), "ministry.officer")
        assert officer.get("/organisations").status_code == 403


def test_a_disabled_person_cannot_log_in_and_their_sessions_end(scene) -> None:  # type: ignore[no-untyped-def]
    registry, _, _ = scene
    with client_of(registry) as exporter_client, client_of(registry) as admin_client:
        exporter = Desk(exporter_client, "exporter.one")
        assert exporter.get("/permits").status_code == 200
        admin = Desk(admin_client, "ministry.admin")
        assert admin.post("/people/ministry.admin/disable").status_code == 400  # not oneself
        assert admin.post("/people/exporter.one/disable").status_code == 303
        assert "disabled" in admin.get("/people").text
        ended = exporter_client.get("/permits", follow_redirects=False)
        assert ended.status_code == 303 and ended.headers["location"].startswith("/?next=")
        assert log_in(exporter_client, "exporter.one").status_code == 401
        assert admin.post("/people/exporter.one/enable").status_code == 303
        assert log_in(exporter_client, "exporter.one").status_code == 303


def test_a_census_with_a_bad_row_names_it_and_records_nothing(registry: Registry) -> None:
    scientists(registry)
    person(registry, "zoology", "scientist.one")
    good = CENSUS_FILE.read_text()
    lines = good.splitlines()
    header = lines[0].split(",")
    broken_row = lines[3].split(",")
    broken_row[header.index("ural")] = "many"
    broken = "\n".join([*lines[:3], ",".join(broken_row), *lines[4:]]) + "\n"
    with client_of(registry) as client:
        scientist = Desk(client, "scientist.one")
        preview = scientist.send("/monitoring/census/preview", broken.encode(), "text/csv")
        assert preview.status_code == 400
        assert (
            '<td data-label="row">4</td>' in preview.text
            and '<td data-label="column">ural</td>' in preview.text
        )
        sent = scientist.send("/monitoring/census", broken.encode(), "text/csv")
        assert sent.status_code == 400 and rows(registry, census_surveys) == 0
        fine = scientist.send("/monitoring/census/preview", good.encode(), "text/csv")
        assert (
            fine.status_code == 200
            and 'id="census-rows"' in fine.text
            and rows(registry, census_surveys) == 0
        )
        done = scientist.send("/monitoring/census", good.encode(), "text/csv")
        assert done.status_code == 200 and 'id="census-done"' in done.text
        recorded = rows(registry, census_surveys)
        assert recorded > 0
        page = scientist.get("/monitoring/census")
        assert (
            page.status_code == 200
            and "Betpakdala" in page.text
            and 'data-chart="census-chart-data"' in page.text
        )


def test_a_camtrap_package_checked_then_imported(registry: Registry, tmp_path: Path) -> None:
    scientists(registry)
    person(registry, "zoology", "scientist.one")
    package = zipped(write_small_passage(tmp_path / "good"))
    with client_of(registry) as client:
        scientist = Desk(client, "scientist.one")
        bad = scientist.send("/monitoring/camera-traps/preview", b"not a zip", "application/zip")
        assert bad.status_code == 400 and "not a usable zip" in bad.text
        checked = scientist.send("/monitoring/camera-traps/preview", package, "application/zip")
        assert checked.status_code == 200 and 'id="camtrap-valid"' in checked.text
        assert "No camera-trap data yet." in scientist.get("/monitoring/camera-traps").text
        imported = scientist.send("/monitoring/camera-traps", package, "application/zip")
        assert imported.status_code == 201 and 'id="camtrap-imported"' in imported.text
        page = scientist.get("/monitoring/camera-traps")
        assert "Gazella subgutturosa" in page.text and "61.5" in page.text
        again = scientist.send("/monitoring/camera-traps", package, "application/zip")
        assert again.status_code == 400


def test_a_camtrap_row_error_names_table_row_and_field(registry: Registry, tmp_path: Path) -> None:
    scientists(registry)
    person(registry, "zoology", "scientist.one")
    folder = write_small_passage(tmp_path / "bad")
    observations = (folder / "observations.csv").read_text().splitlines()
    header = observations[0].split(",")
    cells = observations[1].split(",")
    cells[header.index("count")] = "many"
    observations[1] = ",".join(cells)
    (folder / "observations.csv").write_text("\n".join(observations) + "\n")
    with client_of(registry) as client:
        scientist = Desk(client, "scientist.one")
        checked = scientist.send("/monitoring/camera-traps/preview", zipped(folder), "application/zip")
        assert checked.status_code == 400
        assert '<td data-label="table">observations</td>' in checked.text
        assert '<td data-label="field">count</td>' in checked.text


def test_the_queue_pages_with_its_filters(scene, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    registry, world, season = scene
    monkeypatch.setattr("kiik.permits.services.desk.PAGE_SIZE", 1)
    for lot in season.lots:
        apply_for_permit(registry.uow(), world["trader"].principal, ApplyForPermit([lot], "Buyer", "CN"))
    with client_of(registry) as client:
        ministry = Desk(client, "ministry.officer")
        first = ministry.get("/permits?status=applied&species=Saiga+tatarica")
        assert "Page 1 of 3" in first.text and first.text.count('href="/permits/') == 1
        following = re.search(r'href="(/permits\?[^"]+)" rel="next"', first.text)
        assert following and "species=Saiga+tatarica" in following.group(1).replace("&amp;", "&")
        second = ministry.get(following.group(1).replace("&amp;", "&"))
        assert "Page 2 of 3" in second.text and 'rel="prev"' in second.text
