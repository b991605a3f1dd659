"""The values that a worded message carries: figures written as each language writes numbers, a
list of messages each translated, product names, a penalty's description, an identifier's refusal
and a flag read by a partner country's authority. English stays exactly what the API answered."""

from __future__ import annotations

from datetime import date

import pytest

from kiik.epcis.domain.identifiers import InvalidIdentifier, parse_identifier
from kiik.errors import N_, Figure, Wording, listed, worded
from kiik.inspection.flag import Flag, Reader
from kiik.species.domain.penalties import estimate
from kiik.species.domain.products import product_name
from kiik.species.domain.seed import ARTICLE_339, RED_BOOK
from kiik.web.i18n import PageText

LANGUAGES = ["kk", "ru"]


def test_a_figure_is_english_with_commas_and_local_on_a_page() -> None:
    message = N_("a fine of up to %(amount)s KZT", amount=Figure(12_975_000))
    assert str(message) == "a fine of up to 12,975,000 KZT"
    assert PageText("en").explain(message) == "a fine of up to 12,975,000 KZT"
    for language in LANGUAGES:
        written = PageText(language).number(12_975_000)
        assert written != "12,975,000" and written in PageText(language).explain(message)


def test_listed_messages_are_each_translated_and_keep_their_english() -> None:
    parts = [N_("harvested without an authorisation"), "plain text", N_("and %(count)s more", count=2)]
    joined = listed(parts)
    assert str(joined) == "harvested without an authorisation; plain text; and 2 more"
    for language in LANGUAGES:
        shown = str(PageText(language).explain(joined))
        assert "plain text" in shown and "harvested without" not in shown and "more" not in shown
    assert str(listed([])) == ""


def test_product_names_are_worded_and_an_unknown_product_keeps_its_code() -> None:
    trophy = product_name("hunting_trophy")
    assert isinstance(trophy, Wording) and trophy == "hunting trophy"
    assert product_name("smoked_tongue") == "smoked tongue"
    for language in LANGUAGES:
        assert PageText(language).explain(trophy) not in ("", "hunting trophy")
        assert PageText(language).explain(product_name("smoked_tongue")) == "smoked tongue"


@pytest.mark.parametrize(
    ("provision", "day", "english"),
    [
        (
            ARTICLE_339,
            date(2026, 5, 1),
            "Article 339 of the Criminal Code of the Republic of Kazakhstan: a fine of up to 3,000 MCI "
            "(up to 12,975,000 KZT at the 2026 MCI of 4,325 KZT); or up to 800 hours of community "
            "service, or up to 3 years of imprisonment; with confiscation and up to 5 years' ban on "
            "certain activities",
        ),
        (
            RED_BOOK,
            date(2031, 1, 1),
            "Article 339 of the Criminal Code of the Republic of Kazakhstan: a fine of up to 3,000 MCI "
            "(up to 12,975,000 KZT at the 2026 MCI of 4,325 KZT; no MCI for 2031 is on record, so the newest "
            "is used); or imprisonment; with confiscation",
        ),
    ],
)
def test_a_penalty_is_described_in_english_and_translated_with_local_figures(
    provision: object, day: date, english: str
) -> None:
    described = estimate(provision, day).describe()  # type: ignore[arg-type]
    assert isinstance(described, Wording) and str(described) == english
    for language in LANGUAGES:
        text = PageText(language)
        shown = str(text.explain(described))
        assert str(text.explain(worded(provision.article))) in shown  # type: ignore[attr-defined]
        assert "Criminal Code" not in shown and "MCI" not in shown and "3,000" not in shown
        assert text.number(3000) in shown and text.number(12_975_000) in shown


@pytest.mark.parametrize(
    ("code", "english"),
    [
        ("https://id.gs1.org/01/04870002000011/21/5",
         "wrong check digit in GTIN 04870002000011: expected 0, got 1"),
        ("urn:epc:id:sgtin:4870002.00001.1",
         "wrong length in urn:epc:id:sgtin:4870002.00001.1: company prefix and indicator digit and item "
         "reference must have 13 digits together, got 12"),
        ("  ", "empty identifier: scan or type the code again"),
    ],
)  # fmt: skip
def test_an_identifiers_refusal_is_worded_and_keeps_its_english(code: str, english: str) -> None:
    with pytest.raises(InvalidIdentifier) as refused:
        parse_identifier(code)
    assert str(refused.value) == english and isinstance(refused.value.args[0], Wording)
    for language in LANGUAGES:
        shown = str(PageText(language).explain(refused.value))
        assert shown != english and "wrong" not in shown and "empty" not in shown


def test_a_flag_gives_a_partner_authority_its_own_reading() -> None:
    here = Flag("exported", "bad", N_("exported on %(day)s", day="2026-01-02"), N_("seize it"))
    assert here.read_by(Reader.PARTNER) is here  # no reading of its own: the same for both
    both = here.for_partner(N_("check the export permit"), severity="warn")
    assert both.read_by(Reader.INSPECTOR) is both and (both.severity, both.detail) == ("bad", "seize it")
    abroad = both.read_by(Reader.PARTNER)
    assert (abroad.severity, abroad.detail, abroad.title) == ("warn", "check the export permit", here.title)
