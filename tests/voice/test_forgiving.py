"""Questions that forgive: "what?" repeats for free, 0 asks first, numbers said or keyed, short dates, names."""

from __future__ import annotations

import pytest

from ivr.tools.caller import Caller
from tests.support.line import at, heard_sent, taken_date_of_birth
from tests.support.records import the_referral


def to_callback_key(phone, **kwargs):
    """A referral at "say or key the number we should call you on" (not the number they call from, if shown)."""
    call = at(phone(**kwargs), "referral.callback_key", {"referral.callback_offer": "2"})
    assert "Please say or key the number we should call you on." in call.said
    return call


@pytest.mark.parametrize("what", ["what?", "Pardon?", "sorry?", "say that again", "can you repeat that please"])
def test_what_three_times_then_a_good_answer_uses_no_try(phone, what):
    call = phone().press("2")
    question = call.said.split(". ")[-1]
    assert question == "What's your date of birth?"
    for _ in range(3):
        call.say(what)
        assert call.said == question  # the question again, no "sorry", no try used
    call.say("the 14th of March 1988")
    assert "14 March 1988. Is that right?" in call.said


def test_a_single_0_asks_before_leaving_the_question(phone):
    call = phone().press("2").press("0")
    assert call.said == "To leave this question for the main menu, press 0 again. What's your date of birth?"
    call.press("14031988")  # they meant to answer after all
    assert "14 March 1988. Is that right?" in call.said
    call.press("0").press("0")
    assert "To refer yourself, press 2" in call.said


def test_the_callback_number_can_be_said(app, phone):
    call = to_callback_key(phone).say("oh one three three two, one two three, four five six")
    assert "I have oh 1 3 3 2, 1 2 3, 4 5 6. Is that right?" in call.said
    call.press("1")
    assert the_referral(app).callback_number == "+441332123456"


def test_a_possible_but_unusual_number_is_read_back_and_kept_once_confirmed(app, phone):
    call = to_callback_key(phone).press("07700900123")  # possible, but not a number phonenumbers knows as valid
    assert "I have oh 7 7 oh oh, 9 oh oh, 1 2 3. Is that right?" in call.said
    call.press("1")
    assert "voicemail" in call.said
    assert the_referral(app).callback_number == "+447700900123"


def test_no_usable_number_after_three_tries_still_sends_the_referral_with_what_was_given(app, phone):
    call = to_callback_key(phone, caller_number="anonymous")
    call.press("12345").press("999").press("0740")
    assert "couldn't get a number I can use" in call.said and "voicemail" in call.said
    Caller(call).to_the_end()  # voicemail OK, no help to talk with us, mornings, by phone, safe
    assert heard_sent(call)
    referral = the_referral(app)
    assert (referral.status, referral.callback_number, referral.callback_said) == ("new", None, "0740")


def test_a_date_keyed_as_ddmmyy_is_read_back_and_confirmed(app, phone):
    call = phone().press("2").press("140388")
    assert "14 March 1988. Is that right?" in call.said
    assert "Which GP practice" in taken_date_of_birth(call.press("1")).said
    assert str(the_referral(app).date_of_birth) == "1988-03-14"


@pytest.mark.parametrize(("said", "name"), [
    ("my name's sam taylor", "Sam Taylor"),
    ("It's Sam Taylor, thanks", "Sam Taylor"),
    ("I'm Jo O'Neill-Smith", "Jo O'Neill-Smith"),
    ("this is Sam McDonald", "Sam McDonald"),
])
def test_names_lose_their_lead_in_and_are_capitalised_properly(app, phone, said, name):
    call = at(phone(), "referral.name").say(said)
    assert f"{name}. Is that right?" in call.said
    call.press("1")
    assert the_referral(app).name == name
