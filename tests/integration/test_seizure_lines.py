"""The seizure form takes several specimen lines, without JavaScript: "add a line" and "remove line n"
send the form back with one line more or less (nothing recorded); each line's problem is shown next
to that line's field and nothing is recorded; a blank extra line is left out; a form without its
CSRF token, or from a role that may not record seizures, is refused. On both databases."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from kiik.bootstrap.registry import Registry
from kiik.enforcement.adapters.tables import seizure_specimens, seizures
from tests.integration.test_floor_pages import session
from tests.support.people import person
from tests.support.season import open_register
from tests.support.world import make_world

FOREIGN = "(01)06900001000013(21)5"  # another country's horn
FORGED = "(01)04870002000010(21)9999"  # kiik's prefix, never registered


def _count(registry: Registry, table: object) -> int:
    with registry.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)  # type: ignore[arg-type]


def _inspectorate(registry: Registry) -> None:
    world = make_world(registry)
    open_register(registry, world)
    person(registry, "inspector", "insp.op")
    person(registry, "trader", "trader.op")


def _base(token: str) -> dict[str, str]:
    return {
        "csrf": token,
        "reference": "INS-LINES-1",
        "seized_on": "2026-10-01",
        "agency": "Inspectorate",
        "method": "patrol",
        "species": "Saiga tatarica",
    }


def _value(html: str, field: str) -> str:
    found = re.search(rf'id="{field}" name="{field}"[^>]*value="([^"]*)"', html)
    return found.group(1) if found else ""


def test_lines_are_added_and_removed_without_javascript(registry: Registry) -> None:
    _inspectorate(registry)
    inspector, token = session(registry, "insp.op")
    with inspector:
        blank = inspector.get("/seizures/new").text
        assert 'name="lines" value="1"' in blank and 'id="add-line"' in blank and 'id="term-2"' not in blank
        form = {**_base(token), "lines": "1", "term": "HOR", "quantity": "3", "unit": "NAR"}
        two = inspector.post("/seizures/new", data={**form, "action": "add-line"})
        assert two.status_code == 200 and 'name="lines" value="2"' in two.text and 'id="term-2"' in two.text
        assert _value(two.text, "quantity") == "3" and "Remove line 2" in two.text
        filled = {**form, "lines": "2", "term-2": "POW", "quantity-2": "1.5", "unit-2": "KGM"}
        one = inspector.post("/seizures/new", data={**filled, "action": "remove-1"})
        assert one.status_code == 200 and 'name="lines" value="1"' in one.text
        assert _value(one.text, "quantity") == "1.5" and 'id="term-2"' not in one.text
        assert _count(registry, seizures) == 0


def test_each_lines_problem_is_next_to_that_line_and_nothing_is_recorded(registry: Registry) -> None:
    _inspectorate(registry)
    inspector, token = session(registry, "insp.op")
    with inspector:
        form = {
            **_base(token),
            "lines": "3",
            "term": "HOR",
            "quantity": "1",
            "unit": "NAR",
            "codes": FOREIGN,
            "term-2": "HOR",
            "quantity-2": "1",
            "unit-2": "NAR",
            "codes-2": f"{FORGED}\n(01)04870002000010(21)9998",
            "term-3": "POW",
            "quantity-3": "much",
            "unit-3": "KGM",
        }
        refused = inspector.post("/seizures/new", data=form)
        assert refused.status_code == 400 and 'id="quantity-3-error"' in refused.text
        form["quantity-3"] = "1.5"
        refused = inspector.post("/seizures/new", data=form)
        errors = set(re.findall(r'class="error" id="([^"]+)"', refused.text))
        assert refused.status_code == 400 and errors == {"codes-2-error"}, refused.text
        assert 'aria-describedby="codes-2-hint codes-2-error"' in refused.text
        assert _count(registry, seizures) == 0
        form["quantity-2"] = "2"
        done = inspector.post("/seizures/new", data={**form, "lines": "4"})  # line 4 left blank
        assert done.status_code == 201, done.text
        assert _count(registry, seizures) == 1 and _count(registry, seizure_specimens) == 3
        shown = inspector.get("/seizures/view/INS-LINES-1").text
        assert shown.count('class="match-') == 3


def test_the_form_needs_its_token_and_a_role_that_records_seizures(registry: Registry) -> None:
    _inspectorate(registry)
    inspector, _ = session(registry, "insp.op")
    with inspector:
        form = {**_base(""), "quantity": "1", "lines": "1"}
        del form["csrf"]
        assert inspector.post("/seizures/new", data=form, follow_redirects=False).status_code == 403
    trader, token = session(registry, "trader.op")
    with trader:
        assert trader.get("/seizures/new").status_code == 403
        sent = trader.post("/seizures/new", data={**_base(token), "quantity": "1", "action": "add-line"})
        assert sent.status_code == 403
    assert _count(registry, seizures) == 0
