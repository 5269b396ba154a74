"""Interpreter to the team (issue 26, item 6): in office hours a caller who asked for an interpreter hears "to speak to
us with an interpreter, press 8", and reception hears the language before the caller is put through; with an
interpreting provider in settings.yaml, the provider is conferenced in; out of hours the referral takes the language.

The line's clock is fixed for each test, so these hold at any time of day."""

from __future__ import annotations

import shutil
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from ivr.app import create_app
from ivr.callflow.yamlfile import FlowError
from ivr.clock import LONDON
from ivr.extensions import db
from ivr.models import Call
from ivr.tools.caller import Caller, step_asked
from ivr.tools.phone import Phone, flask_transport
from tests.support.fake_twilio import fake_twilio
from tests.support.interpreting import LINE_NUMBER, RECEPTION, answering, twiml_of
from tests.support.line import AUTH_TOKEN, FLOWS, PUBLIC
from tests.support.records import the_referral

THURSDAY_MORNING = datetime(2026, 11, 26, 10, 30, tzinfo=LONDON)
SATURDAY = datetime(2026, 11, 28, 11, 0, tzinfo=LONDON)
WITH_INTERPRETER = "To speak to us with an interpreter, press 8."
PERSON = "To speak to someone, press 8"
CONNECTING = "Putting you through to our team now. We will tell them your language. Please hold."
PROVIDER = "+442079460000"  # "020 7946 0000", a number Ofcom keeps for drama: the provider's, in these tests
ACCESS_CODE = "418277#"


def _with_provider(tmp_path, number: str, code: str):
    """A copy of prompts/ whose settings.yaml names an interpreting provider."""
    prompts = tmp_path / "prompts"
    shutil.copytree(FLOWS.parent / "prompts", prompts)
    settings = prompts / "settings.yaml"
    settings.write_text(settings.read_text().replace(
        'provider_number: ""\n  access_code: ""', f'provider_number: "{number}"\n  access_code: "{code}"'))
    return prompts


@pytest.fixture
def provider_line(app, tmp_path):
    """The line with an interpreting provider in settings.yaml, a public address and a fake Twilio account: yields
    (a new call at the main menu on Thursday morning, the fake account)."""
    prompts = _with_provider(tmp_path, "020 7946 0000", ACCESS_CODE)
    line = create_app({**app.config, "PROMPTS_DIR": str(prompts), "PUBLIC_BASE_URL": PUBLIC})
    line.extensions["ivr_line"].clock = lambda: THURSDAY_MORNING
    try:
        with fake_twilio(line) as account:
            yield (lambda: Phone(flask_transport(line.test_client()), AUTH_TOKEN).dial()), account
    finally:
        with line.app_context():
            db.engine.dispose()


def _outcome(app, call: Phone) -> str | None:
    with app.app_context():
        return db.session.scalars(select(Call.outcome).where(Call.call_sid == call.call_sid)).one()


def test_after_asking_for_an_interpreter_key_8_offers_one_and_reception_hears_the_language_first(app, at):
    call = at(THURSDAY_MORNING)
    assert PERSON in call.said  # before: a person
    call.say("Polish, I need a Polish interpreter")
    assert WITH_INTERPRETER in call.said and PERSON not in call.said
    call.press("8")
    assert call.said == CONNECTING
    assert call.dialled == RECEPTION and call.waiting_for.get("action")
    reception = answering(call).pick_up(call.waiting_for)
    assert reception.said == "Polish interpreter needed. Putting the caller through."
    assert reception.ended and not reception.responses[-1].findall("Dial")  # then Twilio joins the two calls
    call.dial_ends("completed", duration=600)
    assert call.ended and "Goodbye" in call.said
    assert _outcome(app, call) == "put_through"


def test_a_language_not_caught_is_whispered_as_one_to_ask(at):
    call = at(THURSDAY_MORNING).press("7").say("erm I'm not sure").press("8")
    assert answering(call).pick_up(call.waiting_for).said.startswith(
        "Interpreter needed. The caller's language was not caught, please ask.")


def test_the_whisper_is_a_webhook_twilio_must_sign(at, client):
    call = at(THURSDAY_MORNING).say("Polish").press("8")
    url = call.waiting_for.find("Number").get("url")
    assert client.post(url, data={"CallSid": "CA" + "3" * 32}).status_code == 403
    forged = answering(call)
    forged.auth_token = "not-the-auth-token"
    assert forged._post(url, {"ParentCallSid": call.call_sid})[0] == 403


def test_a_language_the_service_does_not_list_is_never_whispered(at):
    call = at(THURSDAY_MORNING).say("Polish").press("8")
    dial = call.waiting_for
    dial.find("Number").set("url", "/voice/whisper?language=Klingon")
    assert answering(call).pick_up(dial).said.startswith("Interpreter needed. The caller's language was not caught")


def test_unanswered_the_caller_hears_the_other_ways_as_after_any_dial(at):
    call = at(THURSDAY_MORNING).say("Urdu").press("8").dial_ends("no-answer")
    assert "I'm sorry, nobody could answer just now." in call.said and not call.ended


