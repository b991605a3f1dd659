"""The ministry's harvest desk as pages, on both databases: a plan recorded and an authorisation
issued through the forms in Kazakh and in Russian; an authorisation beyond the plan refused next to
its field in the person's language, with the figures filled in, and nothing stored; a harvest team
reads its own authorisations only; the offtake list shows the new figures."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from kiik.bootstrap.registry import Registry
from kiik.directory.domain.permissions import OrgKind
from kiik.directory.services.auth import add_organisation
from kiik.harvest.domain.authorisations import HarvestError
from kiik.harvest.services.authorisations import AuthoriseHarvest, authorise_harvest, list_authorisations
from kiik.monitoring.domain.census import CensusSurvey
from kiik.monitoring.domain.errors import MonitoringError, PlanExceeded
from kiik.monitoring.domain.plans import Justification, PlanRule, RuleBasis, check_rule, check_within_plan
from kiik.monitoring.services.census import record_survey
from kiik.monitoring.services.plans import season_plans
from tests.e2e.test_worded_refusals import Person
from tests.support.harvest import ministry
from tests.support.monitoring import scientists
from tests.support.people import person
from tests.support.world import make_world

LANGUAGES = ["kk", "ru"]
JUSTIFICATION = b"%PDF-1.4 Ural 2026: within 5 % of the lower bound of the 2025 spring count\x00\xff"
LINK = 'href="/harvest/authorisations/KZ-2026-%s-001"'
SEASON = {"valid_from": "2026-07-01", "valid_to": "2026-11-30"}


def desk(registry: Registry) -> dict[str, Any]:
    """The test world with a census of Ural in 2025 (lower bound 1,700,000) and the desk's people."""
    world = make_world(registry)
    researcher, _ = scientists(registry)
    survey = CensusSurvey(
        "Ural", 2025, "spring aerial", 1_900_000, "report", ci_lower=1_700_000, ci_upper=2_100_000
    )
    record_survey(registry.uow(), researcher, survey)
    person(registry, "ministry", "aigerim")
    person(registry, "harvester", "bolat")
    return world


def send_plan(officer: Person, fields: dict[str, str], document: bytes | None = JUSTIFICATION) -> Any:
    # A file input left empty sends a part with an empty file name and no bytes.
    chosen = ("ural 2026 — обоснование.pdf", document, "application/pdf") if document is not None else None
    files = {"justification": chosen or ("", b"", "application/octet-stream")}
    return officer.client.post(
        "/harvest/plans", data={**fields, "csrf": officer.csrf}, files=files, follow_redirects=False
    )


PLAN = {
    "population": "Ural",
    "season": "2026",
    "max_animals": "1000",
    "rule_basis": "lower_bound",
    "rule_share": "5",
}


