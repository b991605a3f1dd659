"""The pages' languages: gettext catalogs (Babel) for Kazakh, Russian and English, and Chinese for
the public label check; which language a request gets; dates and numbers as each language writes them.

Catalogs are the `.po` files under `locale/` (`make messages` extracts the strings of the templates
and page modules and updates them); they are compiled in memory when first used, so no `.mo` file is
built or committed. The language is, in order: the one the visitor chose (a cookie, also kept on a
person's account), the best match of the browser's `Accept-Language`, English.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel.core import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import NumberPattern, parse_pattern
from babel.support import Translations
from markupsafe import Markup
from starlette.requests import Request

from kiik.errors import Figure, Wording

LOCALE_DIR = Path(__file__).parent / "locale"
# Every staff page speaks these; the public check also Chinese (buyers of a labelled pack).
STAFF_LANGUAGES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
PUBLIC_LANGUAGES = {**STAFF_LANGUAGES, "zh": "中文"}
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "kiik_lang"


def N_(message: str) -> str:  # noqa: N802 - the name gettext's tools look for
    """Marks a string for the catalogs where it is defined; it is translated where it is shown."""
    return message


@cache
def translations(language: str) -> Translations:
    """The language's catalog, compiled from its .po file in memory (once per process)."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT_LANGUAGE or not path.exists():
        return Translations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled)


def accepted(header: str, offered: dict[str, str]) -> str | None:
    """The best language of an Accept-Language header among those offered."""
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in offered and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else None


def language_of(request: Request, public: bool = False) -> str:
    offered = PUBLIC_LANGUAGES if public else STAFF_LANGUAGES
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    if chosen in offered:
        return chosen
    return accepted(request.headers.get("accept-language", ""), offered) or DEFAULT_LANGUAGE


class PageText:
    """What a template translates and formats with, for one language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.catalog = translations(language)

    def gettext(self, message: str, **variables: object) -> Markup:
        # The catalogs are trusted; the values put into them are escaped (Markup's % escapes).
        text = Markup(self.catalog.gettext(message))
        return text % variables if variables else text

    def ngettext(self, singular: str, plural: str, count: int, **variables: object) -> Markup:
        text = Markup(self.catalog.ngettext(singular, plural, count))
        return text % {"num": count, **variables}

    def explain(self, message: object) -> Markup | str:
        """A message from a service in this language: a `Wording` (kiik.errors) through the catalogs
        with its values (a value that is a Wording translated too), an exception by its first
        argument, anything else as written."""
        if isinstance(message, BaseException) and message.args:
            message = message.args[0]
        if isinstance(message, Wording):
            values = {k: self._value(v) for k, v in message.values.items()}
            return self.gettext(message.template, **values)
        return str(message)

    def _value(self, value: object) -> Markup | str:
        """A message's value: a Wording translated, a Figure written as this language writes numbers."""
        if isinstance(value, Wording):
            return self.explain(value)
        if isinstance(value, Figure):
            return self.number(value.value, value.digits)
        return str(value)

    def date(self, value: date | datetime | None) -> str:
        if value is None:
            return ""
        return format_date(value, format="medium", locale=self.language)

    def datetime(self, value: datetime | None) -> str:
        if value is None:
            return ""
        return format_datetime(value, format="medium", locale=self.language)

    def number(self, value: float | int | None, digits: int = 0) -> str:
        if value is None:
            return ""
        locale, pattern = _number_format(self.language, digits)
        return str(pattern.apply(value, locale))


def explained(request: Request, message: object) -> Markup | str:
    """A service's message (or refusal) in the request's language: `PageText.explain`."""
    return PageText(language_of(request)).explain(message)


@cache
def _number_format(language: str, digits: int) -> tuple[Locale, NumberPattern]:
    """The locale and the parsed pattern, once (a page of 250 lots writes a thousand numbers:
    `format_decimal` would parse both for each)."""
    return Locale.parse(language), parse_pattern("#,##0" + ("." + "0" * digits if digits else ""))
