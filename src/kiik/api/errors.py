"""Errors are raised once in the domain and services and mapped to HTTP here, once."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError

from kiik.api import cites_errors
from kiik.custody.services.named_queries import QueryNameTaken
from kiik.custody.services.stock import InvalidSetting
from kiik.custody.services.subscriptions import SubscriptionError
from kiik.directory.domain.permissions import NotAllowed
from kiik.directory.services.auth import DirectoryError
from kiik.epcis.domain.identifiers import InvalidIdentifier
from kiik.errors import NotFound, QueryError, QueryTooLarge
from kiik.harvest.domain.authorisations import HarvestError
from kiik.harvest.services.sheet_import import IdempotencyKeyReused
from kiik.http.deps import CsrfRefused, Unauthenticated
from kiik.http.problems import problem
from kiik.partners.adapters.client import PartnerUnreachable


def install(app: FastAPI) -> None:
    @app.exception_handler(Unauthenticated)
    async def _unauthenticated(_: Request, exc: Unauthenticated) -> JSONResponse:
        return problem(401, "Unauthorized", str(exc), "SecurityException")

    @app.exception_handler(CsrfRefused)
    async def _csrf(_: Request, exc: CsrfRefused) -> JSONResponse:
        return problem(403, "Forbidden", str(exc), "SecurityException")

    @app.exception_handler(NotAllowed)
    async def _forbidden(_: Request, exc: NotAllowed) -> JSONResponse:
        return problem(403, "Forbidden", str(exc), "SecurityException")

    @app.exception_handler(NotFound)
    async def _not_found(_: Request, exc: NotFound) -> JSONResponse:
        return problem(404, "Not found", str(exc), "NoSuchResourceException")

    @app.exception_handler(SubscriptionError)
    async def _subscription(_: Request, exc: SubscriptionError) -> JSONResponse:
        return problem(400, "Invalid subscription", str(exc), "SubscriptionControlsException")

    @app.exception_handler(QueryTooLarge)
    async def _too_large(_: Request, exc: QueryTooLarge) -> JSONResponse:
        return problem(413, "Query too large", str(exc), "QueryTooLargeException")

    @app.exception_handler(QueryError)
    async def _bad_query(_: Request, exc: QueryError) -> JSONResponse:
        return problem(400, "Invalid query", str(exc), "QueryParameterException")

    @app.exception_handler(InvalidIdentifier)
    async def _bad_identifier(_: Request, exc: InvalidIdentifier) -> JSONResponse:
        return problem(400, "Invalid identifier", str(exc), "ValidationException")

    @app.exception_handler(QueryNameTaken)
    async def _name_taken(_: Request, exc: QueryNameTaken) -> JSONResponse:
        return problem(409, "Query name taken", str(exc), "ResourceAlreadyExistsException")

    @app.exception_handler(PartnerUnreachable)
    async def _unreachable(_: Request, exc: PartnerUnreachable) -> JSONResponse:
        detail = (
            f"the partner registry could not be reached: {exc}; check its base URL and that it is up, "
            "or give its published keys in the request"
        )
        return problem(502, "Partner registry unreachable", detail, "ImplementationException")

    @app.exception_handler(OperationalError)
    async def _database_down(_: Request, exc: OperationalError) -> JSONResponse:
        # The database cannot be reached or is busy (a restart, a failover, a lock held too long):
        # nothing was written by this request; the client may send it again.
        answer = problem(
            503,
            "Database unavailable",
            "the registry's database did not answer and the request did not complete: send it again in a "
            "few seconds (events already recorded are recognised, never stored twice)",
            "ImplementationException",
        )
        answer.headers["Retry-After"] = "5"
        return answer

    @app.exception_handler(InvalidSetting)
    async def _setting(_: Request, exc: InvalidSetting) -> JSONResponse:
        return problem(400, "Invalid setting", str(exc), "ValidationException")

    @app.exception_handler(DirectoryError)
    async def _directory(_: Request, exc: DirectoryError) -> JSONResponse:
        return problem(400, "Invalid request", str(exc), "ValidationException")

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"path": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        detail = "; ".join(f"{p['path']}: {p['message']}" for p in problems)
        return problem(400, "Invalid request", detail, "ValidationException", problems=problems)

    @app.exception_handler(HarvestError)
    async def _harvest(_: Request, exc: HarvestError) -> JSONResponse:
        return problem(400, "Invalid harvest request", str(exc), "ValidationException")

    @app.exception_handler(IdempotencyKeyReused)
    async def _key_reused(_: Request, exc: IdempotencyKeyReused) -> JSONResponse:
        return problem(422, "Idempotency key reused", str(exc), "ValidationException")

    cites_errors.install(app)
