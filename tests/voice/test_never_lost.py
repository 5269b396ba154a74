"""No caller is lost for how they answer (issue 24): slips never end a referral, going back to the menu as the line
offers never ends a call, an ending promises a call only with a number to call, and no wording blames the caller."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from ivr.callflow.answers import spoken_digits
from ivr.clock import LONDON
from ivr.extensions import current_line, db
from ivr.models import Call, Enquiry, Referral
from ivr.tools.caller import Caller
from tests.support.line import at, heard_sent
from tests.support.records import the_referral

AGE_QUESTION = "Are you 16 or over? Press 1 for yes, or 2 for no."
WEBSITE = "talking mental health derbyshire dot NHS dot UK"  # settings.yaml's website, as it is said
HOURS = "Monday to Friday, 9 am to 5 pm"  # settings.yaml's opening hours, as they are said
NO_PROMISE = "We don't have a number to call you on, so we can't call you back."
THURSDAY_EVENING = datetime(2026, 11, 26, 18, 5, tzinfo=LONDON)


def reference_heard(app, call) -> bool:
    """Whether the call heard the one referral's reference, as the line says it."""
    digits = the_referral(app).reference.split("-")[-1]
    return f"Your reference is {spoken_digits(digits, [3, 3])}." in " ".join(call.transcript)


def record_page(app, staff, client) -> str:
    with app.app_context():
        referral_id = db.session.scalars(select(Referral.id)).one()
    staff.make()
    staff.login()
    return client.get(f"/staff/referrals/{referral_id}").get_data(as_text=True)


# Never lose a referral to slips.

def test_three_bad_dates_still_end_with_a_referral_kept_and_a_reference(app, phone, staff, client):
    call = phone().press("2")
    call.say("the thirty second of Smarch")  # nonsense
    call.press("31021990")  # 31/02: no such day
    assert not call.ended and "Sorry, that isn't a date I recognise." in call.said
    call.press("1402")
    assert "I'm sorry, I couldn't take your date of birth." in call.said and AGE_QUESTION in call.said
    call.press("1")
    assert "Which GP practice are you with" in call.said
    Caller(call).to_the_end()
    assert heard_sent(call) and reference_heard(app, call)
    referral = the_referral(app)
    assert (referral.status, referral.date_of_birth, referral.date_of_birth_to_check, referral.sixteen_or_over) == (
        "new", None, True, True)
    assert referral.date_of_birth_said == "the thirty second of Smarch; 31021990; 1402"
    page = record_page(app, staff, client)
    assert "Date of birth to check" in page
    assert "To confirm (said: “the thirty second of Smarch; 31021990; 1402”)" in page
    assert "They said they are 16 or over." in page


def test_a_caller_who_says_they_are_under_16_at_the_age_question_has_nothing_kept(app, phone):
    call = phone().press("2").press("1402").press("1402").press("1402")
    assert AGE_QUESTION in call.said
    call.press("2")
    assert call.ended and "we can't take your referral" in call.said and "Childline" in call.said
    with app.app_context():
        assert db.session.scalars(select(Referral)).all() == []


def test_no_answer_at_the_age_question_goes_on_for_staff_to_check(app, phone, staff, client):
    call = at(phone(), "referral.date_of_birth")
    for _ in range(3):
        call.silence()
    assert AGE_QUESTION in call.said
    for _ in range(3):
        call.silence()
    assert "That's all right. Let's go on, and our team will check your age with you." in call.said
    assert "Which GP practice are you with" in call.said
    Caller(call).to_the_end()
    assert reference_heard(app, call)
    referral = the_referral(app)
    assert (referral.date_of_birth_to_check, referral.sixteen_or_over, referral.date_of_birth_said) == (
        True, None, None)
    page = record_page(app, staff, client)
    assert "To confirm (said: “nothing heard”)" in page
    assert "They did not say whether they are 16 or over: check their age first." in page


def test_a_date_read_back_but_never_confirmed_goes_to_the_age_question(app, phone):
    call = phone().press("2").press("14031988")
    for _ in range(3):
        call.say("banana")
    assert AGE_QUESTION in call.said and not call.ended
    Caller(call, {"referral.over_16": "1"}).to_the_end()
    referral = the_referral(app)
    assert (referral.status, referral.date_of_birth, referral.date_of_birth_said) == ("new", None, "14031988")


# Silence every time at one question, the usual answers elsewhere: the referral is still sent, with a reference.
QUESTIONS = {
    "referral.date_of_birth_confirm": {"referral.over_16": "1"},
    "referral.registered_here": {},
    "referral.name_confirm": {},
    "referral.callback_offer": {},
    "referral.callback_confirm": {"referral.callback_offer": "2"},
    "referral.voicemail": {},
    "referral.communication": {},
    "referral.communication_what": {"referral.communication": "1"},
    "referral.best_time": {},
    "referral.urgent": {},  # urgent, the routes, then "carry on"
}


