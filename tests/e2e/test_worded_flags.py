"""The inspector's flags read in the person's language, on both databases: a small demo season's
irregular items (a seized horn with a legal past, a seized code never registered, a lot near its
yield limit, open stock discrepancies) opened on the item page in Kazakh and in Russian. The
expected headline, titles and explanations are looked up through the catalogs (`PageText`) with
their values filled in; the English sentences are not on the page, and the inspection's JSON stays
English; an anonymous visitor reads the public verdict in Kazakh, Russian and Chinese. A seizure
the form cannot record explains each of its problems next to its field, in Kazakh and in Russian,
while the API answers the same problems in English."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.demo.cast import load_demo
from kiik.directory.domain.permissions import OrgKind
from kiik.directory.services.auth import authenticate, create_token
from kiik.enforcement.domain.errors import SeizureInvalid
from kiik.enforcement.services.seizures import record_seizure
from kiik.epcis.adapters.capture_source import open_capture_document
from kiik.epcis.domain import event_builders as build
from kiik.errors import N_, Wording
from kiik.inspection.verdict import inspect_item, public_check
from kiik.species.domain.products import product_name
from kiik.species.services.register import seed_register
from kiik.trade.services.takings import IssueTakePermit, Take, issue_take_permit, take
from kiik.web.i18n import LANGUAGE_COOKIE, PageText
from kiik.web.inspection.seizure_pages import _seizure
from tests.e2e.test_worded_refusals import Person
from tests.integration.test_demo_season import EXPECTED_FLAGS, _inspector
from tests.integration.test_floor_pages import session
from tests.support.documents import capture
from tests.support.exports import export_to, partner_authority
from tests.support.people import person
from tests.support.season import SAIGA, T0, authorise, horn, open_register
from tests.support.world import Member, make_world

LANGUAGES = ["kk", "ru"]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _item_page(registry: Registry, token: str, language: str, code: str) -> str:
    """The item page as an API token's organisation reads it in `language`."""
    client = TestClient(create_app(registry))
    client.cookies.set(LANGUAGE_COOKIE, language)
    client.headers["Authorization"] = f"Bearer {token}"
    return client.get(f"/items/{quote(code, safe='')}").text


def _nested(message: str) -> list[Wording]:
    """The Wordings a message carries as its values, at any depth."""
    if not isinstance(message, Wording):
        return []
    found = [v for v in message.values.values() if isinstance(v, Wording)]
    return found + [n for v in found for n in _nested(v)]


def test_the_inspectors_flags_read_in_kazakh_and_russian(registry: Registry) -> None:
    yields = registry.settings.yields
    result = load_demo(
        registry.uow, open_capture_document, custody_rules=True, yields=yields, horns=60, seed=3
    )
    assert result.season is not None
    token = create_token(registry.uow(), "kz-inspectorate", "viewer", "worded flags").token
    inspector = _inspector(registry)
    english = PageText("en")
    seen: set[str] = set()
    for irregularity in result.season.irregularities:
        if irregularity.kind not in EXPECTED_FLAGS or irregularity.code is None:
            continue
        inspection = inspect_item(registry.uow(), inspector, irregularity.code, yields)
        flags = inspection.flags
        assert EXPECTED_FLAGS[irregularity.kind] <= {f.code for f in flags}
        # Outside the pages the flags stay the English sentences they were.
        written = json.dumps(inspection.to_json(), ensure_ascii=False)
        assert str(inspection.headline) in written and all(str(f.detail) in written for f in flags)
        assert all(isinstance(f.detail, Wording) and isinstance(f.title, Wording) for f in flags)
        for language in LANGUAGES:
            text = PageText(language)
            page = _item_page(registry, token, language, irregularity.code)
            expected = [text.explain(inspection.headline)] + [text.explain(f.detail) for f in flags]
            expected += [_capitalised(str(text.explain(f.title))) for f in flags[1:]]
            for message in expected:
                assert str(message) in page, (language, irregularity.kind, str(message))
            for message in [inspection.headline, *(f.detail for f in flags)]:
                assert str(english.explain(message)) != str(text.explain(message)), "not translated"
                assert str(escape(str(message))) not in page, (language, str(message))
            # A harvest's or a stock count's own problem inside a flag is translated too.
            for nested in (n for f in flags for n in _nested(f.detail) if len(n.split()) > 3):
                assert str(escape(str(nested))) not in page, (language, str(nested))
            seen |= {f.code for f in flags}
        stock = [f.detail for f in flags if f.code == "stock_discrepancy"]
        assert all(isinstance(d, Wording) and isinstance(d.values["problem"], Wording) for d in stock)
    assert {"seized", "origin_untraced", "near_yield_limit", "stock_discrepancy"} <= seen
    # Anyone who scans a code reads the public verdict in their language, Chinese too.
    seized = next(i.code for i in result.season.irregularities if i.kind == "seized_registered_code")
    unknown = "urn:epc:id:sgtin:4870002.000001.999999"
    for code in (seized, unknown):
        assert code is not None
        verdict = public_check(registry.uow(), code, yields)
        assert isinstance(verdict.message, Wording) and verdict.to_json()["message"] == str(verdict.message)
        for language in [*LANGUAGES, "zh"]:
            visitor = TestClient(create_app(registry))
            visitor.cookies.set(LANGUAGE_COOKIE, language)
            page = visitor.get(f"/items/{quote(code, safe='')}").text
            shown = str(PageText(language).explain(verdict.message))
            assert shown != str(verdict.message) and shown in page, (language, shown)
            assert str(escape(str(verdict.message))) not in page


