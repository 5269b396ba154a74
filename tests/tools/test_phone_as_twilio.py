"""The pretend phone sends what Twilio's documentation says Twilio sends, and no more (tests/support/twilio_docs.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from ivr.extensions import db
from ivr.models import Call, CallStep
from ivr.tools.phone import LineError, Phone, flask_transport
from tests.support import twilio_docs as docs
from tests.support.line import AUTH_TOKEN


class Line:
    """A stand-in line: answers each webhook with the next TwiML given, and keeps every request the phone made."""

    def __init__(self, *answers: str):
        self.answers, self.requests = list(answers), []

    def __call__(self, url: str, form: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        assert RequestValidator(AUTH_TOKEN).validate(url, form, headers["X-Twilio-Signature"])
        self.requests.append((url.split("/voice/", 1)[1], form))
        if url.endswith("/voice/status"):
            return 204, ""
        return 200, f'<?xml version="1.0" encoding="UTF-8"?><Response>{self.answers.pop(0)}</Response>'

    def sent(self, index: int = -1) -> dict[str, str]:
        """What the phone sent in one request, without the parameters every request carries."""
        form = self.requests[index][1]
        assert docs.EVERY_REQUEST <= set(form)
        return {name: value for name, value in form.items() if name not in docs.EVERY_REQUEST}


def gather(**attributes: str) -> str:
    attributes = {"input": "dtmf speech", "language": "en-GB", "action": "/voice/answer", **attributes}
    return "<Gather {}><Say>Ask</Say></Gather><Redirect>/voice/answer?redirected</Redirect>".format(
        " ".join(f'{name}="{value}"' for name, value in attributes.items()))


RECORD = '<Record action="/voice/answer" maxLength="120" finishOnKey="#" /><Redirect>/voice/answer</Redirect>'
DIAL = '<Dial action="/voice/answer"><Number>+448000280077</Number></Dial>'
SAY = "<Say>Next</Say><Hangup />"


def call_on(line: Line) -> Phone:
    return Phone(line, AUTH_TOKEN).dial()


def test_each_request_carries_exactly_the_parameters_twilio_documents_for_it(app, client):
    """Against the real line: a call's requests, each compared with the lists taken from Twilio's pages."""
    kept = []
    send = flask_transport(client)

    def keep(url, form, headers):
        kept.append(form)
        return send(url, form, headers)

    call = Phone(keep, AUTH_TOKEN).dial().press("3").say("yes")  # existing patient; has a reference
    call.say("four eight two nine one three").record(seconds=20)
    call.hang_up()
    kinds = [docs.EVERY_REQUEST, docs.EVERY_REQUEST | docs.GATHER_DIGITS, docs.EVERY_REQUEST | docs.GATHER_SPEECH,
             docs.EVERY_REQUEST | docs.GATHER_SPEECH, docs.EVERY_REQUEST | docs.RECORD_ACTION,
             docs.EVERY_REQUEST | docs.STATUS_CALLBACK_PARAMETERS]
    assert [set(form) for form in kept] == kinds
    assert [form["CallStatus"] for form in kept] == ["ringing"] + ["in-progress"] * 4 + ["completed"]
    for form in kept:
        assert set(form["CallStatus"].split()) <= docs.CALL_STATUSES
        assert (form["Caller"], form["Called"], form["Direction"]) == (form["From"], form["To"], "inbound")
        assert form["AccountSid"].startswith("AC") and form["ApiVersion"] == "2010-04-01"
    assert 0.0 <= float(kept[2]["Confidence"]) <= 1.0
    assert kept[4]["RecordingUrl"].endswith(f"/Accounts/{kept[4]['AccountSid']}/Recordings/{kept[4]['RecordingSid']}")


def test_a_dial_action_carries_twilios_dial_parameters():
    line = Line(DIAL, SAY, DIAL, SAY)
    call = call_on(line).dial_ends("completed", duration=300)
    assert line.sent() == {"DialCallStatus": "completed", "DialCallSid": line.sent()["DialCallSid"],
                           "DialBridged": "true", "DialCallDuration": "300"}
    assert set(line.sent()) <= docs.DIAL_ACTION and call.ended
    call_on(line).dial_ends("no-answer")
    assert set(line.sent()) == {"DialCallStatus", "DialCallSid", "DialBridged"}
    assert line.sent()["DialBridged"] == "false"
    with pytest.raises(LineError):
        call_on(Line(DIAL)).dial_ends("hung-up")


@pytest.mark.parametrize("attributes, keys, digits", [
    ({"numDigits": "1"}, "12", "1"),  # a second key is lost
    ({"numDigits": "8"}, "140319881", "14031988"),
    ({}, "07400123456#", "07400123456"),  # finishOnKey ends the input and is not sent
    ({}, "12#34", "12"),
    ({"finishOnKey": ""}, "12#", "12#"),  # no finishing key: # is a key like any other
    ({"numDigits": "1"}, "*", "*"),
])
def test_keys_are_sent_as_twilio_sends_them(attributes, keys, digits):
    line = Line(gather(**attributes), SAY)
    call_on(line).press(keys)
    assert line.sent() == {"Digits": digits}


def test_keys_nothing_listens_for_and_a_finishing_key_alone_time_out():
    for attributes, keys in (({}, "#"), ({"input": "speech"}, "1")):
        line = Line(gather(**attributes), SAY)
        call = call_on(line).press(keys)
        assert line.requests[-1][0] == "answer?redirected" and line.sent() == {}  # fell through
        assert call.ended


def test_speech_is_sent_with_its_confidence_unless_only_keys_are_listened_for():
    line = Line(gather(), SAY, gather(input="dtmf"), SAY)
    call_on(line).say("Park Surgery", confidence=0.62)
    assert line.sent() == {"SpeechResult": "Park Surgery", "Confidence": "0.62000000"}
    call_on(line).say("Park Surgery")
    assert line.requests[-1][0] == "answer?redirected"


def test_silence_requests_the_action_only_when_action_on_empty_result_is_true():
    line = Line(gather(), SAY)
    call_on(line).silence()
    assert line.requests[-1][0] == "answer?redirected"  # the action URL was not requested
    line = Line(gather(actionOnEmptyResult="true"), SAY)
    call_on(line).silence()
    assert line.requests[-1][0] == "answer" and line.sent() == {}


@pytest.mark.parametrize("seconds, ended_by, digits, duration", [
    (20, "#", "#", "20"),
    (20, "timeout", "", "20"),
    (500, "#", "", "120"),  # the time limit: Twilio stops it at maxLength
])
def test_a_recording_is_sent_with_the_digits_that_ended_it(seconds, ended_by, digits, duration):
    line = Line(RECORD, SAY)
    call_on(line).record(seconds=seconds, sid="RE" + "a" * 32, ended_by=ended_by)
    sent = line.sent()
    assert set(sent) == docs.RECORD_ACTION
    assert (sent["Digits"], sent["RecordingDuration"], sent["RecordingSid"]) == (digits, duration, "RE" + "a" * 32)


def test_a_hang_up_while_recording_sends_the_recording_then_the_status_callback():
    line = Line(RECORD, "<Say>Can we call you back?</Say>")
    call = call_on(line).record(seconds=40, ended_by="hangup")
    (action, recording), (status, callback) = line.requests[-2:]
    assert (action, recording["Digits"], recording["CallStatus"]) == ("answer", "hangup", "completed")
    assert status == "status" and callback["CallStatus"] == "completed"
    assert call.ended and call.heard == []  # Twilio ignores what the line answers then


def test_a_recording_with_no_audio_is_never_sent_and_a_key_that_does_not_end_it_is_refused():
    line = Line(RECORD, SAY)
    call_on(line).record(seconds=0)
    assert line.requests[-1][1].get("RecordingUrl") is None and line.sent() == {}
    with pytest.raises(LineError, match="finishOnKey"):
        call_on(Line(RECORD)).record(ended_by="5")


def test_the_status_callback_carries_how_the_call_ended_and_can_come_twice():
    line = Line(SAY.replace("<Hangup />", gather()))
    call = call_on(line)
    assert call.hang_up("completed", duration=75, deliveries=2) == 204
    (_, first), (_, second) = line.requests[-2:]
    assert first == second and first["CallStatus"] == "completed" and first["CallDuration"] == "75"
    assert set(line.sent()) == docs.STATUS_CALLBACK_PARAMETERS
    for status in sorted(docs.CALL_ENDINGS - {"completed"}):
        ended = Line(gather())
        call_on(ended).hang_up(status)
        assert ended.sent() == {"CallbackSource": "call-progress-events", "SequenceNumber": "0",
                                "Timestamp": ended.sent()["Timestamp"]}  # no CallDuration: not completed
    with pytest.raises(LineError):
        call_on(Line(gather())).hang_up("hung-up")


def test_the_line_takes_a_status_callback_delivered_twice_once(app, phone):
    call = phone().press("2")
    assert call.hang_up(duration=30, deliveries=2) == 204
    with app.app_context():
        saved = db.session.scalars(select(Call).where(Call.call_sid == call.call_sid)).one()
        steps = db.session.scalars(select(CallStep.event).where(CallStep.call_id == saved.id)).all()
        assert steps.count("hangup") == 1 and saved.duration_seconds == 30