@pytest.mark.parametrize("question", QUESTIONS)
def test_no_answer_at_any_referral_question_still_sends_the_referral(app, phone, question):
    call = Caller(phone(), {question: None, **QUESTIONS[question]}).to_the_end()
    assert reference_heard(app, call) and "haven't been able to help" not in call.said
    assert the_referral(app).status == "new"


def test_a_practice_read_back_but_never_confirmed_is_kept_to_check(app, phone, practices):
    call = Caller(phone(), {"referral.practice": "Park Surgery Heanor", "referral.practice_confirm": None})
    call = call.until("referral.name")
    assert "I'll keep what you said, and our team will check your practice with you." in call.said
    Caller(call).to_the_end()
    referral = the_referral(app)
    assert (referral.practice_ods_code, referral.practice_to_check) == (None, True)
    assert referral.practice_said == "Park Surgery Heanor" and reference_heard(app, call)


# Going back to the menu, as the line offers, is never a miss.

def test_going_back_to_the_menu_as_offered_never_ends_the_call(app, phone):
    call = phone()
    for _ in range(4):
        call.press("1").press("4")  # about IPT, then "main menu", as the section offers
        assert "To refer yourself, press 2" in call.said and not call.ended
        call.press("4")  # "hear the options"
        assert "To refer yourself, press 2" in call.said and not call.ended
        call.press("2").press("0").press("0")  # 0 twice from a question
        assert "To refer yourself, press 2" in call.said and not call.ended
    assert "circles" not in call.said
    assert "date of birth" in call.press("2").said


@pytest.fixture
def evening(app, phone):
    """A call out of hours."""
    app.extensions["ivr_line"].clock = lambda: THURSDAY_EVENING
    return phone


def test_asking_for_a_person_out_of_hours_offers_a_message_and_never_ends_the_call(app, evening):
    call = evening()
    for _ in range(4):
        call.say("can I speak to someone please")
        assert "To leave a message for the team, press 2." in call.said and not call.ended
        call.press("3")  # back to the main menu
    call.say("speak to someone").press("2")
    assert "Messages are listened to on working days" in call.said and call.waiting_for.tag == "Record"
    call.record(seconds=20)
    Caller(call, {"enquiry.callback_offer": "1", "enquiry.voicemail": "1"}).to_the_end()
    assert "Your message has been passed to our team" in call.said
    with app.app_context():
        assert db.session.scalars(select(Enquiry.status)).one() == "new"


def test_out_of_hours_a_caller_who_asked_for_a_person_can_refer_themselves(evening):
    assert "date of birth" in evening().press("8").press("1").said


# Honest endings: a call is promised only with a number to call; the website and hours wherever promised.

def test_a_withheld_caller_with_no_usable_number_hears_no_promise_but_the_website_and_hours(app, phone):
    call = at(phone(caller_number="anonymous"), "referral.callback_key")
    call.press("12345").press("999").press("0740")
    Caller(call).to_the_end()
    assert NO_PROMISE in call.said and reference_heard(app, call)
    assert WEBSITE in call.said and HOURS in call.said
    assert "will call you" not in call.said and "we'll call" not in call.said.lower()
    assert the_referral(app).status == "new"


def test_a_withheld_caller_who_gives_a_number_is_promised_a_call(app, phone):
    call = Caller(phone(caller_number="anonymous")).to_the_end()  # keys 07700 900123, confirmed
    assert "Our team will call you within 3 working days" in call.said and NO_PROMISE not in call.said


def test_a_withheld_existing_patient_with_no_usable_number_hears_no_promise(app, phone):
    call = phone(caller_number="anonymous").press("3").press("2").record(seconds=20)
    call.press("12345").press("999").press("0740").press("1")  # no number; voicemail all right
    assert call.ended and "Your message has been passed to our team." in call.said
    assert NO_PROMISE in call.said and WEBSITE in call.said and HOURS in call.said
    assert "call you back within" not in call.said


def test_the_goodbye_after_no_answer_at_the_menu_gives_the_website_and_hours_and_blames_nobody(app, phone):
    call = phone()
    while not call.ended:
        call.silence()
    assert "I'm sorry, I haven't been able to help you on this call." in call.said
    assert f"refer yourself through our website, {WEBSITE}" in call.said and HOURS in call.said
    with app.app_context():
        assert db.session.scalars(select(Call.outcome)).one() == "gave_up"


def test_the_other_ways_after_nobody_answers_give_the_website_and_hours(app, phone):
    app.extensions["ivr_line"].clock = lambda: datetime(2026, 11, 26, 10, 30, tzinfo=LONDON)
    call = phone().press("8").dial_ends("busy").press("3")
    assert f"on our website, {WEBSITE}" in call.said and HOURS in call.said and call.ended


def test_every_prompt_that_promises_the_website_or_the_hours_says_them_and_none_blames_the_caller(app):
    with app.app_context():
        texts = current_line().prompts.texts
    for key, text in texts.items():
        if "our website" in text:
            assert "{website}" in text, key
        if "opening hours" in text or "answers the phone" in text:
            assert "{opening_hours}" in text, key
        for blame in ("circles", "you didn't", "you did not", "you haven't", "you failed", "your fault"):
            assert blame not in text.lower(), key
