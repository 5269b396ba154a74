"""Security headers on every response the app gives: staff pages, Twilio's webhooks, and any error or 404.

They are added where the response leaves the app (WSGI's start_response), as one list: every webhook pays for
them, and setting nine headers one by one on each Response object cost a webhook about as much as its TwiML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Flask, current_app, request

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; media-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# A year, as browsers' preload lists ask; not includeSubDomains: other services may share the domain.
STRICT_TRANSPORT_SECURITY = ("Strict-Transport-Security", "max-age=31536000")
ALWAYS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # same-origin, not no-referrer: over HTTPS the CSRF check wants our own Referer on posts.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# Nothing personal may be cached, and a TwiML answer says a caller's name back: nothing is stored, but the
# dashboard's CSS (CACHED_PATHS).
NOT_STORED = [("Cache-Control", "no-store"), ("Pragma", "no-cache")]
CACHED_PATHS = ("/staff/static/",)
OURS = {name.lower() for name in [*ALWAYS, STRICT_TRANSPORT_SECURITY[0], *(name for name, _ in NOT_STORED)]}


class SecurityHeaders:
    """WSGI middleware: our headers replace any of the same name the response has. HSTS goes on when the line is
    served over HTTPS: configured so, a public https:// address, or this request came so (behind ProxyFix, when
    TRUST_PROXY is set, the scheme the browser used)."""

    def __init__(self, wsgi_app: Callable, https: bool):
        self.wsgi_app, self.https = wsgi_app, https
        self.always = list(ALWAYS.items())
        self.secure = [*self.always, STRICT_TRANSPORT_SECURITY]

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        def with_headers(status: str, headers: list[tuple[str, str]], exc_info=None):
            secure = self.https or environ.get("wsgi.url_scheme") == "https"
            ours = self.secure if secure else self.always
            if not environ.get("PATH_INFO", "").startswith(CACHED_PATHS):
                ours = ours + NOT_STORED
            kept = [header for header in headers if header[0].lower() not in OURS]
            return start_response(status, kept + ours, exc_info)

        return self.wsgi_app(environ, with_headers)


def configured_for_https(config: dict) -> bool:
    """Whether the line is configured to be reached over HTTPS: secure cookies asked for, or an https:// address."""
    return bool(config["SESSION_COOKIE_SECURE"]) or config["PUBLIC_BASE_URL"].startswith("https://")


def served_over_https() -> bool:
    """Whether this request reached us over HTTPS, or the line is configured so (the staff session's cookie)."""
    return configured_for_https(current_app.config) or request.is_secure


def init_app(app: Flask) -> None:
    """Send the headers on every response, including those for URLs no blueprint owns (404s, 405s, 400s)."""
    app.wsgi_app = SecurityHeaders(app.wsgi_app, configured_for_https(app.config))
