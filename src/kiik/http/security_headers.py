"""Security headers on every answer: no sniffing of content types, no referrer beyond this site, no
framing, and on pages a Content-Security-Policy that allows nothing inline and nothing from
elsewhere (the pages have no inline script or style; their CSS and scripts are served from /static).
'wasm-unsafe-eval' lets the scanning pages' camera reader compile its WebAssembly (served from
/static/vendor too); it allows no JavaScript eval.

FastAPI's interactive API documentation (/docs, /redoc) is the one exception: it is a page of
inline script that loads Swagger UI from a CDN, so its policy allows exactly that.
"""

from __future__ import annotations

from kiik.http.asgi import ASGIApp, Receive, Scope, Send, adding_headers

PAGE_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")
COMMON = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
)


class SecurityHeaders:
    """ASGI middleware adding the headers to every HTTP answer that does not set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        policy = DOCS_POLICY if path.startswith(DOCS_PATHS) else PAGE_POLICY
        headers = (*COMMON, (b"content-security-policy", policy.encode()))
        await self.app(scope, receive, adding_headers(send, headers))


class EpcisHeaders:
    """The headers the EPCIS 2.0 REST binding names, on every answer under /epcis (errors too): the
    versions, the extensions (none), and the capture limits a client must respect."""

    def __init__(self, app: ASGIApp, capture_limit: int, file_size_limit: int) -> None:
        self.app = app
        self.headers = (
            (b"gs1-epcis-version", b"2.0.0"),
            (b"gs1-cbv-version", b"2.0.0"),
            (b"gs1-extensions", b""),
            (b"gs1-epcis-capture-limit", str(capture_limit).encode()),
            (b"gs1-epcis-capture-file-size-limit", str(file_size_limit).encode()),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith("/epcis"):
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, adding_headers(send, self.headers))
