"""GET /verify/permit/{number}: where a permit's QR code points; a page for people, JSON for machines.

No token is needed: the public sees the minimum. A token (Bearer header) or a person's session of
customs, the partner authority, the ministry, the inspectorate or the exporter shows the details.
JSON is answered to `Accept: application/json` or `?format=json`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from kiik.http.deps import get_registry
from kiik.permits.domain.lifecycle import PermitError
from kiik.permits.services.verification import verify_permit
from kiik.web.guard import Visitor
from kiik.web.rendering import public_page, render

router = APIRouter(tags=["Permits"])


@router.get("/verify/permit/{number:path}", summary="Verify a permit (page or JSON); the QR code points here")
def verify_page(
    request: Request, principal: Visitor, number: str, seal: str | None = None, format: str | None = None
) -> Response:
    wants_json = format == "json" or "application/json" in request.headers.get("accept", "")
    try:
        answer: dict[str, Any] = verify_permit(get_registry(request).uow(), principal, number, seal=seal)
    except PermitError as exc:
        answer = {"number": number, "found": False, "verdict": "invalid number", "summary": str(exc)}
    status = 200 if answer["found"] else 404
    if wants_json:
        return JSONResponse(answer, status_code=status)
    context = {
        "principal": principal,
        "answer": answer,
        # Dates for the page to write in its language.
        "valid_until": date.fromisoformat(answer["valid_until"]) if answer.get("valid_until") else None,
        "issued_at": date.fromisoformat(answer["issued_at"][:10]) if answer.get("issued_at") else None,
    }
    public_page(request)
    return render(request, "verify_permit.html", context, status_code=status)