def test_a_refused_seizure_explains_each_problem_next_to_its_field(registry: Registry) -> None:
    world = make_world(registry)
    open_register(registry, world)
    person(registry, "inspector", "insp.op")
    form = {
        "reference": "INS-WORDED-1",
        "seized_on": "2099-01-01",
        "agency": "Inspectorate",
        "method": "patrol",
        "species": "Felis catus",
        "lines": "2",
        "term": "HOR",
        "quantity": "1",
        "unit": "NAR",
        "term-2": "HOR",
        "quantity-2": "1",
        "unit-2": "NAR",
        "codes-2": "(01)04870002000010(21)9998\n(01)04870002000010(21)9999",
    }
    # The same seizure through the service: its problems, one by one, in English.
    seizure, numbers = _seizure(form, {}, PageText("en"))
    assert seizure is not None and numbers == [1, 2]
    with pytest.raises(SeizureInvalid) as refused:
        record_seizure(registry.uow(), world["inspector"].principal, seizure)
    problems = refused.value.problems
    assert [str(p).partition(":")[0] for p in problems] == ["seizedOn", "species", "specimens[2].codes"]
    assert str(refused.value).endswith("cannot be recorded: " + "; ".join(problems))
    assert all(isinstance(p, Wording) for p in problems)
    for language in LANGUAGES:
        text = PageText(language)
        client, token = session(registry, "insp.op")
        client.cookies.set(LANGUAGE_COOKIE, language)
        with client:
            page = client.post("/seizures/new", data={**form, "csrf": token})
        assert page.status_code == 400
        for problem, field in zip(problems, ["seized_on", "species", "codes-2"], strict=True):
            shown = str(text.explain(problem))
            assert shown != str(problem), "not translated"
            assert f'id="{field}-error"' in page.text and shown in page.text, (language, shown)
            assert str(escape(str(problem))) not in page.text
    # The API answers the same refusal in English.
    body = {
        "reference": form["reference"],
        "seizedOn": form["seized_on"],
        "agency": form["agency"],
        "detectionMethod": form["method"],
        "species": form["species"],
        "specimens": [
            {"term": "HOR", "quantity": 1, "unit": "NAR"},
            {"term": "HOR", "quantity": 1, "unit": "NAR", "codes": form["codes-2"].split("\n")},
        ],
    }
    client = TestClient(create_app(registry))
    client.headers["Authorization"] = f"Bearer {world['inspector'].token}"
    answered = client.post("/api/enforcement/seizures", json=body)
    assert answered.status_code == 400, answered.text
    assert all(str(p) in answered.json()["detail"] for p in problems), answered.text


