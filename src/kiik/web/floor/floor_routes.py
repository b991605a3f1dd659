"""The floor's pages, mounted together: warehouse and plant (receive, ship, stock, processing),
customs (endorse an export, record an arrival) and the inspector (scan, seizure, a file of seizures)."""

from __future__ import annotations

from fastapi import FastAPI

from kiik.web.floor import customs_pages, floor_pages, processing_pages
from kiik.web.inspection import seizure_file_pages, seizure_pages


def mount(app: FastAPI) -> None:
    for module in (floor_pages, processing_pages, customs_pages, seizure_pages, seizure_file_pages):
        app.include_router(module.router)
