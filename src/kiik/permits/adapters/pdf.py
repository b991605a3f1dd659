"""The permit as a PDF in the layout of the standard CITES form, with its QR code and signature.

fpdf2 draws the boxes of `kiik.permits.domain.form` on an A4 page; segno makes the QR code, drawn as
vector squares (no image library involved). The signed permit document (JWS) is embedded in the
PDF as an uncompressed attachment `<number>.jws`, so it can be taken out and checked offline with
the registry's public key; box 13 prints the key id and the start of the signature.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import segno
from fpdf import FPDF

from kiik.permits.domain.form import (
    CLOSING_BOXES,
    DOCUMENT_BOXES,
    LINE_BOXES,
    closing_boxes,
    document_boxes,
    line_boxes,
)

PAGE_WIDTH, MARGIN = 210.0, 10.0
WIDTH = PAGE_WIDTH - 2 * MARGIN
QR_SIZE = 46.0


FONTS = Path(__file__).with_name("fonts")  # filled by `make install` from the npm registry
FAMILY = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


class FontsMissing(RuntimeError):
    """The permit font is not installed (run `make install`)."""


def _add_fonts(pdf: FPDF) -> None:
    """DejaVu Sans, embedded (only the letters used): names and addresses in Kazakh and Russian
    print as written, where the PDF core fonts, Latin-1 only, would print '?'."""
    for style, name in FONT_FILES.items():
        path = FONTS / name
        if not path.is_file():
            raise FontsMissing(f"the permit font {path} is missing: `make install` installs it (from npm)")
        pdf.add_font(FAMILY, style, str(path))


class _Form:
    def __init__(self, title: str, issued: datetime | None) -> None:
        self.pdf = FPDF(format="A4", unit="mm")
        _add_fonts(self.pdf)
        self.pdf.set_margins(MARGIN, MARGIN, MARGIN)
        self.pdf.set_auto_page_break(True, margin=MARGIN)
        if issued is not None:
            self.pdf.set_creation_date(issued)
        self.pdf.set_title(title)
        self.pdf.set_author("kiik - national registry of legal wildlife trade, Kazakhstan")
        self.pdf.add_page()

    def heading(self, text: str, size: float = 11) -> None:
        self.pdf.set_font(FAMILY, "B", size)
        self.pdf.multi_cell(WIDTH, 5, text, align="C", new_x="LMARGIN", new_y="NEXT")

    def box(self, x: float, y: float, w: float, number: str, caption: str, content: str) -> float:
        """One box at (x, y), `w` wide; returns its height."""
        pdf = self.pdf
        pdf.set_xy(x + 1, y + 1)
        pdf.set_font(FAMILY, "B", 6.5)
        pdf.multi_cell(w - 2, 3, f"{number}. {caption}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(x + 1)
        pdf.set_font(FAMILY, "", 8)
        pdf.multi_cell(w - 2, 3.6, content or "-", new_x="LMARGIN", new_y="NEXT")
        height = max(pdf.get_y() - y + 1, 10)
        pdf.rect(x, y, w, height)
        return height

    def row(self, boxes: list[tuple[str, str, str]], widths: list[float]) -> None:
        y, x, tallest = self.pdf.get_y(), MARGIN, 0.0
        if y > 260:
            self.pdf.add_page()
            y = self.pdf.get_y()
        heights = []
        for (number, caption, content), w in zip(boxes, widths, strict=True):
            heights.append(self.box(x, y, w, number, caption, content))
            x += w
        tallest = max(heights)
        x = MARGIN
        for h, w in zip(heights, widths, strict=True):
            if h < tallest:
                self.pdf.rect(x, y + h, w, tallest - h)
            x += w
        self.pdf.set_xy(MARGIN, y + tallest)

    def qr(self, content: str, x: float, y: float, size: float) -> None:
        code = segno.make(content, error="m")
        matrix = [list(row) for row in code.matrix]
        module = size / (len(matrix) + 8)
        self.pdf.set_fill_color(0, 0, 0)
        for r, row in enumerate(matrix):
            for c, bit in enumerate(row):
                if bit:
                    self.pdf.rect(x + (c + 4) * module, y + (r + 4) * module, module, module, style="F")


def render_permit_pdf(payload: Mapping[str, Any], signed_document: str, verify_url: str) -> bytes:
    issued_at = payload.get("issued", {}).get("at")
    issued = datetime.fromisoformat(issued_at.rstrip("Z")).replace(tzinfo=UTC) if issued_at else None
    form = _Form(f"CITES permit {payload['number']}", issued)
    form.heading("CONVENTION ON INTERNATIONAL TRADE IN ENDANGERED SPECIES OF WILD FAUNA AND FLORA", 9)
    form.heading(f"{str(payload.get('kind', 'export')).upper()} PERMIT  {payload['number']}", 13)
    form.pdf.ln(2)
    captions = dict(DOCUMENT_BOXES + LINE_BOXES + CLOSING_BOXES)
    doc = document_boxes(payload)
    half = WIDTH / 2
    for left, right in (("1", "2"), ("3", "4"), ("3a", "6"), ("5", "5a")):
        form.row([(left, captions[left], doc[left]), (right, captions[right], doc[right])], [half, half])
    form.row([("5b", captions["5b"], doc["5b"])], [WIDTH])
    for line in payload.get("lines", ()):
        boxes = line_boxes(line)
        form.pdf.set_font(FAMILY, "B", 8)
        form.pdf.cell(WIDTH, 5, f"Line {line['line']}", new_x="LMARGIN", new_y="NEXT")
        form.row([(n, captions[n], boxes[n]) for n in ("7/8", "10")], [half, half])
        form.row([("9", captions["9"], boxes["9"])], [WIDTH])
        form.row([(n, captions[n], boxes[n]) for n in ("11", "11a", "12")], [WIDTH / 3] * 3)
        form.row([(n, captions[n], boxes[n] or "-") for n in ("12a", "12b")], [half, half])
    closing = closing_boxes(payload)
    signature = signed_document.rsplit(".", 1)[-1]
    closing["13"] += f"; signature {signature[:24]}...; signed document attached as {_file(payload)}"
    text_width = WIDTH - QR_SIZE - 2
    top = form.pdf.get_y()
    if top > 297 - MARGIN - QR_SIZE - 10:
        form.pdf.add_page()
        top = form.pdf.get_y()
    for number in ("13", "14", "15"):
        form.pdf.set_x(MARGIN)
        form.row([(number, captions[number], closing[number])], [text_width])
    form.qr(verify_url, MARGIN + text_width + 2, top, QR_SIZE)
    form.pdf.link(MARGIN + text_width + 2, top, QR_SIZE, QR_SIZE, verify_url)  # the QR is clickable too
    form.pdf.set_xy(MARGIN + text_width + 2, top + QR_SIZE)
    form.pdf.set_font(FAMILY, "", 6)
    form.pdf.multi_cell(QR_SIZE, 2.5, "Scan to verify (signed seal; offline with the registry's public key)")
    form.pdf.embed_file(
        bytes=signed_document.encode("ascii"),
        basename=_file(payload),
        desc="Signed permit document (JWS compact, EdDSA/Ed25519)",
        compress=False,
        modification_date=issued,
    )
    return bytes(form.pdf.output())


def _file(payload: Mapping[str, Any]) -> str:
    return str(payload["number"]).replace("/", "-") + ".jws"
