"""The ASGI application: EPCIS 2.0 REST binding under /epcis, kiik's own API under /api, web pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from kiik.api import errors
from kiik.bootstrap.registry import Registry, build
from kiik.config import Settings
from kiik.http.limits import BodyLimits, RateLimits
from kiik.http.security_headers import EpcisHeaders, SecurityHeaders


def create_app(registry: Registry | None = None) -> FastAPI:
    registry = registry or build(Settings.from_env())
    app = FastAPI(
        title="kiik",
        version="0.1.0",
        description="National registry of legal wildlife trade: GS1 EPCIS 2.0 chain of custody.",
    )
    app.state.registry = registry
    errors.install(app)
    from kiik.api import (
        capture_routes,
        epcis_resources,
        item_routes,
        named_query_routes,
        query_routes,
        subscription_routes,
    )
    from kiik.web import pages
    from kiik.web.dashboard import dashboard_page
    from kiik.web.directory import account_pages, people_pages
    from kiik.web.floor import harvest_pages
    from kiik.web.inspection import item_page

    app.include_router(capture_routes.router)
    app.include_router(query_routes.router)
    app.include_router(epcis_resources.router)
    app.include_router(named_query_routes.router)
    app.include_router(subscription_routes.router)
    app.include_router(item_routes.router)
    app.include_router(pages.router)
    app.include_router(account_pages.router)
    app.include_router(people_pages.router)
    app.include_router(dashboard_page.router)
    # The lists behind the dashboard's figures (/lists/...).
    from kiik.web.dashboard import figure_lists, list_pages, passage_alerts, trade_lists
    from kiik.web.desk import proceeds_pages

    app.include_router(list_pages.router)
    app.include_router(figure_lists.router)
    app.include_router(trade_lists.router)  # legal trade and its proceeds
    app.include_router(passage_alerts.router)
    app.include_router(proceeds_pages.router)
    # The enforcement reviewer's work: leak alerts, seizure drafts, cases (docs/web.md).
    from kiik.web.inspection import case_pages, review_pages

    app.include_router(review_pages.router)
    app.include_router(case_pages.router)
    app.include_router(harvest_pages.router)
    from kiik.web.desk import desk_monitoring_pages, harvest_desk_pages, permit_desk_pages, register_pages
    from kiik.web.directory import organisation_pages, site_pages

    app.include_router(permit_desk_pages.router)  # the desk's pages (docs/web.md)
    app.include_router(register_pages.router)
    app.include_router(organisation_pages.router)
    app.include_router(site_pages.router)
    app.include_router(desk_monitoring_pages.router)
    app.include_router(harvest_desk_pages.router)
    # The floor's daily work (issue 14a): receive and ship, stock, processing, customs, seizures.
    from kiik.web.floor import floor_routes

    floor_routes.mount(app)
    _pages_answer_stale_forms_as_pages(app)
    app.include_router(item_page.router)
    from kiik.api import cites_report_routes, permit_routes, species_routes
    from kiik.web.desk import permit_pages

    app.include_router(species_routes.router)
    app.include_router(permit_routes.router)
    app.include_router(cites_report_routes.router)
    app.include_router(permit_pages.router)
    from kiik.api import harvest_routes

    app.include_router(harvest_routes.router)
    from kiik.api import animal_routes, stock_routes

    app.include_router(stock_routes.router)
    app.include_router(animal_routes.router)
    from kiik.api import audit_routes, log_routes

    app.include_router(audit_routes.router)

    app.include_router(log_routes.router)
    from kiik.api import partner_routes

    partner_routes.install(app)
    from kiik.api import monitoring_routes

    monitoring_routes.install(app)
    from kiik.api import enforcement_routes

    enforcement_routes.install(app)
    from kiik.web.desk import reconciliation_page

    app.include_router(reconciliation_page.router)
    from kiik.api import proceeds_routes, trade_routes
    from kiik.web.inspection import pack_page

    trade_routes.install(app)
    proceeds_routes.install(app)
    app.include_router(pack_page.router)
    app.mount("/static", StaticFiles(directory=Path(pages.__file__).parent / "static"), name="static")
    # Outermost last: headers on every answer, then rates, then body sizes, then the application.
    app.add_middleware(BodyLimits, settings=registry.settings)
    app.add_middleware(RateLimits, settings=registry.settings)
    app.add_middleware(
        EpcisHeaders,
        capture_limit=registry.settings.max_events_per_document,
        file_size_limit=registry.settings.max_document_bytes,
    )
    app.add_middleware(SecurityHeaders)
    return app


def _pages_answer_stale_forms_as_pages(app: FastAPI) -> None:
    """A refused CSRF token: a page for a browser's form, the JSON problem for everything else."""
    from starlette.requests import Request
    from starlette.responses import Response

    from kiik.http.deps import CsrfRefused
    from kiik.web.guard import stale_form

    json_answer = app.exception_handlers[CsrfRefused]

    async def answer(request: Request, exc: Exception) -> Response:
        if "text/html" in request.headers.get("accept", "") and not request.url.path.startswith(
            ("/api", "/epcis")
        ):
            return stale_form(request, str(exc))
        return await json_answer(request, exc)  # type: ignore[no-any-return]

    app.add_exception_handler(CsrfRefused, answer)


def create_worker_app() -> FastAPI:
    """The application of one of several worker processes (`kiik serve --workers N`), from the
    environment that `kiik serve` set; the long-lived start-up objects leave the collector's scans."""
    import gc

    app = create_app(build(Settings.from_env()))
    gc.freeze()
    return app
