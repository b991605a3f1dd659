"""A service's refusal reads in the person's language, on both databases: the floor's capture
refusals, a permit application's checks, quotas and species rules, people and passwords, the
reconciliation and the census import each refused through a form in Kazakh and in Russian. The
expected sentence is looked up through the catalogs (`PageText`), with its values filled in; the
English sentence is not on the page, and the API answers the same refusal in English."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.custody.domain.check import cannot
from kiik.custody.domain.state import STATUS_EXPLAINED, Status
from kiik.epcis.adapters.barcodes import parse_scanned
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.identifiers import InvalidIdentifier, canonical_key, parse_identifier
from kiik.epcis.services.identifier_terms import item_key
from kiik.errors import N_, Wording, worded
from kiik.partners.services.reconciliation import NOTHING_TO_RECONCILE
from kiik.permits.services.application import ApplyForPermit, apply_for_permit
from kiik.permits.services.decisions import IssuePermit, issue_permit
from kiik.species.domain.seed import ARTICLE_339, RULES
from kiik.species.domain.species import BAN, OPERATION_WORDS
from kiik.web.i18n import LANGUAGE_COOKIE, PageText
from tests.integration.test_floor_pages import element, floor, key_of
from tests.support.access import unlimited
from tests.support.documents import capture
from tests.support.monitoring import CENSUS_FILE, scientists
from tests.support.people import csrf_of, log_in, person
from tests.support.season import horn, open_register
from tests.support.world import make_world

LANGUAGES = ["kk", "ru"]
TORTOISE = "Testudo horsfieldii"
TORTOISE_BAN = next(r for r in RULES if r.scientific_name == TORTOISE)


class Person:
    """A browser logged in as one person who reads the pages in `language`."""

    def __init__(self, registry: Registry, username: str, language: str) -> None:
        self.client = TestClient(create_app(unlimited(registry)))
        self.client.cookies.set(LANGUAGE_COOKIE, language)
        assert log_in(self.client, username).status_code == 303
        self.csrf = csrf_of(self.client.get("/account").text)
        self.text = PageText(language)

    def post(self, url: str, data: dict[str, str]) -> Any:
        return self.client.post(url, data={**data, "csrf": self.csrf}, follow_redirects=False)

    def send(self, url: str, body: bytes, kind: str) -> Any:
        return self.client.post(url, content=body, headers={"X-CSRF-Token": self.csrf, "Content-Type": kind})

    def reads(self, page: Any, message: Wording) -> None:
        """The page shows the message in this person's language, and not in English."""
        translated = str(self.text.explain(message))
        assert translated != str(PageText("en").explain(message)), "the catalog lacks this sentence"
        assert translated in page.text, translated
        assert str(PageText("en").explain(message)) not in page.text


