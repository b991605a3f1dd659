"""The catalogs hold every string the pages use: a template or page module that marks a string no
catalog translates fails here, and so does a translation whose placeholders differ from its msgid."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from kiik.web.i18n import LOCALE_DIR, PUBLIC_LANGUAGES, STAFF_LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
# The public pages (and the layout they share) are translated into Chinese too.
PUBLIC_TEMPLATES = ("base.html", "item_public.html", "verify_permit.html")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def used_strings() -> dict[str, set[str]]:
    """msgid -> the files that use it, as `make messages` extracts them."""
    with (ROOT / "src/kiik/web/babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    used: dict[str, set[str]] = {}
    for filename, _, message, _, _ in extract_from_dir(ROOT, method_map, options_map):
        msgid = message if isinstance(message, str) else message[0]
        used.setdefault(msgid, set()).add(Path(filename).name)
    return used


def catalog(language: str) -> dict[str, str]:
    """msgid -> its translation ("" when missing); a plural entry counts only with all its forms."""
    found = {}
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        for m in read_po(po, locale=language):
            if isinstance(m.id, tuple):
                found[m.id[0]] = " ".join(m.string) if all(m.string) else ""
            elif m.id:
                found[m.id] = m.string
    return found


USED = used_strings()
SOURCE = ROOT / "src/kiik"
# A module outside the web application that words its messages (`from kiik.errors import N_`).
WORDS_MESSAGES = re.compile(r"^from kiik\.errors import .*\bN_\b|^from kiik import errors$", re.MULTILINE)


def test_every_module_that_words_its_messages_is_extracted() -> None:
    """A service module whose messages are `kiik.errors.Wording`s is in babel.cfg, so that `make
    messages` puts its templates in the catalogs (and the test below finds them untranslated)."""
    config = (ROOT / "src/kiik/web/babel.cfg").read_text()
    listed = set(re.findall(r"^\[python: (src/kiik/(?!web/)[\w/]+\.py)\]$", config, re.MULTILINE))
    wording = {
        str(path.relative_to(ROOT))
        for path in SOURCE.rglob("*.py")
        if "web" not in path.relative_to(SOURCE).parts[:1] and WORDS_MESSAGES.search(path.read_text())
    }
    assert wording - listed == set(), "add these modules to src/kiik/web/babel.cfg and run `make messages`"
    extracted = {name for files in USED.values() for name in files}
    assert {Path(module).name for module in listed} <= extracted  # each gives the catalogs its sentences
    assert {"check.py", "checks.py", "lifecycle.py", "people.py", "census_csv.py"} <= extracted
    assert "%(key)s cannot be shipped: %(reason)s" in USED and "it is seized" in USED


def test_the_pages_mark_their_strings() -> None:
    assert len(USED) > 50 and "Log in" in USED and "held" in USED  # templates and page modules both


@pytest.mark.parametrize("language", [code for code in STAFF_LANGUAGES if code != "en"])
def test_every_string_of_the_pages_is_translated(language: str) -> None:
    translated = {msgid for msgid, text in catalog(language).items() if text}
    missing = sorted(set(USED) - translated)
    hint = "run `make messages` and translate them"
    assert not missing, f"{language} lacks {len(missing)} strings ({hint}): {missing}"


def test_the_public_pages_are_translated_into_chinese() -> None:
    assert "zh" in PUBLIC_LANGUAGES
    translated = {msgid for msgid, text in catalog("zh").items() if text}
    public = {msgid for msgid, files in USED.items() if files & set(PUBLIC_TEMPLATES)}
    assert "Legal origin: yes" in public
    assert not sorted(public - translated), "zh lacks strings of the public pages"


@pytest.mark.parametrize("language", ["kk", "ru", "zh"])
def test_translations_keep_their_placeholders(language: str) -> None:
    for msgid, text in catalog(language).items():
        if text:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(msgid)), (language, msgid)
