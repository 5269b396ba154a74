"""Key 9 is help right now at every question, digits questions included: a lone 9 is never part of an answer."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import Referral, SafetyFollowUp
from ivr.tools.caller import step_asked
from tests.support.line import CALLER, at
from tests.voice.test_crisis import ENQUIRY, HELPLINE, HELPLINE_SAID, OFFER

# Each kind of question, and the answers that reach it.
STEPS = {
    "main.menu": {},
    "referral.date_of_birth": {},  # keys only as data: 8 digits
    "referral.date_of_birth_confirm": {},
    "referral.practice": {},
    "referral.practice_town": {"referral.practice": "Long Eaton"},  # "more" is 8 now, never 9
    "referral.name": {},
    "referral.callback_key": {"referral.callback_offer": "2"},  # a number, keyed
    "referral.best_time": {},
    "referral.urgent": {},
    "enquiry.start": {"main.menu": "3"},
    "enquiry.reference": {"main.menu": "3", "enquiry.start": "1"},  # 6 digits
    "enquiry.no_message": {**ENQUIRY, "enquiry.message": None},
    "enquiry.callback_offer": ENQUIRY,
}


@pytest.mark.parametrize("step", STEPS)
def test_key_9_at_any_question_gives_help_now_then_the_same_question(app, phone, practices, step):
    call = at(phone(), step, STEPS[step]).press("9")
    said = call.said
    assert said.startswith(f"Help is there right now. {OFFER}") and HELPLINE_SAID in said
    assert "Thank you for telling" not in said and "Sorry" not in said
    call.press("2")  # carry on
    assert call.said.startswith("Let's carry on where we were.") and step_asked(call) == step
    with app.app_context():
        followup = db.session.scalars(select(SafetyFollowUp)).one()
        assert (followup.caller_number, followup.category, followup.step, followup.words) == (
            CALLER, "help_now_key", step, None)


def test_nine_said_alone_is_help_now_too(phone):
    call = at(phone(), "referral.date_of_birth").say("nine")
    assert call.said.startswith(f"Help is there right now. {OFFER}")


def test_9_at_the_offer_puts_the_caller_through(phone):
    assert at(phone(), "referral.name").press("9").press("9").dialled == HELPLINE


def test_a_referral_started_after_key_9_is_flagged(app, phone):
    call = phone().press("9").press("2")
    assert "To refer yourself, press 2" in call.said  # back at the menu
    at(call, "referral.practice")
    with app.app_context():
        referral = db.session.scalars(select(Referral)).one()
        assert (referral.urgent, referral.urgent_reason, referral.urgent_step) == (True, "help_now_key", "main.menu")


def test_a_list_offers_more_on_8_not_9(phone, practices):
    call = at(phone(), "referral.practice_town", {"referral.practice": "Long Eaton"})
    assert "For more practices, press 8." in call.said and "press 9" not in call.said
