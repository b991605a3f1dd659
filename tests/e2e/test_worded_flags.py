"""The inspector's flags read in the person's language, on both databases: a small demo season's
irregular items (a seized horn with a legal past, a seized code never registered, a lot near its
yield limit, open stock discrepancies) opened on the item page in Kazakh and in Russian. The
expected headline, titles and explanations are looked up through the catalogs (`PageText`) with
their values filled in; the English sentences are not on the page, and the inspection's JSON stays
English."""

from __future__ import annotations

import json
from urllib.parse import quote

from fastapi.testclient import TestClient
from markupsafe import escape

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.demo.cast import load_demo
from kiik.directory.services.auth import create_token
from kiik.epcis.adapters.capture_source import open_capture_document
from kiik.errors import Wording
from kiik.inspection.verdict import inspect_item
from kiik.web.i18n import LANGUAGE_COOKIE, PageText
from tests.integration.test_demo_season import EXPECTED_FLAGS, _inspector

LANGUAGES = ["kk", "ru"]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


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
            client = TestClient(create_app(registry))
            client.cookies.set(LANGUAGE_COOKIE, language)
            client.headers["Authorization"] = f"Bearer {token}"
            page = client.get(f"/items/{quote(irregularity.code, safe='')}").text
            expected = [text.explain(inspection.headline)] + [text.explain(f.detail) for f in flags]
            expected += [_capitalised(str(text.explain(f.title))) for f in flags[1:]]
            for message in expected:
                assert str(message) in page, (language, irregularity.kind, str(message))
            for message in [inspection.headline, *(f.detail for f in flags)]:
                assert str(english.explain(message)) != str(text.explain(message)), "not translated"
                assert str(escape(str(message))) not in page, (language, str(message))
            seen |= {f.code for f in flags}
    assert {"seized", "origin_untraced", "near_yield_limit", "stock_discrepancy"} <= seen
