"""Security headers on every response the app gives: staff pages, Twilio's webhooks, and any error or 404."""

from __future__ import annotations

from flask import Flask, Response, current_app, request

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; media-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# A year, as browsers' preload lists ask; not includeSubDomains: other services may share the domain.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"
ALWAYS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # same-origin, not no-referrer: over HTTPS the CSRF check wants our own Referer on posts.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
CACHED = {"staff.static"}  # the dashboard's CSS: the only thing a browser may keep


def served_over_https() -> bool:
    """Whether we are reached over HTTPS: configured so, a public https:// address, or this request is."""
    config = current_app.config
    return (bool(config["SESSION_COOKIE_SECURE"]) or config["PUBLIC_BASE_URL"].startswith("https://")
            or request.is_secure)  # behind ProxyFix (TRUST_PROXY), the scheme the browser used


def secured(response: Response) -> Response:
    """Every response: the headers the staff pages need, harmless to Twilio; nothing personal may be cached.
    A TwiML answer says a caller's name back, so it is not stored either."""
    response.headers.update(ALWAYS)
    if served_over_https():
        response.headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    if request.endpoint not in CACHED:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def init_app(app: Flask) -> None:
    """Send the headers on every response, including those for URLs no blueprint owns (404s, 405s, 400s)."""
    app.after_request(secured)