def api(registry: Registry, token: str) -> TestClient:
    client = TestClient(create_app(unlimited(registry)))
    client.headers["Authorization"] = f"Bearer {token}"
    return client


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_shipment_is_explained_in_the_persons_language(registry: Registry, language: str) -> None:
    world = floor(registry)
    clerk = Person(registry, "wh.clerk", language)
    with clerk.client:
        form = {"kind": "ship", "codes": element(101), "party": "plant", "action": "send"}
        first = clerk.post(
            "/floor/move", {**form, "key": key_of(clerk.client.get("/floor/move?kind=ship").text)}
        )
        assert first.status_code == 201
        again = clerk.post(
            "/floor/move", {**form, "key": key_of(clerk.client.get("/floor/move?kind=ship").text)}
        )
        assert again.status_code == 400
        clerk.reads(again, cannot(canonical_key(horn(101)), "shipped", STATUS_EXPLAINED[Status.IN_TRANSIT]))
        nothing = clerk.post("/floor/move", {**form, "codes": "", "key": key_of(again.text)})
        assert nothing.status_code == 400
        clerk.reads(nothing, N_("scan or type at least one code"))
    warehouse, plant = world["warehouse"], world["plant"]
    event = build.shipping([horn(101)], datetime.now(UTC), warehouse.sgln, warehouse.pgln, plant.pgln)
    with api(registry, warehouse.token) as client:
        sent = client.post("/epcis/capture", content=json.dumps(build.document([event])))
        assert sent.status_code == 202
        job = client.get(sent.headers["location"]).json()
    english = "cannot be shipped: it is in transit; the destination must receive it first"
    assert [e["message"] for e in job["errors"]] == [f"{canonical_key(horn(101))} {english}"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_customs_reads_an_exports_refusal_in_its_language(registry: Registry, language: str) -> None:
    world = floor(registry)
    season_lot = canonical_key("urn:epc:class:lgtin:4870004.000002.PWD-1")
    command = ApplyForPermit([season_lot], "Importer in CN", "CN", "Main street 1")
    applied = apply_for_permit(registry.uow(), world["trader"].principal, command)
    number = str(issue_permit(registry.uow(), world["ministry"].principal, IssuePermit(applied.id)).number)
    customs = Person(registry, "customs.op", language)
    with customs.client:
        stray = customs.post(
            "/customs/endorse", {"permit": number, "codes": season_lot + "\n" + element(103)}
        )
        assert stray.status_code == 400
        not_listed = N_(
            "%(key)s is not on permit %(number)s: only the items listed on the permit may leave under it",
            key=canonical_key(horn(103)),
            number=number,
        )
        customs.reads(stray, not_listed)
        assert customs.post("/customs/endorse", {"permit": number, "codes": season_lot}).status_code == 201
        twice = customs.post("/customs/endorse", {"permit": number, "codes": season_lot})
        assert twice.status_code == 400 and 'id="permit-error"' in twice.text
        used = str(
            customs.text.explain(
                N_(
                    "permit %(number)s was used already (export endorsed %(when)s): a permit "
                    "is used once; the exporter must apply for a new one",
                    number=number,
                    when="|",
                )
            )
        ).split("|")[0]
        assert used in twice.text and "was used already" not in twice.text


@pytest.fixture
def desk(registry: Registry) -> Any:
    world = make_world(registry)
    open_register(registry, world, cap=100.0)
    person(registry, "trader", "exporter.one")
    person(registry, "ministry", "ministry.officer")
    person(registry, "ministry", "ministry.admin", role="admin")
    return world


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_permit_applications_checks_are_in_the_persons_language(
    registry: Registry, desk: Any, language: str
) -> None:
    trader = desk["trader"]
    unknown = "urn:epc:id:sgtin:4870005.000009.99"
    tortoise = "urn:epc:id:sgtin:4870005.000009.1"
    before_the_ban = datetime(2025, 6, 1, 9, tzinfo=UTC)
    ilmd = {"species": TORTOISE, "massKg": 0.4, "productType": "live"}
    assert capture(
        registry, trader.principal, [build.commissioning([tortoise], before_the_ban, trader.sgln, ilmd=ilmd)]
    ).succeeded
    exporter = Person(registry, "exporter.one", language)
    with exporter.client:
        refused = exporter.post(
            "/permits/apply", {"items": unknown, "importer_name": "Zoo", "import_country": "CN"}
        )
        assert refused.status_code == 400 and 'id="items-error"' in refused.text
        exporter.reads(refused, N_("%(key)s is not registered: check the code", key=item_key(unknown)))
        banned = exporter.post(
            "/permits/apply", {"items": tortoise, "importer_name": "Zoo", "import_country": "CN"}
        )
        assert banned.status_code == 400
        # The ban's sentence with its operation worded too ("export" in the person's language).
        ban = BAN.filled(what=OPERATION_WORDS["export"], species=TORTOISE, rule="", period="", basis="")
        opening = str(exporter.text.explain(ban)).split(TORTOISE)[0]
        assert opening.strip() and opening in banned.text and "export is forbidden" not in banned.text
        # The rule, its legal basis and the penalty it carries are worded, their figures local.
        exporter.reads(banned, worded(TORTOISE_BAN.title))
        exporter.reads(banned, worded(TORTOISE_BAN.legal_basis))
        exporter.reads(banned, worded(ARTICLE_339.article))
        fine = exporter.text.number(ARTICLE_339.max_fine_mci)
        assert fine != "3,000" and fine in banned.text and "3,000 MCI" not in banned.text
    with api(registry, trader.token) as client:
        body = {"items": [unknown], "importer_name": "Zoo", "import_country": "CN"}
        answer = client.post("/api/permits", json=body)
    assert (
        answer.status_code >= 400 and f"{item_key(unknown)} is not registered: check the code" in answer.text
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_quotas_and_species_rules_refuse_in_the_persons_language(
    registry: Registry, desk: Any, language: str
) -> None:
    year = datetime.now(UTC).year
    quota = {"scientific_name": "Felis imaginaria", "yearly_cap": "10", "first_year": str(year),
             "last_year": str(year), "legal_basis": "CoP20"}  # fmt: skip
    rule = {"scientific_name": "Saiga tatarica", "kind": "season", "title": "Autumn season",
            "valid_from": "2026-10-01", "valid_until": "2026-09-01", "legal_basis": "Order 1"}  # fmt: skip
    officer = Person(registry, "ministry.officer", language)
    with officer.client:
        unknown = officer.post("/quotas", quota)
        assert unknown.status_code == 400 and 'id="scientific_name-error"' in unknown.text
        officer.reads(
            unknown, N_("no taxon %(name)s in the species register: add it first", name="'Felis imaginaria'")
        )
        backwards = officer.post("/species/rules", rule)
        assert backwards.status_code == 400 and 'id="valid_until-error"' in backwards.text
        ends = N_(
            "rule %(title)s ends (%(until)s) before it starts (%(since)s)",
            title="'Autumn season'",
            until=date(2026, 9, 1),
            since=date(2026, 10, 1),
        )
        officer.reads(backwards, ends)
    with api(registry, desk["ministry"].token) as client:
        answer = client.post("/api/species/rules", json={k: v for k, v in rule.items()})
        assert answer.status_code == 400 and str(ends) in answer.json()["detail"]
        answer = client.post(
            "/api/quotas", json={**quota, "yearly_cap": 10, "first_year": year, "last_year": year}
        )
        assert answer.status_code == 404 and answer.json()["detail"] == (
            "no taxon 'Felis imaginaria' in the species register: add it first"
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_password_rule_is_read_in_the_persons_language(
    registry: Registry, desk: Any, language: str
) -> None:
    admin = Person(registry, "ministry.admin", language)
    with admin.client:
        short = admin.post(
            "/people", {"org": "ministry", "username": "new.one", "role": "operator", "password": "short"}
        )
        assert short.status_code == 400
        admin.reads(
            short,
            N_(
                "the password has %(length)s characters: use at least %(least)s (a few words are easier "
                "to remember than symbols)",
                length=5,
                least=12,
            ),
        )
        taken = admin.post(
            "/people",
            {
                "org": "ministry",
                "username": "ministry.officer",
                "role": "operator",
                "password": "long enough words",
            },
        )
        assert taken.status_code == 400
        admin.reads(
            taken, N_("the username %(username)s is taken: choose another", username="'ministry.officer'")
        )
        twice = admin.post(
            "/organisations", {"code": "ministry", "name": "Another ministry", "kind": "trader"}
        )
        assert twice.status_code == 400 and 'id="code-error"' in twice.text
        admin.reads(twice, N_("an organisation with code %(code)s exists already", code="'ministry'"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reconciliation_of_an_unknown_permit_in_the_persons_language(
    registry: Registry, desk: Any, language: str
) -> None:
    officer = Person(registry, "ministry.officer", language)
    number = "KZ/2026/000999"
    with officer.client:
        page = officer.client.get("/partner/reconciliation", params={"permit": number})
        assert page.status_code == 404
        officer.reads(page, NOTHING_TO_RECONCILE[(False, False)].filled(permit=number, side=""))
    with api(registry, desk["ministry"].token) as client:
        answer = client.get("/api/partner/reconciliation", params={"permit": number})
    assert answer.status_code == 404 and answer.json()["detail"] == str(
        NOTHING_TO_RECONCILE[(False, False)].filled(permit=number, side="")
    )
    assert answer.json()["detail"].startswith(f"permit {number} has no endorsed export")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_census_cell_is_explained_in_the_persons_language(registry: Registry, language: str) -> None:
    _, token = scientists(registry)
    person(registry, "zoology", "scientist.one")
    lines = CENSUS_FILE.read_text().splitlines()
    header, row = lines[0].split(","), lines[3].split(",")
    row[header.index("ural")] = "many"
    broken = ("\n".join([*lines[:3], ",".join(row), *lines[4:]]) + "\n").encode()
    scientist = Person(registry, "scientist.one", language)
    with scientist.client:
        preview = scientist.send("/monitoring/census/preview", broken, "text/csv")
        assert (
            preview.status_code == 400 and '<td data-label="row">4</td>' not in preview.text
        )  # labels translated
        scientist.reads(preview, N_("%(value)s is not a whole number", value="'many'"))
        assert ">4</td>" in preview.text and ">ural</td>" in preview.text
    with api(registry, token) as client:
        answer = client.post(
            "/api/monitoring/census/import", content=broken, headers={"Content-Type": "text/csv"}
        )
    assert answer.status_code == 400 and "row 4, ural: 'many' is not a whole number" in answer.text


SEIZURE_HEADER = "reference,seized_on,agency,detection_method,species,term,quantity,unit\n"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_seizure_files_row_problems_are_read_in_the_persons_language(
    registry: Registry, language: str
) -> None:
    world = make_world(registry)
    open_register(registry, world)
    person(registry, "customs", "customs.officer")
    bad = SEIZURE_HEADER + (
        "S-1,2026-13-01,Customs,x-ray,Saiga tatarica,HOR,2,NAR\n"
        "S-2,2026-10-02,,x-ray,Saiga tatarica,HOR,1,NAR\n"
    )
    good = SEIZURE_HEADER + "S-3,2026-10-02,Customs,x-ray,Saiga tatarica,HOR,1,NAR\n"
    not_a_date = N_("%(value)s is not a date: write it as YYYY-MM-DD", value="'2026-13-01'")
    recorded = N_("a seizure with this reference is recorded already; give it a new reference")
    officer = Person(registry, "customs.officer", language)
    with officer.client:
        assert officer.client.get("/seizures/import").status_code == 200
        preview = officer.send("/seizures/import/preview", bad.encode(), "text/csv")
        assert preview.status_code == 400
        officer.reads(preview, not_a_date)
        officer.reads(preview, N_("empty; it is required"))
        for shown in (">2</td>", ">seized_on</td>", ">3</td>", ">agency</td>"):
            assert shown in preview.text  # each problem's row and column in columns of their own
        refused = officer.send("/seizures/import", bad.encode(), "text/csv")
        assert refused.status_code == 400
        officer.reads(refused, not_a_date)
        assert officer.send("/seizures/import/preview", good.encode(), "text/csv").status_code == 200
        assert officer.send("/seizures/import", good.encode(), "text/csv").status_code == 201
        again = officer.send("/seizures/import", good.encode(), "text/csv")
        assert again.status_code == 400 and ">S-3</td>" in again.text
        officer.reads(again, recorded)
    with api(registry, world["customs"].token) as client:
        answer = client.post(
            "/api/enforcement/seizures/import", content=bad, headers={"Content-Type": "text/csv"}
        )
        twice = client.post(
            "/api/enforcement/seizures/import", content=good, headers={"Content-Type": "text/csv"}
        )
    assert answer.status_code == 422
    assert answer.json()["problems"] == [
        "row 2, seized_on: '2026-13-01' is not a date: write it as YYYY-MM-DD",
        "row 3, agency: empty; it is required",
    ]
    assert twice.status_code == 422
    assert twice.json()["problems"] == [f"rows 2 (S-3): {recorded}"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_mistyped_code_is_explained_in_the_persons_language(registry: Registry, language: str) -> None:
    floor(registry)
    scanned, typed = "(01)04870002000011(21)5", "https://id.gs1.org/01/04870002000011/21/5"
    with pytest.raises(InvalidIdentifier) as unreadable:
        parse_scanned(scanned)
    with pytest.raises(InvalidIdentifier) as invalid:
        parse_identifier(typed)
    english = "wrong check digit in GTIN 04870002000011: expected 0, got 1"
    assert str(unreadable.value) == str(invalid.value) == english  # what the API and the EPCIS bodies say
    clerk = Person(registry, "wh.clerk", language)
    with clerk.client:
        looked = clerk.post("/floor/check", {"purpose": "look", "codes": scanned})
        assert looked.status_code == 200
        clerk.reads(looked, unreadable.value.args[0])
        item = clerk.client.get(f"/items/{quote(typed, safe='')}")
        assert item.status_code == 400
        clerk.reads(item, invalid.value.args[0])
