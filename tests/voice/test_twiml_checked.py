"""The TwiML check on every /voice/ answer in the suite cannot be skipped, and fails on what Twilio would not take."""

from __future__ import annotations

import pytest
from flask import Flask, Response

from ivr.app import create_app
from tests.support.twiml import TwimlCheckingClient, TwimlError, checked_transport

SAY = '<Say language="en-GB" voice="Polly.Amy-Neural">Hello</Say>'
GOOD = f'<?xml version="1.0" encoding="UTF-8"?><Response>{SAY}<Hangup /></Response>'
BAD = {
    "not well-formed": f"<Response>{SAY}",
    "not a Response": f"<Reply>{SAY}</Reply>",
    "a Say in American English": '<Response><Say language="en-US">Hello</Say></Response>',
    "a Say with no language": "<Response><Say>Hello</Say></Response>",
    "a verb Twilio does not have": "<Response><Sms>Hello</Sms></Response>",
    "an attribute Twilio does not document": '<Response><Say language="en-GB" rate="slow">Hi</Say></Response>',
    "a snake_case attribute": '<Response><Gather input="dtmf" speech_timeout="auto" /></Response>',
    "a Python list as input": """<Response><Gather input="['dtmf', 'speech']" language="en-GB" /></Response>""",
    "an input Twilio does not have": '<Response><Gather input="voice" /></Response>',
    "a speech Gather with no language": '<Response><Gather input="dtmf speech" /></Response>',
    "a speech Gather in American English": '<Response><Gather input="speech" language="en-US" /></Response>',
    "auto with a speech model (13335)": '<Response><Gather input="speech" language="en-GB" '
                                        'speechModel="googlev2_telephony" speechTimeout="auto" /></Response>',
    "a model with no speechTimeout": '<Response><Gather input="speech" language="en-GB" '
                                     'speechModel="googlev2_telephony" /></Response>',
    "too many hints": '<Response><Gather input="speech" language="en-GB" hints="{}" /></Response>'.format(
        ", ".join(f"place {n}" for n in range(501))),
    "a hint too long": '<Response><Gather input="speech" language="en-GB" hints="{}" /></Response>'.format("a" * 101),
    "a number that is not one": '<Response><Record maxLength="two minutes" /></Response>',
    "a Record nested in a Gather": '<Response><Gather><Record /></Gather></Response>',
    "verbs after Hangup": f"<Response><Hangup />{SAY}</Response>",
    "a Redirect to nowhere": "<Response><Redirect /></Response>",
    "markup in a Say": '<Response><Say language="en-GB">Hi <break time="3s" /></Say></Response>',
}


def voice_app(body: str, mimetype: str = "text/xml", status: int = 200) -> Flask:
    """A stand-in line that answers every /voice/ request with the given body."""
    app = Flask(__name__)
    app.add_url_rule("/voice/answer", "answer", lambda: Response(body, status=status, mimetype=mimetype),
                     methods=["POST"])
    return app


def test_every_app_in_the_suite_checks_its_voice_answers(app):
    assert isinstance(app.test_client(), TwimlCheckingClient)
    assert isinstance(create_app(dict(app.config)).test_client(), TwimlCheckingClient)
    assert isinstance(Flask("any").test_client(), TwimlCheckingClient)


def test_good_twiml_passes_in_either_xml_type():
    for mimetype in ("text/xml", "application/xml"):
        assert voice_app(GOOD, mimetype).test_client().post("/voice/answer").status_code == 200


@pytest.mark.parametrize("problem", BAD)
def test_twiml_twilio_would_refuse_or_warn_about_fails_the_test(problem):
    with pytest.raises(TwimlError):
        voice_app(BAD[problem]).test_client().post("/voice/answer")
    with pytest.raises(TwimlError):
        checked_transport(lambda url, form, headers: (200, BAD[problem]))("https://x/voice/answer", {}, {})


@pytest.mark.parametrize("mimetype", ["text/html", "text/plain", "application/json"])
def test_twiml_sent_as_another_type_fails(mimetype):
    with pytest.raises(TwimlError, match="TwiML sent as"):
        voice_app(GOOD, mimetype).test_client().post("/voice/answer")


@pytest.mark.parametrize("status", [500, 502, 302])
def test_a_voice_answer_that_is_neither_twiml_nor_a_plain_refusal_fails(status):
    with pytest.raises(TwimlError, match=f"HTTP {status}"):
        voice_app("Internal Server Error", "text/plain", status).test_client().post("/voice/answer")


def test_a_plain_refusal_and_pages_outside_voice_are_left_alone():
    assert voice_app("Forbidden", "text/plain", 403).test_client().post("/voice/answer").status_code == 403
    other = Flask(__name__)
    other.add_url_rule("/staff/", "staff", lambda: "<html><p>not TwiML</p>")
    assert other.test_client().get("/staff/").status_code == 200

