"""How the species, quota and permit errors are answered over HTTP (installed once by api/errors.py)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from kiik.http.problems import problem
from kiik.ledger.domain.signed_documents import BadSignedDocument
from kiik.permits.domain.lifecycle import PermitError, TransitionRefused
from kiik.permits.services.ports import PermitRefused
from kiik.species.domain.quotas import QuotaError
from kiik.species.domain.species import RegisterError


def install(app: FastAPI) -> None:
    @app.exception_handler(PermitRefused)
    async def _refused(_: Request, exc: PermitRefused) -> JSONResponse:
        return problem(
            422, "Refused by the automatic checks", str(exc), "ValidationException", problems=exc.to_json()
        )

    @app.exception_handler(TransitionRefused)
    async def _transition(_: Request, exc: TransitionRefused) -> JSONResponse:
        return problem(409, "Transition not in the permit lifecycle", str(exc), "ValidationException")

    for error in (PermitError, RegisterError, QuotaError, BadSignedDocument):

        @app.exception_handler(error)
        async def _invalid(_: Request, exc: Exception) -> JSONResponse:
            return problem(400, "Invalid request", str(exc), "ValidationException")