def error_of(page: Any, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page.text, re.DOTALL)
    assert found, f"no error next to {field}"
    return found.group(1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_ministry_plans_and_authorises_through_the_forms(registry: Registry, language: str) -> None:
    world = desk(registry)
    officer = Person(registry, "aigerim", language)
    with officer.client:
        assert officer.client.get("/harvest/plans").status_code == 200
        recorded = send_plan(officer, PLAN)
        assert recorded.status_code == 303 and recorded.headers["location"] == "/harvest/plans?done=recorded"
        page = officer.client.get(recorded.headers["location"])
        assert 'id="plan-recorded"' in page.text and officer.text.number(1000) in page.text
        assert officer.text.number(1_700_000) in page.text  # the census figure the rule rests on
        assert str(officer.text.explain(PlanRule(RuleBasis.LOWER_BOUND, 0.05).statement())) in page.text
        link = re.search(r'href="(/harvest/plans/Ural/2026/justification)"', page.text)
        assert link, "no link to the justification"
        document = officer.client.get(link.group(1))
        assert document.status_code == 200 and document.content == JUSTIFICATION
        disposition = document.headers["content-disposition"]
        assert "filename*=UTF-8''ural%202026%20%E2%80%94" in disposition
        assert 'filename="ural 2026 _ ___________.pdf"' in disposition  # the ASCII fallback

        form = {"harvester": "harvester", "population": "Ural", **SEASON, "max_animals": "600"}
        area = '{"type": "Polygon", "coordinates": [[[46, 49], [48, 49], [48, 50.5], [46, 50.5], [46, 49]]]}'
        issued = officer.post("/harvest/authorisations", {**form, "area": area, "area_label": "Zhanybek"})
        assert issued.status_code == 303
        assert issued.headers["location"] == "/harvest/authorisations/KZ-2026-URL-001?done=issued"
        one = officer.client.get(issued.headers["location"])
        assert 'id="authorisation-issued"' in one.text and 'id="area-map"' in one.text
        assert 'id="area-bounds"' in one.text and "Zhanybek" in one.text
        assert officer.text.number(50.5, 4) in one.text and officer.text.number(46, 4) in one.text

        # 401 more do not fit in the plan of 1000 with 600 authorised: refused next to the field.
        beyond = officer.post("/harvest/authorisations", {**form, "max_animals": "401"})
        assert beyond.status_code == 400
        with pytest.raises(PlanExceeded) as refused:
            check_within_plan(season_plans(registry.uow(), ministry(world))[0], 600, 401)
        officer.reads(beyond, refused.value.args[0])
        assert str(officer.text.explain(refused.value)) in error_of(beyond, "max_animals")
        assert "401" in error_of(beyond, "max_animals") and "400" in error_of(beyond, "max_animals")
        assert [
            v.authorisation.max_animals for v in list_authorisations(registry.uow(), ministry(world))
        ] == [600]

        offtake = officer.client.get("/lists/offtake?population=Ural")
        row = re.search(r"<tr>\s*<td[^>]*>Ural</td>\s*<td[^>]*>2026</td>(.*?)</tr>", offtake.text, re.DOTALL)
        assert row, "the offtake list has no Ural 2026 row"
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.DOTALL)
        assert cells[:3] == [officer.text.number(1000), officer.text.number(600), officer.text.number(0)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_plan_is_refused_next_to_its_field(registry: Registry, language: str) -> None:
    world = desk(registry)
    officer = Person(registry, "aigerim", language)
    with officer.client:
        too_large = send_plan(officer, {**PLAN, "max_animals": "85001"})
        assert too_large.status_code == 400
        assert "85001" in error_of(too_large, "max_animals") and "85000" in error_of(too_large, "max_animals")
        assert "break its own rule" not in too_large.text

        share = send_plan(officer, {**PLAN, "rule_share": "150"})
        with pytest.raises(MonitoringError) as refused:
            check_rule(PlanRule(RuleBasis.LOWER_BOUND, 1.5))
        officer.reads(share, refused.value.args[0])
        assert str(officer.text.explain(refused.value)) in error_of(share, "rule_share")

        unattached = send_plan(officer, PLAN, document=None)
        assert unattached.status_code == 400
        assert error_of(unattached, "justification") == officer.text.gettext(
            "Attach the justification document."
        )
        empty = send_plan(officer, PLAN, document=b"")
        assert empty.status_code == 400
        with pytest.raises(MonitoringError) as refused:
            Justification.of("ural 2026 — обоснование.pdf", "application/pdf", b"")
        officer.reads(empty, refused.value.args[0])

        no_token = officer.client.post(
            "/harvest/plans", data=PLAN, files={"justification": ("a.pdf", JUSTIFICATION, "application/pdf")}
        )
        assert no_token.status_code == 403
        assert season_plans(registry.uow(), ministry(world)) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_authorisation_is_refused_next_to_its_field(registry: Registry, language: str) -> None:
    world = desk(registry)
    officer = Person(registry, "aigerim", language)
    with officer.client:
        form = {"harvester": "harvester", "population": "Ural", **SEASON, "max_animals": "10"}
        backwards = officer.post("/harvest/authorisations", {**form, "valid_to": "2026-06-01"})
        assert backwards.status_code == 400 and "2026-06-01" in error_of(backwards, "valid_to")
        assert "before it starts" not in backwards.text

        for field, changed in (
            ("area", {"area": '{"type": "Polygon", "coordinates": []}'}),
            ("number", {"number": "K"}),
            ("harvester", {"harvester": "trader"}),
            ("population", {"population": "Nowhere"}),
        ):
            sent = {**form, **changed}
            page = officer.post("/harvest/authorisations", sent)
            assert page.status_code == 400, field
            terms = AuthoriseHarvest(
                sent["harvester"],
                sent["population"],
                date(2026, 7, 1),
                date(2026, 11, 30),
                10,
                area=sent.get("area"),
                number=sent.get("number"),
            )
            with pytest.raises(HarvestError) as refused:
                authorise_harvest(registry.uow(), ministry(world), terms)
            officer.reads(page, refused.value.args[0])
            assert error_of(page, field) == str(officer.text.explain(refused.value)), field
        assert list_authorisations(registry.uow(), ministry(world)) == []


def test_a_harvest_team_reads_its_own_authorisations_only(registry: Registry) -> None:
    world = desk(registry)
    add_organisation(registry.uow(), "steppe", "Betpakdala harvest team", OrgKind.HARVESTER.value)
    for team, population in (("harvester", "Ural"), ("steppe", "Betpakdala")):
        terms = AuthoriseHarvest(team, population, date(2026, 7, 1), date(2026, 11, 30), 20)
        authorise_harvest(registry.uow(), ministry(world), terms)
    team = Person(registry, "bolat", "kk")
    with team.client:
        page = team.client.get("/harvest/authorisations")
        assert page.status_code == 200
        assert LINK % "URL" in page.text and LINK % "BPD" not in page.text
        assert 'method="post" action="/harvest/authorisations"' not in page.text  # no form to issue one
        assert 'href="/harvest/authorisations"' in page.text  # in the menu
        assert team.client.get("/harvest/authorisations/KZ-2026-URL-001").status_code == 200
        assert team.client.get("/harvest/authorisations/KZ-2026-BPD-001").status_code == 404
        refused = team.post("/harvest/authorisations", {"harvester": "harvester", "max_animals": "5"})
        assert refused.status_code == 403
        assert team.client.get("/harvest/authorisations?team=999999").status_code == 400
    officer = Person(registry, "aigerim", "ru")
    with officer.client:
        both = officer.client.get("/harvest/authorisations?population=Betpakdala")
        assert LINK % "BPD" in both.text and LINK % "URL" not in both.text
        assert officer.client.get("/harvest/authorisations?population=Nowhere").status_code == 400
