"""Communication needs first (issue 24): the main menu offers an interpreter before its options, a language said there
in any sentence is kept and said back, key 7 asks which language, and the need reaches the referral and the staff
queue; the referral's communication question does not ask about an interpreter again."""

from __future__ import annotations

import pytest

from ivr.tools.caller import Caller, step_asked
from tests.support.line import at, heard_sent
from tests.support.records import the_referral

ACKNOWLEDGED = "Thank you. We'll book a Polish interpreter when we call you back."


def test_the_menu_offers_an_interpreter_before_its_options_inside_its_question(phone):
    call = phone()
    menu = call.waiting_for
    offer = [say.text for say in menu.iter("Say") if say.get("language") == "en-GB"]  # after any other language's
    assert menu.tag == "Gather" and offer[0] == "For an interpreter, say the language, or press 7."
    assert call.said.index("9 9 9") < call.said.index("For an interpreter")  # straight after the crisis routes


def test_polish_said_at_the_menu_is_answered_kept_and_reaches_the_staff_queue(app, phone, staff, client):
    call = phone().say("Polish, I need a Polish interpreter")
    assert call.said.startswith(ACKNOWLEDGED)
    assert step_asked(call) == "main.menu" and "For an interpreter" not in call.said  # the options again, no offer
    caller = Caller(call)
    caller.to_the_end()
    assert heard_sent(call)
    assert "referral.communication" not in caller.asked  # asked once: not again in the referral
    referral = the_referral(app)
    assert (referral.interpreter, referral.interpreter_language, referral.communication_help) == (True, "Polish", True)
    staff.make()
    staff.login()
    queue = client.get("/staff/referrals").get_data(as_text=True)
    assert '<span class="tag need">Interpreter: Polish</span>' in queue
    page = client.get(f"/staff/referrals/{referral.id}").get_data(as_text=True)
    assert "Interpreter: Polish" in page and "not caught" not in page


@pytest.mark.parametrize(("said", "heard"), [
    ("Urdu", "We'll book an Urdu interpreter"),
    ("I'd like an interpreter for Arabic please", "We'll book an Arabic interpreter"),
    ("Persian", "We'll book a Farsi interpreter"),  # another word for it, in settings.yaml
])
def test_a_language_is_heard_however_it_is_said(phone, said, heard):
    assert heard in phone().say(said).said


def test_key_7_asks_which_language_and_keeps_it(app, phone):
    call = phone().press("7")
    assert call.said == "Which language would you like an interpreter for?"
    call.say("Polish")
    assert call.said.startswith(ACKNOWLEDGED) and step_asked(call) == "main.menu"
    Caller(call).to_the_end()
    assert the_referral(app).interpreter_language == "Polish"


def test_interpreter_said_without_a_language_asks_which(phone):
    assert phone().say("I need an interpreter").said == "Which language would you like an interpreter for?"


def test_a_language_not_recognised_is_an_interpreter_to_ask_about(app, phone, staff, client):
    call = phone().press("7").say("erm I'm not sure")
    assert call.said.startswith("Thank you. We'll book an interpreter when we call you back.")
    Caller(call).to_the_end()
    referral = the_referral(app)
    assert (referral.interpreter, referral.interpreter_language) == (True, None)
    staff.make()
    staff.login()
    assert "Interpreter: language not known: ask" in client.get("/staff/referrals").get_data(as_text=True)


def test_yes_polish_at_the_communication_question_is_kept_without_asking_what_would_help(app, phone):
    call = at(phone(), "referral.communication")
    call.say("yes, Polish")
    assert "what would help" not in call.said and step_asked(call) == "referral.best_time"
    Caller(call).to_the_end()
    referral = the_referral(app)
    assert (referral.communication_help, referral.interpreter_language) == (True, "Polish")


def test_a_language_in_what_would_help_is_kept_as_said_and_as_the_language(app, phone):
    Caller(phone(), {"referral.communication": "1",
                     "referral.communication_what": "a Polish interpreter please"}).to_the_end()
    referral = the_referral(app)
    assert (referral.communication_needs, referral.interpreter_language) == ("a Polish interpreter please", "Polish")


def test_no_at_the_communication_question_is_no_even_with_a_language_in_it(app, phone):
    Caller(phone(), {"referral.communication": "no, my English is fine, I speak Polish too"}).to_the_end()
    referral = the_referral(app)
    assert (referral.communication_help, referral.interpreter_language) == (False, None)


def test_an_existing_patients_interpreter_is_on_their_message(app, phone, staff, client):
    call = phone().say("Romanian").press("3").press("2").record(seconds=20).press("1").press("1")
    assert call.ended
    staff.make()
    staff.login()
    assert "Interpreter: Romanian" in client.get("/staff/enquiries").get_data(as_text=True)


def test_asking_for_an_interpreter_is_not_going_round_in_circles(phone):
    call = phone()
    for language in ("Polish", "Urdu", "Czech", "Arabic"):
        call.say(language)
    assert not call.ended and step_asked(call) == "main.menu"
