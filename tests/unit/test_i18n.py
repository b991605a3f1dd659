"""The pages' languages: Accept-Language matching, and dates and numbers as each language writes them."""

from __future__ import annotations

from datetime import date

from kiik.web.i18n import PUBLIC_LANGUAGES, STAFF_LANGUAGES, PageText, accepted


def test_accept_language_picks_the_best_offered_language() -> None:
    assert accepted("kk-KZ,ru;q=0.8,en;q=0.5", STAFF_LANGUAGES) == "kk"
    assert accepted("de-DE,ru;q=0.4,en;q=0.7", STAFF_LANGUAGES) == "en"
    assert accepted("zh-CN,zh;q=0.9", STAFF_LANGUAGES) is None  # staff pages: no Chinese
    assert accepted("zh-CN,zh;q=0.9", PUBLIC_LANGUAGES) == "zh"
    assert accepted("ru;q=0,en", STAFF_LANGUAGES) == "en" and accepted("", STAFF_LANGUAGES) is None


def test_numbers_and_dates_follow_the_language() -> None:
    assert PageText("en").number(12345.678, 3) == "12,345.678"
    assert PageText("ru").number(12345.678, 3) == "12\xa0345,678"
    assert PageText("kk").number(12345) == "12\xa0345"
    assert PageText("en").date(date(2026, 3, 1)) == "Mar 1, 2026"
    assert PageText("ru").date(date(2026, 3, 1)) == "1 мар. 2026\u202fг."
    assert "2026" in PageText("kk").date(date(2026, 3, 1)) and "нау" in PageText("kk").date(date(2026, 3, 1))


def test_translated_text_escapes_what_is_put_into_it() -> None:
    text = PageText("ru")
    assert text.gettext("Log in") == "Войти"
    shown = text.gettext("%(org)s: items by status", org="<b>Evil</b>")
    assert shown == "&lt;b&gt;Evil&lt;/b&gt;: предметы по статусу"
