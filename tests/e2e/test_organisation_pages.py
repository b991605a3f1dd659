"""The ministry's administrator changes an organisation and places its sites, through pages, on both
databases: each refusal next to its field and nothing changed; the audit trail keeps what changed;
a site cannot be placed within itself or under a site nobody registered; a form without its CSRF
token and a person whose role does not allow it are refused."""

from __future__ import annotations

from sqlalchemy import select

from kiik.bootstrap.registry import Registry
from kiik.directory.adapters.tables import admin_audit, organisations, sites
from kiik.epcis.domain.identifiers import parse_identifier
from tests.e2e.test_desk_pages import Desk, client_of
from tests.support.people import person
from tests.support.world import make_world


def _key(text: str) -> str:
    return parse_identifier(text).canonical


MAIN = _key("urn:epc:id:sgln:4870003.00000.0")  # the warehouse's main site (tests/support/world.py)
COLD = _key("urn:epc:id:sgln:4870003.00000.1")
SHELF = _key("urn:epc:id:sgln:4870003.00000.11")


def _staff(registry: Registry) -> None:
    make_world(registry)
    person(registry, "ministry", "ministry.admin", role="admin")
    person(registry, "ministry", "ministry.officer")


def _organisation(registry: Registry, code: str) -> dict[str, object]:
    with registry.engine.connect() as connection:
        row = connection.execute(select(organisations).where(organisations.c.code == code)).one()
    return dict(row._mapping)


def _parents(registry: Registry) -> dict[str, str | None]:
    with registry.engine.connect() as connection:
        rows = list(connection.execute(select(sites.c.id, sites.c.sgln, sites.c.parent_id)))
    sgln = {row.id: row.sgln for row in rows}
    return {row.sgln: sgln.get(row.parent_id) for row in rows}


def _changes(registry: Registry) -> list[dict[str, object]]:
    with registry.engine.connect() as connection:
        query = select(admin_audit.c.subject, admin_audit.c.details).where(
            admin_audit.c.action == "organisation.changed"
        )
        return [{"subject": r.subject, **dict(r.details)} for r in connection.execute(query)]


def test_an_organisation_is_changed_and_each_refusal_is_next_to_its_field(registry: Registry) -> None:
    _staff(registry)
    with client_of(registry) as client:
        admin = Desk(client, "ministry.admin")
        page = admin.get("/organisations/trader")
        assert page.status_code == 200 and 'value="Saiga Export LLP"' in page.text
        refusals = {
            "name": {"name": " ", "kind": "trader"},
            "kind": {"name": "Saiga Export LLP", "kind": "wizard"},
            "country": {"name": "Saiga Export LLP", "kind": "trader", "country": "Kazakhstan"},
            "pgln": {"name": "Saiga Export LLP", "kind": "trader", "pgln": "urn:epc:id:pgln:4870001.00000"},
            "region": {"name": "Saiga Trade JSC", "kind": "trader", "region": "x" * 81},
        }
        for field, form in refusals.items():
            refused = admin.post("/organisations/trader", form)
            assert refused.status_code == 400, (field, refused.text)
            assert (
                f'id="{field}-error"' in refused.text and f'aria-describedby="{field}-error"' in refused.text
            )
        assert _organisation(registry, "trader")["name"] == "Saiga Export LLP" and _changes(registry) == []
        own_kind = admin.post("/organisations/ministry", {"name": "Committee", "kind": "trader"})
        assert own_kind.status_code == 400 and 'id="kind-error"' in own_kind.text
        changed = admin.post(
            "/organisations/trader",
            {
                "name": "Saiga Trade JSC",
                "kind": "trader",
                "country": "kz",
                "pgln": "urn:epc:id:pgln:4870005.00000",
                "region": "Mangystau",
            },
        )
        assert (
            changed.status_code == 303 and changed.headers["location"] == "/organisations/trader?done=changed"
        )
        shown = admin.get(changed.headers["location"])
        assert 'id="organisation-changed"' in shown.text and 'value="Mangystau"' in shown.text
        assert _organisation(registry, "trader")["name"] == "Saiga Trade JSC"
        assert _changes(registry) == [
            {
                "subject": "trader",
                "name": ["Saiga Export LLP", "Saiga Trade JSC"],
            }
        ]
        long_region = {"code": "aral", "name": "Aral LLP", "kind": "trader", "region": "x" * 81}
        added = admin.post("/organisations", long_region)
        assert added.status_code == 400 and 'id="region-error"' in added.text and "Aral LLP" in added.text
        assert _organisation(registry, "aral")["name"] == "Aral LLP"  # added; its region refused
        assert admin.get("/organisations/nobody").status_code == 404
        assert admin.post("/organisations/nobody", {"name": "X", "kind": "trader"}).status_code == 404


