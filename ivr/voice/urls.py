"""The line's webhook URLs in one place: where a caller's next answer goes, and which webhook a URL names."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

from flask import current_app, has_request_context, request

SPOOLED = ("incoming", "answer", "status")  # the webhooks whose requests are kept through a fault


def answer_url(seq: int, step: str | None = None) -> str:
    """Where the caller's answer to turn `seq` goes (as url_for would write it, cheaper: every turn asks);
    outside a request (a spool replay) as a bare path.

    `step` names the step asking, for whoever reads the URL (Twilio's debugger, a pretend caller answering by
    step); the line itself goes by the call's row, never by it."""
    path = current_app.extensions.get("ivr_answer_path")
    if path is None:
        path = current_app.extensions["ivr_answer_path"] = current_app.url_map.bind("").build("voice.answer")
    where = f"&step={quote(step)}" if step else ""
    return f"{request.script_root if has_request_context() else ''}{path}?seq={seq}{where}"


def transcription_url() -> str:
    """Where Twilio posts a recorded message's transcript (a path: Twilio takes it relative to the call's URL)."""
    path = current_app.extensions.get("ivr_transcription_path")
    if path is None:
        path = current_app.extensions["ivr_transcription_path"] = current_app.url_map.bind("").build(
            "voice.transcription")
    return f"{request.script_root if has_request_context() else ''}{path}"


def webhook_at(url: str) -> tuple[str, int | None] | None:
    """Which of our spooled webhooks a URL (Twilio's ErrorUrl) is, with its seq; None if none of them."""
    parts = urlsplit(url or "")
    path = parts.path.rstrip("/")
    routes = current_app.url_map.bind("")
    kind = next((kind for kind in SPOOLED if path.endswith(routes.build(f"voice.{kind}"))), None)
    if kind is None:
        return None
    seq = parse_qs(parts.query).get("seq", [""])[0]
    return kind, int(seq) if seq.isascii() and seq.isdigit() and len(seq) < 6 else None
