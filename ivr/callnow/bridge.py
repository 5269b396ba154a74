"""The bridge: the Twilio-signed webhooks a call-now call fetches, from the staff member answering to the end.

answered: tell the staff member briefly who they are about to ring, then "press 1". connect: put them
through with <Dial callerId=the number we call from>, the one the goodbye names, never the staff phone.
dialled: the <Dial> action, which logs how it ended. ended: the staff member's own call's status callback.
"""

from __future__ import annotations

from flask import Response, current_app, request
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse
from werkzeug.exceptions import HTTPException

from ivr.callflow.answers import spoken_digits
from ivr.callflow.numbers import is_callable_uk
from ivr.callnow import bp
from ivr.callnow.attempts import (
    CallNowAttempt,
    bridge_url,
    for_call,
    going_on,
    log_dial_end,
    may_connect,
    staff_call_ended,
    take,
)
from ivr.extensions import current_line, db
from ivr.voice.form import call_sid, cleaned
from ivr.voice.signature import twilio_signed

PRESS_TIMEOUT = 8  # seconds to press 1, asked twice
DIAL_TIMEOUT = 30  # seconds to let the caller's phone ring
# What the staff member hears once the call to the caller has ended, by the callback attempt logged.
ENDINGS = {
    "connected": "call_now.ended.connected", "no_answer": "call_now.ended.no_answer",
    "busy": "call_now.ended.busy", "failed": "call_now.ended.failed", "cancelled": "call_now.ended.cancelled",
}


class _Words:
    """TwiML spoken in the line's voice, in British English, from prompts/en-GB.yaml's call_now section."""

    def __init__(self):
        prompts = current_line().prompts
        self.prompts, self.response = prompts, VoiceResponse()

    def say(self, target, *keys: str, **values) -> None:
        text = " ".join(self.prompts.text((key,), values) for key in keys)
        target.say(text, voice=self.prompts.voice, language=self.prompts.language)

    def ask_to_connect(self, token: str, *briefing: str, **values) -> Response:
        for attempt in range(2):  # nothing pressed falls through to the second ask, then goodbye
            gather = Gather(input="dtmf", num_digits=1, timeout=PRESS_TIMEOUT, method="POST",
                            action=bridge_url("callnow.connect", token), action_on_empty_result=False)
            self.say(gather, *(briefing if attempt == 0 else ()), "call_now.press_1", **values)
            self.response.append(gather)
        return self.end("call_now.not_connecting")

    def end(self, *keys: str) -> Response:
        self.say(self.response, *keys)
        self.response.hangup()
        return Response(str(self.response), mimetype="text/xml")


def _briefing(attempt: CallNowAttempt) -> tuple[tuple[str, ...], dict]:
    """What the staff member hears first: the reference, urgency, and whether a voicemail may name the service."""
    record = attempt.record
    if record.kind != "referral":
        return ("call_now.enquiry", "call_now.voicemail.unknown"), {}
    keys = ["call_now.referral"]
    if record.urgent:
        keys.append("call_now.urgent")
    keys.append({True: "call_now.voicemail.yes", False: "call_now.voicemail.no"}.get(record.voicemail_ok,
                                                                                    "call_now.voicemail.unknown"))
    digits = record.reference.split("-")[-1]
    return tuple(keys), {"reference_spoken": spoken_digits(digits, [3, 3])}


@bp.post("/<token>", merge_slashes=False)  # a doubled slash is no token: 404, not a redirect
@twilio_signed
def answered(token: str) -> Response:
    """Twilio fetches this when the staff member answers: once, within minutes, for the call we placed."""
    attempt = take(token, call_sid(request.form))
    if attempt is None:
        current_app.logger.warning("refused a call-now bridge whose token was unknown, used, expired or not "
                                   "for this call")
        return _Words().end("call_now.expired")
    keys, values = _briefing(attempt)
    return _Words().ask_to_connect(token, *keys, **values)


@bp.post("/<token>/connect", merge_slashes=False)
@twilio_signed
def connect(token: str) -> Response:
    """Pressed 1: put the staff member through to the caller, showing the line's number."""
    attempt = going_on(token, call_sid(request.form))
    words = _Words()
    if attempt is None or not may_connect(attempt):
        return words.end("call_now.expired")
    if cleaned(request.form).get("Digits") != "1":
        return words.ask_to_connect(token)
    line_number = current_line().prompts.call_from  # the number the goodbye told them we'd call from
    caller = attempt.record.callback_number
    if not (line_number and is_callable_uk(caller)):  # checked when the button was pressed; and again here
        return words.end("call_now.sorry")
    words.say(words.response, "call_now.connecting")
    # Twilio requests the action with DialCallStatus and DialCallDuration when the dialled call ends
    # (https://www.twilio.com/docs/voice/twiml/dial#action); callerId must be a number on the account or a verified
    # caller ID (https://www.twilio.com/docs/voice/twiml/dial#callerid, https://www.twilio.com/docs/api/errors/13214).
    dial = Dial(caller_id=line_number, action=bridge_url("callnow.dialled", token), method="POST",
                timeout=DIAL_TIMEOUT, ring_tone="uk")
    dial.number(caller)
    words.response.append(dial)
    return Response(str(words.response), mimetype="text/xml")


@bp.post("/<token>/dialled", merge_slashes=False)
@twilio_signed
def dialled(token: str) -> Response:
    """The <Dial> ended: log it on the referral or enquiry as a callback attempt, and tell the staff member."""
    attempt = going_on(token, call_sid(request.form))
    if attempt is None:
        return _Words().end("call_now.expired")
    form = cleaned(request.form)
    seconds = form.get("DialCallDuration")
    logged = log_dial_end(attempt, form.get("DialCallStatus", "").lower(), int(seconds) if seconds else None)
    return _Words().end(ENDINGS.get(logged.outcome, "call_now.ended.connected"))


@bp.post("/<token>/ended", merge_slashes=False)
@twilio_signed
def ended(token: str) -> Response:
    """The staff member's call ended (its status callback): note when the caller was never rung."""
    attempt = for_call(token, call_sid(request.form))
    if attempt is not None:
        staff_call_ended(attempt, cleaned(request.form).get("CallStatus", ""))
    return Response(status=204)


@bp.errorhandler(Exception)
def sorry(error: Exception) -> Response:
    """Whatever went wrong, the staff member hears so and is asked to ring and log the call another way."""
    if isinstance(error, HTTPException):
        return error
    current_app.logger.exception("call-now bridge failed for call %s", call_sid(request.form) or "?")
    db.session.rollback()
    return _Words().end("call_now.sorry")