def _trophy_exported_to_china(registry: Registry) -> tuple[str, str, dict[str, Member]]:
    """An argali trophy (no animal, no harvest date: a hunting permit's taking) exported to China,
    whose wildlife authority reads the registry here through a viewer account."""
    world = make_world(registry)
    seed_register(registry.uow())
    permit = IssueTakePermit(
        "HUNT-2026-0042", "hunting", "Ovis ammon", "Karatau hunting ground",
        date(2026, 9, 1), date(2026, 12, 31), "trader", 2,
    )  # fmt: skip
    issue_take_permit(registry.uow(), world["ministry"].principal, permit)
    taking = Take(
        "HUNT-2026-0042", "urn:epc:id:sgtin:4870005.000077.1", datetime(2026, 10, 2, 9, tzinfo=UTC), 14.0
    )
    trophy = take(registry.uow(), world["trader"].principal, taking, registry.settings.yields)
    export_to(registry, world, [trophy], "CN")
    token = partner_authority(registry, "cn-nfga", "CN")
    person(registry, "cn-nfga", "cn.viewer", role="viewer")
    person(registry, "inspector", "insp.op")
    return trophy, token, world


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_partner_authority_reads_a_partners_advice_and_the_trophy_in_its_language(
    registry: Registry, language: str
) -> None:
    trophy, token, world = _trophy_exported_to_china(registry)
    yields = registry.settings.yields
    china = authenticate(registry.uow(), token)
    assert china is not None and china.org_kind is OrgKind.PARTNER_AUTHORITY
    partner = inspect_item(registry.uow(), china, trophy, yields)
    inspector = inspect_item(registry.uow(), world["inspector"].principal, trophy, yields)
    [abroad], [here] = partner.flags, inspector.flags
    # The same fact, two readings: the inspector seizes an exported item found here; the partner checks
    # its permit and records the arrival, and the item is not "flagged" for it.
    assert abroad.code == here.code == "exported"
    assert (here.severity, abroad.severity, partner.severity) == ("bad", "warn", "warn")
    assert "seize it" in here.detail and "seize" not in abroad.detail and "export permit" in abroad.detail
    assert partner.to_json()["flags"][0]["detail"] == str(abroad.detail)  # the API's English, the partner's
    for username, own, other in (("cn.viewer", abroad, here), ("insp.op", here, abroad)):
        reader = Person(registry, username, language)
        page = reader.client.get(f"/items/{quote(trophy, safe='')}")
        assert page.status_code == 200
        reader.reads(page, own.detail)
        assert str(reader.text.explain(other.detail)) not in page.text
        reader.reads(page, product_name("hunting_trophy"))  # the product, in the person's words
        # An origin without animal data says so in a sentence, with no "?" for the unknown parts.
        reader.reads(page, N_("no animal or harvest date on record"))
        assert "?, " not in page.text and ">?<" not in page.text
    # A trophy kept at home is not China's to read in detail: its authority gets what anyone sees,
    # told why in its language (not invited to log in, as it is).
    kept = Take(
        "HUNT-2026-0042", "urn:epc:id:sgtin:4870005.000077.2", datetime(2026, 10, 3, 9, tzinfo=UTC), 13.0
    )
    home = take(registry.uow(), world["trader"].principal, kept, yields)
    reader = Person(registry, "cn.viewer", language)
    page = reader.client.get(f"/items/{quote(home, safe='')}")
    assert page.status_code == 200 and 'href="/">' not in page.text.split('class="card quiet"')[1]
    reader.reads(
        page,
        N_(
            "You are logged in, but this item is not one your organisation may read in detail (a partner "
            "authority reads the items exported to its country): this is what anyone sees."
        ),
    )


def test_a_harvests_own_problems_read_inside_its_flag_in_kazakh_and_russian(registry: Registry) -> None:
    """Five horns stored while the rules were off, each harvested outside its authorisation in its
    own way, processed into one lot: the lot's flag names three problems and counts the rest."""
    world = make_world(registry)
    open_register(registry, world)
    team = world["harvester"]
    authorisation = authorise(registry, world)
    base = {"species": SAIGA, "population": "Ural", "sex": "male", "harvestDate": T0.date().isoformat(),
            "massKg": 0.25, "productType": "whole_horn", "harvestPoint": "50.95,51.35",
            "harvestAuthorisation": authorisation}  # fmt: skip
    faults = [
        {"harvestAuthorisation": None},
        {"harvestAuthorisation": "urn:kiik:harvest-authorisation:KZ-2025-URL-999"},
        {"harvestPoint": "43.25,76.95"},  # Almaty, far from the Ural range
        {"population": "Betpakdala"},
        {"harvestDate": (T0 + timedelta(days=400)).date().isoformat()},
    ]
    horns = [horn(900 + n) for n in range(len(faults))]
    events = [
        build.commissioning(
            [key], T0 + timedelta(minutes=n), team.sgln,
            ilmd={k: v for k, v in {**base, "animalID": f"URL-9{n}", **fault}.items() if v is not None},
        )
        for n, (key, fault) in enumerate(zip(horns, faults, strict=True))
    ]  # fmt: skip
    lot = "urn:epc:class:lgtin:4870004.000002.PWD-HARVEST-1"
    events.append(build.transformation(horns, [(lot, 1.0)], T0 + timedelta(hours=2), team.sgln, "powder"))
    assert capture(registry, team.principal, events, rules=False).succeeded
    inspection = inspect_item(registry.uow(), world["inspector"].principal, lot, registry.settings.yields)
    [flag] = [f for f in inspection.flags if f.code == "harvest_irregular"]
    assert isinstance(flag.detail, Wording)
    assert flag.title == "harvest outside its authorisation (5 of 5 sources)"
    named = _nested(flag.detail)
    problems = [n for n in named if n.template == "%(key)s: %(problem)s"]
    assert len(problems) == 3 and str(flag.detail).startswith(str(problems[0]))
    assert [str(p.values["problem"]) for p in problems[:2]] == [
        "harvested without an authorisation",
        "authorisation KZ-2025-URL-999 does not exist",
    ]
    assert "; and 2 more. Horns taken outside an authorisation" in str(flag.detail)  # the English kept
    token = create_token(registry.uow(), "inspector", "viewer", "harvest flags").token
    for language in LANGUAGES:
        text = PageText(language)
        page = _item_page(registry, token, language, lot)
        assert str(text.explain(flag.detail)) in page
        for problem in problems:
            reason = problem.values["problem"]
            assert isinstance(reason, Wording) and str(text.explain(reason)) != str(reason)
            assert str(text.explain(reason)) in page and str(escape(str(reason))) not in page, str(reason)
        assert "more" not in str(text.explain(flag.detail))
