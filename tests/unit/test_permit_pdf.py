"""The permit PDF prints names as written: Kazakh and Russian letters included, not '?'."""

from __future__ import annotations

import re
import zlib

from kiik.permits.adapters.pdf import FONTS, render_permit_pdf

KAZAKH_NAME = "«Сайғақ» ЖШС, Қазақстан"  # ғ (U+0493) and Қ, қ (U+049A, U+049B) are Kazakh, not Russian
RUSSIAN_ADDRESS = "ул. Абая, 10, Алматы"


def _payload() -> dict[str, object]:
    return {
        "number": "KZ/2026/000001",
        "kind": "export",
        "valid_until": "2026-12-31",
        "importer": {"name": "Tongrentang Import Co.", "address": "Beijing", "country": "CN"},
        "exporter": {"name": KAZAKH_NAME, "address": RUSSIAN_ADDRESS, "country": "KZ"},
        "management_authority": {"name": "Комитет лесного хозяйства и животного мира", "country": "KZ"},
        "purpose": "T",
        "lines": [],
        "issued": {"at": "2026-11-22T10:00:00Z", "place": "Астана"},
        "key_id": "key-0000000000000000",
    }


def _unicode_maps(pdf: bytes) -> bytes:
    """Every stream of the PDF that decompresses, joined: the fonts' ToUnicode maps among them."""
    found = b""
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            found += zlib.decompress(stream)
        except zlib.error:
            found += stream
    return found


def test_the_permit_font_is_installed() -> None:
    assert (FONTS / "DejaVuSans.ttf").is_file() and (FONTS / "DejaVuSans-Bold.ttf").is_file(), (
        "run `make install`: it installs the permit font from npm"
    )


def test_kazakh_and_russian_letters_are_embedded_as_glyphs() -> None:
    pdf = render_permit_pdf(_payload(), "eyJhbGciOiJFZERTQSJ9.e30.c2ln", "https://kiik.example/verify/permit/x")
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf and b"DejaVuSans" in pdf
    maps = _unicode_maps(pdf).upper()
    for letter in "ғҚқСЖШАбяКомитет":
        code = f"{ord(letter):04X}"
        assert code.encode() in maps, f"{letter} (U+{code}) is not in the PDF's fonts"
