"""Interpreter to the team: a caller who asked for an interpreter is put through with the language whispered to
whoever answers, and the service's interpreting provider conferenced in where settings.yaml has one.

Without a provider (or without Twilio's REST API to call it): <Dial><Number url> to reception, the url a webhook
whose TwiML Twilio runs on the answering phone's end before the two are connected
(https://www.twilio.com/docs/voice/twiml/number#url). With one: the caller's turn redirects here, the provider (its
access code keyed by SendDigits) and reception are rung through the REST API, each told to join a named
<Conference>, and the caller joins it (https://www.twilio.com/docs/voice/twiml/conference). Nobody at reception
answering moves the caller on to what follows an unanswered call, as a plain <Dial> does.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from flask import Response, current_app, has_request_context, request
from twilio.twiml.voice_response import Dial, VoiceResponse

from ivr import twilio_api
from ivr.callflow.actions import Dial as DialAction
from ivr.callflow.prompts import Prompts
from ivr.extensions import current_line
from ivr.voice import bp
from ivr.voice.form import call_sid, cleaned
from ivr.voice.signature import twilio_signed
from ivr.voice.twiml import as_xml
from ivr.voice.urls import answer_url

# A status callback's CallStatus for a call that was never answered
# (https://www.twilio.com/docs/voice/api/call-resource#statuscallback).
NOT_ANSWERED = {"busy", "no-answer", "failed", "canceled"}


def conferencing(prompts: Prompts) -> bool:
    """Whether the provider can be called in: it is set, and so are Twilio's account and our public address (the
    REST API takes absolute URLs only)."""
    config = current_app.config
    return prompts.interpreting is not None and bool(
        config.get("TWILIO_ACCOUNT_SID") and config.get("TWILIO_AUTH_TOKEN") and config.get("PUBLIC_BASE_URL"))


def render_dial(response: VoiceResponse, dial: DialAction, prompts: Prompts, language: str | None,
                answer_to: str) -> None:
    """The interpreter's dial in a turn's TwiML: to the conference (by our webhook, which places the calls), or
    straight to reception with the language whispered."""
    if conferencing(prompts):
        query = f"{urlsplit(answer_to).query}&to={quote(dial.number)}"
        query += f"&language={quote(language)}" if language else ""
        response.redirect(f"{_path('voice.interpreter')}?{query}", method="POST")
    else:
        whispered(response, prompts.dial_number(dial.number), dial.timeout, language, answer_to)


def whispered(response: VoiceResponse, number: str, timeout: int, language: str | None, answer_to: str) -> None:
    """<Dial> to `number`, its <Number url> the whisper: the action gets DialCallStatus when the call ends, as any
    other dial's (https://www.twilio.com/docs/voice/twiml/dial#action)."""
    dial = Dial(action=answer_to, method="POST", timeout=timeout)
    whisper = _path("voice.whisper") + (f"?language={quote(language)}" if language else "")
    dial.number(number, url=whisper, method="POST")
    response.append(dial)


def _path(endpoint: str) -> str:
    """One of our webhooks as a path: Twilio takes it relative to the URL of the TwiML that names it (outside a
    request, a spool replay's turn, as a bare path)."""
    return (request.script_root if has_request_context() else "") + current_app.url_map.bind("").build(endpoint)


def _language(prompts: Prompts) -> str | None:
    """The language named in the request's query, if it is one of settings.yaml's interpreter languages."""
    named = request.args.get("language", "")
    return named if named in set(prompts.languages.values()) else None


# What staff hear, by (a language named, the provider called in too).
WHISPERS = {(True, False): "staff_whisper.language", (False, False): "staff_whisper.unknown",
            (True, True): "staff_whisper.provider", (False, True): "staff_whisper.provider_unknown"}


def _words(prompts: Prompts, language: str | None, conference: bool) -> str:
    return prompts.text((WHISPERS[bool(language), conference],), {"interpreter_language": language or ""})


def _twiml(response: VoiceResponse) -> Response:
    return Response(as_xml(response), mimetype="text/xml")


@bp.post("/whisper")
@twilio_signed
def whisper() -> Response:
    """<Number url>: said to the member of staff who answered, before the caller is put through; the caller hears
    nothing of it. Twilio sends the answered call's own request parameters, ParentCallSid the caller's call."""
    prompts = current_line().prompts
    response = VoiceResponse()
    response.say(_words(prompts, _language(prompts), conference=False), voice=prompts.voice, language=prompts.language)
    return _twiml(response)


