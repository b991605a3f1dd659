"""Errors as the EPCIS REST binding answers them: RFC 7807 problem details (`application/problem+json`)."""

from __future__ import annotations

from fastapi.responses import JSONResponse

# EPCIS REST binding error types (RFC 7807 problem details).
EPCIS_EXCEPTION = "epcisException:"


def problem(status: int, title: str, detail: str, type_: str, **extra: object) -> JSONResponse:
    body = {"type": EPCIS_EXCEPTION + type_, "title": title, "status": status, "detail": detail, **extra}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type="application/problem+json", headers=headers)
