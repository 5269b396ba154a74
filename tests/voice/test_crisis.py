"""A caller at risk is always heard: risk words at any question, key 9, and the helpline through <Dial>."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import Call, CallStep, Referral
from ivr.tools.caller import Caller
from tests.support.line import at

HELPLINE = "+448000280077"  # settings.yaml's crisis_helpline, "0800 028 0077"
# Ways of saying risk, and the category the risk model (ivr/callflow/risk) hears in each.
RISK = {
    "I don't want to be here anymore": "passive",
    "I want to kill myself": "intent",
    "I've been hurting myself": "acting_now",
    "I took an overdose last night": "acting_now",
    "My partner hits me": "harm_from_others",
    "I'm scared I'll hurt someone": "harm_to_others",
    "help me please": "help_now",
}


def hears_crisis_routes_and_the_offer(said: str) -> None:
    """The crisis routes, slowly (the helpline number twice), then the offer to be put through now."""
    for route in ("call 9 9 9", "N H S 1 1 1, and choose option 2", "Samaritans, any time, on 1 1 6, 1 2 3"):
        assert route in said
    assert said.count("oh 8 oh oh, oh 2 8, oh oh 7 7") == 2
    assert said.index("Samaritans") < said.index("put through to the 24-hour helpline now, press 1")


def to_name(phone):
    """A referral at the name question (practice not found twice, but registered in Derbyshire)."""
    return at(phone(), "referral.name")


# Each kind of question, the answers on the way that get a call there, and whether a referral is open there yet.
STEPS = {
    "main.menu": ({}, False),
    "information.what_is": ({"main.menu": "1"}, False),
    "referral.date_of_birth": ({}, False),
    "referral.date_of_birth_confirm": ({}, False),
    "referral.practice": ({}, True),
    "referral.practice_choose": ({"referral.practice": "Mickleover"}, True),
    "referral.name": ({}, True),
    "referral.callback_key": ({"referral.callback_offer": "2"}, True),
    "referral.communication_what": ({"referral.communication": "1"}, True),
    "enquiry.reference": ({"main.menu": "3", "enquiry.start": "1"}, False),
}


@pytest.mark.parametrize("said", RISK)
@pytest.mark.parametrize("step", STEPS)
def test_a_risk_phrase_at_any_question_is_heard_within_one_turn(app, phone, practices, step, said):
    answers, referral_open = STEPS[step]
    call = at(phone(), step, answers)
    with app.app_context():
        assert json.loads(json.dumps(db.session.scalars(select(Call)).one().state))["step"] == step
    call.say(said)
    hears_crisis_routes_and_the_offer(call.said)
    assert call.waiting_for.tag == "Gather" and not call.ended
    with app.app_context():
        stored = db.session.scalars(select(Call)).one()
        assert (stored.steps[-1].step, stored.steps[-1].event) in {("crisis.offer", "enter")}
        assert CallStep.query.filter_by(step=step, event="risk_phrase").count() == 1
        said_words = said.lower()
        assert said_words not in json.dumps(stored.state).lower()  # what they said is not kept, anywhere
        referral = stored.referral
        if referral_open:
            assert (referral.urgent, referral.urgent_reason, referral.urgent_step) == (
                True, f"risk:{RISK[said]}", step)
            row = {c.name: getattr(referral, c.name) for c in Referral.__table__.columns}
            assert not any(said_words in str(value).lower() for value in row.values())
        else:
            assert referral is None or not referral.urgent


def test_the_caller_carries_on_where_they_were_and_the_referral_is_sent_flagged(app, phone):
    call = to_name(phone).say("I want to kill myself")
    call.press("2")  # carry on with this call
    assert call.said.startswith("Let's carry on where we were.") and "What's your full name?" in call.said
    Caller(call.say("my name's sam taylor")).to_the_end()
    assert "Sent." in call.said and call.ended
    with app.app_context():
        referral = db.session.scalars(select(Referral)).one()
        assert (referral.status, referral.name, referral.urgent) == ("new", "Sam Taylor", True)
        assert (referral.urgent_reason, referral.urgent_step) == ("risk:intent", "referral.name")


def test_a_flag_raised_before_the_referral_is_open_goes_on_it_when_it_is(app, phone):
    call = phone().press("2").say("honestly I just want to end it all")  # at the date of birth
    call.press("2")
    assert "What's your date of birth?" in call.said
    at(call, "referral.practice")
    with app.app_context():
        referral = db.session.scalars(select(Referral)).one()
        assert (referral.urgent, referral.urgent_reason, referral.urgent_step) == (
            True, "risk:intent", "referral.date_of_birth")


def test_press_1_puts_the_caller_through_to_the_helpline_and_they_can_carry_on_after(app, phone):
    call = to_name(phone).say("I've taken too many tablets")
    call.press("1")
    assert "Putting you through to the helpline now" in call.said
    assert call.dialled == HELPLINE
    call.dial_ends("completed", duration=600)
    assert "You're back on the I P T line" in call.said and not call.ended
    call.press("1")
    assert "What's your full name?" in call.said


def test_after_the_helpline_the_caller_can_end_the_call(phone):
    call = to_name(phone).say("I've taken too many tablets").press("1").dial_ends("completed").press("2")
    assert call.ended and "take care of yourself" in call.said


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed", "canceled"])
def test_a_dial_that_fails_gives_the_numbers_again_and_the_offer_to_carry_on(app, phone, status):
    call = to_name(phone).say("I don't feel safe").press("1")
    call.dial_ends(status)
    said = call.said
    assert said.startswith("I'm sorry, the helpline didn't answer.")
    hears_crisis_routes_and_the_offer(said)
    assert "To carry on with this call, press 2" in said
    call.press("1")
    assert call.dialled == HELPLINE  # they can try again
    call.dial_ends("busy").press("2")
    assert "What's your full name?" in call.said
    with app.app_context():
        assert CallStep.query.filter_by(step="crisis.put_through", event=f"dial_{status.replace('-', '_')}").count()


def test_no_answer_to_the_offer_puts_the_caller_through(phone):
    call = to_name(phone).say("I want to die").silence().silence()
    assert "If I don't hear from you, I'll put you through to the helpline." in call.said
    call.silence()
    assert call.dialled == HELPLINE


def test_risk_words_at_the_offer_put_the_caller_through(phone):
    call = to_name(phone).say("I want to die").say("I want to kill myself")
    assert call.dialled == HELPLINE


def test_press_9_at_the_menu_gives_help_now_and_flags_a_referral_made_after(app, phone):
    call = phone()
    assert "For help right now, press 9." in call.said
    call.press("9")
    hears_crisis_routes_and_the_offer(call.said)
    call.press("2")
    assert "To refer yourself, 2" in call.said  # back at the menu
    at(call, "referral.practice")
    with app.app_context():
        referral = db.session.scalars(select(Referral)).one()
        assert (referral.urgent, referral.urgent_reason, referral.urgent_step) == (True, "help_now_key", "main.menu")


def test_saying_help_now_at_the_menu_is_key_9(phone):
    call = phone().say("I need help right now")
    hears_crisis_routes_and_the_offer(call.said)


def test_a_false_positive_costs_a_few_seconds_and_the_caller_carries_on(app, phone):
    call = at(phone(), "referral.best_time")
    assert "When's best to call?" in call.said
    call.say("mornings, I can't cope with afternoons")  # not risk, but "I can't cope" is heard as asking for help
    hears_crisis_routes_and_the_offer(call.said)
    call.press("2")
    assert "When's best to call?" in call.said
    Caller(call.press("1")).to_the_end()
    assert "Sent." in call.said and call.ended
    with app.app_context():
        referral = db.session.scalars(select(Referral)).one()
        assert (referral.status, referral.best_time, referral.urgent_reason) == (
            "new", "morning", "risk:help_now")


@pytest.mark.parametrize("said", ["I'm just killing time", "I'm dying to get started"])
def test_figures_of_speech_with_risk_words_are_not_taken_for_risk(phone, said):
    call = at(phone(), "referral.practice").say("nowhere").say(said)
    assert "Are you registered with a GP in Derby or Derbyshire?" in call.said
