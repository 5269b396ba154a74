"""A caller through text relay (Relay UK, issue 24): "relay" or key 6 at the menu switches the call to long waits, and
their silence (a relay assistant still typing) is no miss and never ends the call; staff see to call back through
Relay UK."""

from __future__ import annotations

import pytest

from ivr.tools.caller import Caller, step_asked
from ivr.voice.twiml import RELAY_RECORD_SILENCE, RELAY_WAIT
from tests.support.records import the_referral

TURNED_ON = "Thank you. I'll wait longer for each answer, so take your time."
CALL_BACK = "Call back through Relay UK (18002 then the number)"


def test_a_caller_who_does_not_answer_the_menu_hears_how_to_switch_to_relay(phone):
    assert "If you're calling through text relay, say relay, or press 6." in phone().silence().said


@pytest.mark.parametrize("answer", ["key:6", "relay", "Hello, this is Relay UK, a call from a textphone user"])
def test_relay_or_key_6_at_the_menu_makes_every_question_wait_45_seconds(phone, answer):
    call = phone()
    assert call.waiting_for.get("timeout") == "8"
    call.press("6") if answer == "key:6" else call.say(answer)
    assert call.said.startswith(TURNED_ON) and step_asked(call) == "main.menu"
    assert call.waiting_for.get("timeout") == str(RELAY_WAIT) == "45"
    call.press("2")
    assert step_asked(call) == "referral.date_of_birth" and call.waiting_for.get("timeout") == "45"


def test_a_relay_callers_silence_is_no_miss_and_never_ends_the_call(phone):
    call = phone().say("relay")
    for _ in range(6):  # far more than the three misses that end an ordinary call at the menu
        call.silence()
        # Their assistant may still be typing the question: it is not said again unless they ask.
        assert call.said == "Take your time. To hear the question again, say repeat."
        assert step_asked(call) == "main.menu" and not call.ended
    call.press("2")
    for _ in range(4):
        call.silence()
    assert step_asked(call) == "referral.date_of_birth" and call.waiting_for.get("timeout") == "45"
    assert call.say("repeat").said == "What's your date of birth?"
    call.press("14031988")
    assert step_asked(call) == "referral.date_of_birth_confirm"


def test_a_relay_caller_hears_the_shorter_prompts_but_the_crisis_routes_in_full(phone):
    call = phone().press("6").press("2")
    assert "It takes 3 minutes" not in call.said  # relay.referral.intro
    assert call.said.startswith("You can refer yourself if you're 16 or over")
    call = phone().press("6").press("9")
    assert "oh 8 oh oh, oh 2 8, oh oh 7 7" in call.said  # the helpline, said in full


def test_silence_at_the_crisis_offer_still_puts_a_relay_caller_through(phone):
    call = phone().say("relay").press("9")
    for _ in range(3):
        call.silence()
    assert call.dialled == "+448000280077"


def test_staff_see_to_call_back_through_relay_uk(app, phone, staff, client):
    call = phone().say("relay")
    Caller(call).to_the_end()
    referral = the_referral(app)
    assert referral.relay_uk is True and referral.communication_help is True  # not asked again in the referral
    staff.make()
    staff.login()
    assert CALL_BACK in client.get("/staff/referrals").get_data(as_text=True)
    page = client.get(f"/staff/referrals/{referral.id}").get_data(as_text=True)
    assert CALL_BACK in page and "Call now rings their number directly, not through a relay assistant" in page


def test_a_relay_callers_message_waits_through_their_pauses(app, phone, staff, client):
    call = phone().press("6").press("3").press("2")
    record = call.waiting_for
    assert record.tag == "Record" and record.get("timeout") == str(RELAY_RECORD_SILENCE)
    call.record(seconds=90).press("1").press("1")
    assert call.ended
    staff.make()
    staff.login()
    assert CALL_BACK in client.get("/staff/enquiries").get_data(as_text=True)