@bp.post("/interpreter")
@twilio_signed
def interpreter() -> Response:
    """The caller's turn redirected here: ring the provider and reception into a conference and put the caller in
    it; if either cannot be rung, reception alone, with the whisper (the caller never hears an error)."""
    prompts = current_line().prompts
    sid, language = call_sid(request.form), _language(prompts)
    seq, step = request.args.get("seq", type=int), request.args.get("step")
    answer_to = answer_url(seq or 0, step)
    # The number the flow's step dials (a name in settings.yaml's numbers:); checked, as the query is only signed.
    to = request.args.get("to", "")
    team = prompts.dial_number(to if to in (prompts.settings.get("numbers") or {}) else "reception")
    response = VoiceResponse()
    room = _conference(prompts, team, sid, language, seq, step) if sid and seq is not None else None
    if room is None:
        whispered(response, team, 30, language, answer_to)
        return _twiml(response)
    dial = Dial(action=answer_to, method="POST")
    # The caller waits (hearing Twilio's hold music) until reception joins; when the caller leaves, the conference
    # ends for everyone.
    dial.conference(room, start_conference_on_enter=False, end_conference_on_exit=True, beep=False)
    response.append(dial)
    return _twiml(response)


def _conference(prompts: Prompts, team: str, sid: str, language: str | None, seq: int, step: str | None) -> str | None:
    """Ring the provider, then reception, each into the conference named for this call; its name, or None (logged)
    if either could not be rung. Twilio asks that a conference's name hold no personal data: the CallSid is none."""
    if prompts.interpreting is None:
        return None
    number, code = prompts.interpreting
    room = f"interpreter-{sid}"
    log = current_app.logger
    try:
        provider_sid = twilio_api.place_call(number, prompts.call_from, _joining(room, None, prompts, starts=False),
                                             send_digits=code)
    except Exception as error:  # Twilio unreachable, refusing, or not configured: reception alone, with the whisper
        log.warning("the interpreting provider could not be rung for call %s (%s)", sid, type(error).__name__)
        return None
    ended = twilio_api.public_url("voice.interpreter_team_ended", caller=sid, provider=provider_sid, seq=seq,
                                  **({"step": step} if step else {}))
    try:
        twilio_api.place_call(team, prompts.call_from,
                              _joining(room, _words(prompts, language, conference=True), prompts, starts=True),
                              status_callback=ended)
    except Exception as error:
        log.warning("reception could not be rung for call %s (%s): the provider's call is ended", sid,
                    type(error).__name__)
        _quietly(twilio_api.end_call, provider_sid)
        return None
    return room


def _joining(room: str, whisper: str | None, prompts: Prompts, starts: bool) -> str:
    """The TwiML a call we place runs when answered: the whisper (reception only), then the conference. Reception
    starts it and ends it on leaving; the provider waits for it like the caller."""
    response = VoiceResponse()
    if whisper:
        response.say(whisper, voice=prompts.voice, language=prompts.language)
    dial = Dial()
    dial.conference(room, start_conference_on_enter=starts, end_conference_on_exit=starts, beep=False)
    response.append(dial)
    return as_xml(response)


@bp.post("/interpreter/team-ended")
@twilio_signed
def interpreter_team_ended() -> Response:
    """The status callback of reception's call: if nobody answered, the provider's call is ended and the caller is
    moved on, to what follows an unanswered call (their turn's answer URL, as a <Dial> action would be)."""
    status = cleaned(request.form).get("CallStatus", "")
    if status in NOT_ANSWERED:
        _quietly(twilio_api.end_call, request.args.get("provider", ""))
        seq = request.args.get("seq", type=int)
        if seq is not None:
            step = request.args.get("step")
            url = twilio_api.public_url("voice.answer", seq=seq, **({"step": step} if step else {}))
            _quietly(twilio_api.redirect_call, request.args.get("caller", ""), url)
    return Response(status=204)


def _quietly(work, *args) -> None:
    """A REST request whose failure changes nothing we can do: logged, never an error for Twilio."""
    try:
        work(*args)
    except Exception as error:
        current_app.logger.warning("Twilio's REST API: %s did not go through (%s)", work.__name__,
                                   type(error).__name__)
