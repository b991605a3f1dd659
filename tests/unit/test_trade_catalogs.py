"""The pack check's words: every string of its page is in every catalog, translated (gettext domain trade)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiik.trade.adapters.translations import LANGUAGES, choose_language, gettext, translations

PAGE = Path(__file__).resolve().parents[2] / "src" / "kiik" / "web" / "templates" / "pack_check.html"


def page_strings() -> set[str]:
    return set(re.findall(r"""_\(\s*["']([^"']+)["']\s*\)""", PAGE.read_text(encoding="utf-8")))


def test_the_page_has_its_strings() -> None:
    assert len(page_strings()) >= 20 and "Check a meat pack" in page_strings()


@pytest.mark.parametrize("language", [x for x in LANGUAGES if x != "en"])
def test_every_string_of_the_page_is_translated(language: str) -> None:
    missing = page_strings() - set(translations(language))
    assert not missing, f"{language} catalog lacks: {sorted(missing)}"


def test_english_is_the_msgid_and_kazakh_is_the_default() -> None:
    assert gettext("en")("Legal: yes") == "Legal: yes"
    assert gettext("xx")("Legal: yes") == "Заңды: иә"


@pytest.mark.parametrize(
    ("asked", "header", "chosen"),
    [
        ("zh", "ru", "zh"),
        (None, "ru-KZ,ru;q=0.9,en;q=0.8", "ru"),
        (None, "zh-CN", "zh"),
        (None, "de-DE,en;q=0.5", "en"),
        (None, "fr", "kk"),
        ("fr", None, "kk"),
    ],
)
def test_the_language_comes_from_the_link_then_the_browser(asked, header, chosen) -> None:  # type: ignore[no-untyped-def]
    assert choose_language(asked, header) == chosen