def test_the_crisis_helpline_is_never_whispered(at):
    call = at(THURSDAY_MORNING).say("Polish").press("9")
    while call.waiting_for is not None and call.waiting_for.tag != "Dial":
        call.press("1")
    assert call.waiting_for is not None and call.dialled == "+448000280077"
    assert call.waiting_for.find("Number") is None  # a plain <Dial>: nothing delays the helpline


def test_with_a_provider_the_caller_reception_and_the_provider_meet_in_one_conference(app, provider_line):
    ring, account = provider_line
    call = ring().say("Polish").press("8")
    assert call.transcript[-1] == CONNECTING  # said, then the turn's <Redirect> to the calls being placed
    dial = call.waiting_for
    room = dial.find("Conference")
    assert dial.tag == "Dial" and room is not None and room.text == f"interpreter-{call.call_sid}"
    assert (room.get("startConferenceOnEnter"), room.get("endConferenceOnExit")) == ("false", "true")
    assert [placed.form["To"] for placed in account.calls] == [PROVIDER, RECEPTION]
    provider, reception = (placed.form for placed in account.calls)
    # Create a Call, as Twilio documents it: From our number, the access code keyed on answering, Twiml to run.
    assert provider["From"] == reception["From"] == LINE_NUMBER
    assert provider["SendDigits"] == ACCESS_CODE and "SendDigits" not in reception
    assert "Url" not in provider and "StatusCallback" not in provider
    joins = twiml_of(provider["Twiml"])
    assert joins.find("Say") is None and joins.find("Dial/Conference").text == room.text
    assert joins.find("Dial/Conference").get("startConferenceOnEnter") == "false"
    told = twiml_of(reception["Twiml"])
    assert told.find("Say").text == ("Polish interpreter needed. "
                                     "The interpreting service is being called into this call.")
    assert told.find("Dial/Conference").text == room.text
    assert told.find("Dial/Conference").get("endConferenceOnExit") == "true"
    callback = urlsplit(reception["StatusCallback"])
    assert f"{callback.scheme}://{callback.netloc}" == PUBLIC and callback.path == "/voice/interpreter/team-ended"
    assert parse_qs(callback.query)["provider"] == [account.calls[0].sid]
    call.dial_ends("completed", duration=900)  # reception hung up: the conference ended
    assert call.ended and "Goodbye" in call.said


def test_with_a_provider_nobody_at_reception_moves_the_caller_on_and_ends_the_providers_call(provider_line):
    ring, account = provider_line
    call = ring().say("Polish").press("8")
    provider_sid, reception = account.calls[0].sid, account.calls[1]
    assert answering(call).status_callback_to(reception.form["StatusCallback"], "no-answer") == 204
    ended = [form["Status"] for sid, form in account.updates if sid == provider_sid]
    assert ended == ["canceled", "completed"]  # ringing or answered, it is ended
    [(moved_sid, moved)] = [(sid, form) for sid, form in account.updates if sid == call.call_sid]
    assert moved["Method"] == "POST" and moved["Url"].startswith(f"{PUBLIC}/voice/answer?seq=")
    call.moved_to(moved["Url"])
    assert "I'm sorry, nobody could answer just now." in call.said and call.waiting_for.tag == "Gather"


def test_reception_answering_leaves_the_conference_alone(provider_line):
    ring, account = provider_line
    call = ring().say("Polish").press("8")
    assert answering(call).status_callback_to(account.calls[1].form["StatusCallback"], "completed") == 204
    assert account.updates == []


def test_twilio_unreachable_is_reception_with_the_whisper_and_no_error(provider_line):
    ring, account = provider_line
    account.down = True
    call = ring().say("Polish").press("8")
    assert call.transcript[-1] == CONNECTING and call.dialled == RECEPTION
    assert answering(call).pick_up(call.waiting_for).said == "Polish interpreter needed. Putting the caller through."


def test_reception_refused_ends_the_providers_call_and_dials_reception_with_the_whisper(provider_line):
    ring, account = provider_line
    account.refuse_calls_to[RECEPTION] = 21215
    call = ring().say("Polish").press("8")
    assert call.dialled == RECEPTION and call.waiting_for.find("Number").get("url")
    assert [form.get("Status") for _, form in account.updates] == ["canceled", "completed"]


def test_out_of_hours_no_person_is_offered_and_the_referral_takes_the_language(app, at, staff, client):
    call = at(SATURDAY).say("Polish")
    assert "press 8" not in call.said
    assert step_asked(call) == "main.menu"
    Caller(call).to_the_end()
    assert the_referral(app).interpreter_language == "Polish"
    staff.make()
    staff.login()
    assert '<span class="tag need">Interpreter: Polish</span>' in client.get("/staff/referrals").get_data(as_text=True)


@pytest.mark.parametrize(("number", "code"), [("020 7946 0000", ""), ("", "1234"), ("12", "1234"),
                                              ("020 7946 0000", "12 34"), ("020 7946 0000", "1234x")])
def test_a_provider_half_set_or_unusable_is_refused_at_start_up(app, tmp_path, number, code):
    with pytest.raises(FlowError) as refused:
        create_app({**app.config, "PROMPTS_DIR": str(_with_provider(tmp_path, number, code))})
    assert "interpreting: provider_number must be a phone number" in str(refused.value)
