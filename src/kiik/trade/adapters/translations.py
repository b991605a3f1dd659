"""The words of the public pack check in Kazakh, Russian, English and Chinese: gettext domain `trade`.

The catalogs are `.po` files beside this module (`locale/<language>/LC_MESSAGES/trade.po`), read
with Babel once per language; a msgid is the English text, so English needs no translations. They
are kept apart from the web's shared catalogs so that they can be folded into them as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.core import negotiate_locale
from babel.messages.pofile import read_po

DOMAIN = "trade"
LANGUAGES = ("kk", "ru", "en", "zh")
DEFAULT_LANGUAGE = "kk"
LOCALE_DIR = Path(__file__).parent / "locale"


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> dict[str, str]:
    """msgid -> msgstr of one language (only the translated messages)."""
    with catalog_path(language).open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string}


def gettext(language: str) -> Callable[[str], str]:
    table = translations(language if language in LANGUAGES else DEFAULT_LANGUAGE)
    return lambda text: table.get(text, text)


def choose_language(asked: str | None, accept_language: str | None) -> str:
    """The language asked for (`?lang=`), else the browser's first that kiik speaks, else Kazakh."""
    if asked in LANGUAGES:
        return str(asked)
    preferred = [part.split(";")[0].strip().replace("-", "_") for part in (accept_language or "").split(",")]
    found = negotiate_locale([p for p in preferred if p], list(LANGUAGES))
    if found is None:
        # A regional tag (zh_CN, ru_KZ) counts for its language.
        found = next((p.split("_")[0] for p in preferred if p.split("_")[0] in LANGUAGES), None)
    return found or DEFAULT_LANGUAGE