def test_changing_an_organisation_needs_the_form_token_and_the_administrator(registry: Registry) -> None:
    _staff(registry)
    with client_of(registry) as client:
        admin = Desk(client, "ministry.admin")
        stale = client.post(
            "/organisations/trader", data={"name": "Forged", "kind": "trader"}, follow_redirects=False
        )
        assert stale.status_code == 403
    with client_of(registry) as client:
        officer = Desk(client, "ministry.officer")
        assert officer.get("/organisations/trader").status_code == 403
        assert officer.post("/organisations/trader", {"name": "Forged", "kind": "trader"}).status_code == 403
        assert officer.get("/organisations/trader/sites").status_code == 403
        form = {"sgln": COLD, "name": "Cold room"}
        assert officer.post("/organisations/warehouse/sites", form).status_code == 403
    assert _organisation(registry, "trader")["name"] == "Saiga Export LLP" and COLD not in _parents(registry)
    del admin


def test_sites_are_added_as_a_tree_and_moved_with_refusals_next_to_the_field(registry: Registry) -> None:
    _staff(registry)
    with client_of(registry) as client:
        admin = Desk(client, "ministry.admin")
        page = admin.get("/organisations/warehouse/sites")
        assert page.status_code == 200 and MAIN in page.text
        added = admin.post(
            "/organisations/warehouse/sites", {"sgln": COLD, "name": "Cold room", "parent": MAIN}
        )
        assert added.status_code == 303
        scanned = "https://id.gs1.org/414/4870003000002/254/11"  # the shelf's GLN as a Digital Link
        shelf = admin.post(
            "/organisations/warehouse/sites", {"sgln": scanned, "name": "Shelf", "parent": COLD}
        )
        assert shelf.status_code == 303
        assert _parents(registry)[COLD] == MAIN and _parents(registry)[SHELF] == COLD
        tree = admin.get("/organisations/warehouse/sites").text
        assert tree.index("Cold room") < tree.index("Shelf") and 'class="depth-2"' in tree
        refusals = {
            "sgln": {"sgln": "not a gln", "name": "Yard"},
            "name": {"sgln": "urn:epc:id:sgln:4870003.00000.2", "name": ""},
            "parent": {
                "sgln": "urn:epc:id:sgln:4870003.00000.2",
                "name": "Yard",
                "parent": "urn:epc:id:sgln:4870099.00000.0",
            },
        }
        for field, form in refusals.items():
            refused = admin.post("/organisations/warehouse/sites", form)
            assert refused.status_code == 400 and f'id="{field}-error"' in refused.text, (field, refused.text)
        again = admin.post("/organisations/warehouse/sites", {"sgln": COLD, "name": "Again"})
        assert again.status_code == 400 and "registered already" in again.text
        cycle = admin.post("/organisations/warehouse/sites/move", {"site": MAIN, "to": SHELF})
        assert cycle.status_code == 400 and 'id="to-error"' in cycle.text and "within itself" in cycle.text
        unknown = admin.post(
            "/organisations/warehouse/sites/move", {"site": MAIN, "to": "urn:epc:id:sgln:4870099.00000.0"}
        )
        assert unknown.status_code == 400 and 'id="to-error"' in unknown.text
        nothing = admin.post("/organisations/warehouse/sites/move", {"site": "", "to": ""})
        assert nothing.status_code == 400 and 'id="site-error"' in nothing.text
        assert _parents(registry)[MAIN] is None
        moved = admin.post("/organisations/warehouse/sites/move", {"site": SHELF, "to": ""})
        assert moved.status_code == 303 and _parents(registry)[SHELF] is None
        assert admin.get("/organisations/nobody/sites").status_code == 404
        assert (
            admin.post(
                "/organisations/nobody/sites", {"sgln": "urn:epc:id:sgln:4870003.00000.3", "name": "X"}
            ).status_code
            == 404
        )
