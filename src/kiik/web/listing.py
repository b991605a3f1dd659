"""A list page's parts: its columns, its filters (read from the query string, each checked against
what it may be) and its pages. The list pages (`list_pages`) fill a `Listing`; `templates/list.html`
draws any of them: the filter form, the table (cards on a phone), the pager."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from kiik.web.i18n import N_
from kiik.web.rendering import render

PAGE_SIZE = 50


@dataclass(frozen=True)
class Column:
    label: str  # msgid
    key: str
    numeric: bool = False
    digits: int = 0
    words: dict[str, str] | None = None  # a code shown through this table of msgids (kiik.web.words)
    link: str | None = None  # the row's key holding this cell's link
    date: bool = False
    moment: bool = False  # a date and time


@dataclass
class Filter:
    name: str
    label: str  # msgid
    options: Sequence[tuple[str, str]]  # (value, shown: a msgid when `translate`, else as is)
    chosen: str = ""
    translate: bool = True
    error: str | None = None  # msgid


@dataclass
class Listing:
    path: str
    title: str  # msgid
    columns: Sequence[Column]
    filters: list[Filter]
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1
    page_error: bool = False
    note: str | None = None  # msgid under the title
    action: tuple[str, str] | None = None  # (address, msgid): a link to the list's form, e.g. open a case

    @property
    def problems(self) -> bool:
        return self.page_error or any(f.error for f in self.filters)

    def query(self, page: int) -> str:
        """This list's address at `page`, its filters kept."""
        chosen = [(f.name, f.chosen) for f in self.filters if f.chosen]
        return self.path + "?" + urlencode([*chosen, ("page", str(page))])


def chosen_filters(request: Request, filters: list[Filter]) -> list[Filter]:
    """Each filter's value from the query string; a value not among its options is refused (the
    filter's error says so) and the list shows nothing rather than something unfiltered."""
    for f in filters:
        value = request.query_params.get(f.name, "").strip()
        if value and value not in {v for v, _ in f.options}:
            f.error = N_("Not one of the choices: pick one from the list.")
        f.chosen = value
    return filters


def paged(request: Request, listing: Listing, rows: list[dict[str, Any]]) -> Listing:
    """The rows of the page the query string asks for (`page`, from 1)."""
    text = request.query_params.get("page", "1").strip() or "1"
    listing.total = len(rows)
    listing.pages = max(1, -(-len(rows) // PAGE_SIZE))
    if not text.isdigit() or not 1 <= int(text) <= listing.pages:
        listing.page_error = True
        return listing
    listing.page = int(text)
    start = (listing.page - 1) * PAGE_SIZE
    listing.rows = rows[start : start + PAGE_SIZE]
    return listing


def show(request: Request, listing: Listing, rows: list[dict[str, Any]]) -> Response:
    """The list page (`templates/list.html`): 400 with the filter's error, or the page asked for."""
    if any(f.error for f in listing.filters):
        return render(request, "list.html", {"listing": listing}, 400)
    listing = paged(request, listing, rows)
    return render(request, "list.html", {"listing": listing}, 400 if listing.page_error else 200)
