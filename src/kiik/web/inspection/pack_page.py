"""`GET /01/{gtin}/10/{batch}`: where a meat pack's QR code leads (a GS1 Digital Link on kiik's host).

The public check of the pack's lot, in Kazakh, Russian, English or Chinese (`?lang=`, else the
browser's languages); no account needed. The words come from trade's own gettext catalogs.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from kiik.epcis.domain.identifiers import InvalidIdentifier
from kiik.errors import NotFound
from kiik.http.deps import get_registry
from kiik.trade.adapters.translations import choose_language, gettext
from kiik.trade.domain.errors import TradeError
from kiik.trade.services.pack_check import check_pack_code
from kiik.web.rendering import TEMPLATE_FOLDER

# The pack check is a page of its own (no menu, no session), worded from trade's catalogs: it does
# not go through the staff pages' context (kiik.web.rendering), whose words would replace its own.
templates = Jinja2Templates(directory=TEMPLATE_FOLDER)

router = APIRouter(include_in_schema=False)

# Each language named in itself, for the switch at the top of the page.
LANGUAGE_NAMES = (("kk", "Қазақша"), ("ru", "Русский"), ("en", "English"), ("zh", "中文"))


@router.get("/01/{gtin}/10/{batch}", response_class=HTMLResponse)
def pack_page(request: Request, gtin: str, batch: str, lang: str | None = None) -> Response:
    language = choose_language(lang, request.headers.get("accept-language"))
    code = f"https://id.gs1.org/01/{gtin}/10/{batch}"
    context = {
        "_": gettext(language),
        "language": language,
        "languages": LANGUAGE_NAMES,
        "code": code,
        "check": None,
        "invalid": False,
    }
    status = 200
    try:
        context["check"] = check_pack_code(get_registry(request).uow(), code, datetime.now(UTC).date())
    except NotFound:
        status = 404
    except (InvalidIdentifier, TradeError):
        context["invalid"], status = True, 400
    response = templates.TemplateResponse(request, "pack_check.html", context, status_code=status)
    response.headers["Content-Language"] = language
    return response
