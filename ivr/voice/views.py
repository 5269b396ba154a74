"""The webhook views: thin adapters from Twilio's requests to the call engine."""

from collections.abc import Callable
from typing import Any

from flask import Response, abort, current_app, request
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from ivr.callflow.answers import Event
from ivr.extensions import current_line, db
from ivr.texts.outbox import delivery_reported
from ivr.upkeep import spool
from ivr.voice import bp
from ivr.voice.deadline import start_clock, stop_clock
from ivr.voice.form import call_sid, cleaned, event_from, printable
from ivr.voice.signature import twilio_signed
from ivr.voice.transcription import transcribed
from ivr.voice.turn import call_ended, take_turn
from ivr.voice.twiml import apology
from ivr.voice.urls import answer_url, webhook_at

bp.before_request(start_clock)
bp.teardown_request(stop_clock)


def _twiml(body: str) -> Response:
    return Response(body, mimetype="text/xml")


def _again_if_the_connection_died(work: Callable[..., Any], *args: Any) -> Any:
    """Do a webhook's database work, and once more on a fresh connection if the pooled one had died (the database
    restarted since it was last used): a voice worker's pool does not ping each connection before lending it.

    Running it again is safe: a dead connection's transaction was rolled back, and had the commit gone through,
    the turn finds its answer already kept and gives it again.
    """
    try:
        return work(*args)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        current_app.logger.warning("a database connection had closed: taking the webhook again on a new one")
        db.session.rollback()
        return work(*args)


def _form_or_400() -> dict[str, str]:
    """The request's parameters, cleaned; a request without a proper CallSid is refused."""
    if call_sid(request.form) is None:
        current_app.logger.warning("webhook without a valid CallSid")
        abort(400)
    return cleaned(request.form)


@bp.post("/incoming")
@twilio_signed
def incoming() -> Response:
    """Twilio's Voice URL: a new call."""
    form = _form_or_400()
    return _twiml(_again_if_the_connection_died(take_turn, current_line(), form, Event("start"), None, answer_url))


@bp.post("/answer")
@twilio_signed
def answer() -> Response:
    """What the caller keyed, said or recorded, or that they gave nothing."""
    form = _form_or_400()
    seq = request.args.get("seq", type=int)
    return _twiml(_again_if_the_connection_died(take_turn, current_line(), form, event_from(form), seq, answer_url))


@bp.post("/status")
@twilio_signed
def status() -> Response:
    """Twilio's status callback: the call has ended."""
    form = _form_or_400()
    _again_if_the_connection_died(call_ended, form)
    return Response(status=204)


@bp.post("/text-status")
@twilio_signed
def text_status() -> Response:
    """Twilio's status callback for a text receipt: sent, delivered, or why not."""
    _again_if_the_connection_died(delivery_reported, request.form, request.args.get("outbox", type=int))
    return Response(status=204)


@bp.post("/transcription")
@twilio_signed
def transcription() -> Response:
    """Twilio's transcribeCallback: an existing patient's message as text, kept and heard for risk."""
    _again_if_the_connection_died(transcribed, current_line().book, cleaned(request.form))
    return Response(status=204)


@bp.post("/fallback")
@twilio_signed
def fallback() -> Response:
    """Twilio's fallback URL, when a webhook failed or timed out: apologise and keep it, with no database."""
    sid = call_sid(request.form)
    current_app.logger.error(
        "Twilio used the fallback URL for call %s: error %s at %s", sid or "?",
        printable(request.form.get("ErrorCode", ""), 16) or "?", printable(request.form.get("ErrorUrl", ""), 200))
    if sid is not None:
        try:
            kind, seq = webhook_at(request.form.get("ErrorUrl", "")) or (spool.FALLBACK, None)
            spool.keep(kind, cleaned(request.form), seq)
        except spool.NotKept:
            pass  # the spool logged why
        except OSError:
            current_app.logger.exception("could not spool call %s: its answer is lost", sid)
    return _twiml(apology(current_line().prompts))


@bp.errorhandler(Exception)
def sorry(error: Exception) -> Response:
    """Whatever went wrong, the caller hears an apology and the other ways to get help."""
    if isinstance(error, HTTPException):
        return error
    current_app.logger.exception("webhook failed for call %s", call_sid(request.form) or "?")
    try:
        db.session.rollback()
    except Exception:  # a connection that died mid-request cannot even roll back
        current_app.logger.warning("could not roll back after a failed webhook")
    _keep_for_later()
    return _twiml(apology(current_line().prompts))


def _keep_for_later() -> None:
    """Spool what the caller gave, so it is replayed into the database when it is back: only if Twilio's signature
    on it was verified (the spool refuses any other) and the spool has room."""
    if call_sid(request.form) is None or request.endpoint is None:
        return
    kind = request.endpoint.rsplit(".", 1)[-1]  # incoming, answer, status or transcription
    try:
        spool.keep(kind, cleaned(request.form), request.args.get("seq", type=int))
    except spool.NotKept:
        pass  # the spool logged why
    except OSError:
        current_app.logger.exception("could not spool call %s: its answer is lost", call_sid(request.form))
