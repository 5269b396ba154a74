"""A caller at risk is heard in their own words at every kind of question, and the very next reply fits what they
said: 999 first for someone acting now, the put-through offer within 15 seconds, the routes for passive thoughts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import Call, CallStep, Enquiry, Referral, SafetyFollowUp
from ivr.tools.caller import Caller, step_asked
from ivr.tools.timing import spoken_seconds
from tests.support.line import CALLER, SENT, at, heard_sent, sent_and_goodbye

HELPLINE = "+448000280077"  # settings.yaml's crisis_helpline, "0800 028 0077"
HELPLINE_SAID = "oh 8 oh oh, oh 2 8, oh oh 7 7"
OFFER = "To be put through to the 24-hour helpline now, press 1"
# One way a caller says each kind of risk: the issue's own examples, as distressed callers said them.
SAID = {
    "acting_now": "I took a load of paracetamol about an hour ago",
    "intent": "I want to kill myself",
    "passive": "I don't want to wake up tomorrow",
    "harm_from_others": "my partner hits me",
    "harm_to_others": "the voices are telling me to hurt people",
    "help_now": "help me please",
}
# How the next reply begins for each: an acknowledgement that fits what happened.
BEGINS = {
    "acting_now": "If you've taken something, hurt yourself, or you're in danger, please hang up and call 9 9 9 now.",
    "intent": f"Thank you for telling me. {OFFER}",
    "passive": "Thank you for telling me. Thoughts like that can be hard to carry",
    "harm_from_others": "Thank you for telling me. If you're in danger now, hang up and call 9 9 9.",
    "harm_to_others": "Thank you for telling me. If anyone is in danger now, hang up and call 9 9 9.",
    "help_now": f"Help is there right now. {OFFER}",
}


def record_message(phone):
    return phone.record(seconds=20)


ENQUIRY = {"main.menu": "3", "enquiry.start": "2", "enquiry.message": record_message}
# Each kind of question, the answers that reach it, and the record the call has open there (None: none yet).
STEPS = {
    "main.menu": ({}, None),  # a menu choice
    "referral.date_of_birth": ({}, None),  # a date, keyed or said
    "referral.date_of_birth_confirm": ({}, None),  # a yes/no read-back
    "referral.practice": ({}, "referral"),  # a practice
    "referral.practice_choose": ({"referral.practice": "Mickleover"}, "referral"),  # a list pick
    "referral.name": ({}, "referral"),  # a name
    "referral.callback_key": ({"referral.callback_offer": "2"}, "referral"),  # a phone number
    "referral.best_time": ({}, "referral"),  # a menu choice in the referral
    "enquiry.start": ({"main.menu": "3"}, None),  # the existing patient's yes/no
    "enquiry.reference": ({"main.menu": "3", "enquiry.start": "1"}, None),  # a reference
    "enquiry.no_message": ({**ENQUIRY, "enquiry.message": None}, None),  # the words around a recording
    "enquiry.callback_offer": (ENQUIRY, "enquiry"),  # after the recorded message
}


def flagged(app, kind: str | None):
    """The call's referral or enquiry, as stored (None when the call has none)."""
    model = {"referral": Referral, "enquiry": Enquiry}.get(kind)
    with app.app_context():
        return db.session.scalars(select(model)).one() if model else None


def followups(app) -> list[tuple]:
    with app.app_context():
        return [(f.caller_number, f.category, f.step, f.words) for f in db.session.scalars(select(SafetyFollowUp))]


@pytest.mark.parametrize("category", SAID)
@pytest.mark.parametrize("step", STEPS)
def test_a_disclosure_at_any_question_gets_what_fits_in_the_very_next_reply(app, phone, practices, step, category):
    answers, open_record = STEPS[step]
    call = at(phone(), step, answers)
    call.say(SAID[category])
    said = call.said
    assert said.startswith(BEGINS[category]), said
    assert "didn't catch" not in said and not call.ended
    if category == "passive":  # the routes, gently, then on with the question they were at
        assert "9 9 9" in said and HELPLINE_SAID in said and "press 9 at any question" in said
        assert step_asked(call) == step
    else:
        assert spoken_seconds(said[:said.index(OFFER) + len(OFFER)]) <= 15
        assert call.waiting_for.tag == "Gather"
    if category == "harm_from_others":  # their own helpline's number, in place of the mental health helpline's
        assert "The National Domestic Abuse Helpline is free, day and night. Its number is oh 8 oh 8" in said
    else:
        assert HELPLINE_SAID in said
    record = flagged(app, open_record)
    if record is not None:
        assert (record.urgent, record.urgent_reason, record.urgent_step, record.urgent_words) == (
            True, f"risk:{category}", step, SAID[category])
    assert followups(app) == [(CALLER, category, step, SAID[category])]


def test_the_numbers_are_read_inside_the_gather_with_real_pauses_and_a_key_cuts_in(phone):
    call = at(phone(), "referral.name").say(SAID["intent"])
    gather = call.waiting_for
    said_inside = " ".join(say.text for say in gather.iter("Say"))
    assert OFFER in said_inside and HELPLINE_SAID in said_inside
    assert "To carry on with this call, press 2." in said_inside
    assert [pause.get("length") for pause in gather.iter("Pause")] == ["1"] * 6
    assert call.press("1").dialled == HELPLINE


@pytest.mark.parametrize(("step", "denial"), [
    ("referral.urgent", "No, I'm not suicidal"),
    ("referral.urgent", "no never"),
    ("referral.date_of_birth_confirm", "no I'm not suicidal"),
])
def test_a_denial_is_a_no_and_flags_nothing(app, phone, step, denial):
    call = at(phone(), step, {"referral.name": "Sam Taylor"}).say(denial)
    assert OFFER not in call.said and "Thank you for telling" not in call.said
    if step == "referral.urgent":
        assert call.said.startswith(SENT) and sent_and_goodbye(call).ended
    else:
        assert step_asked(call) == "referral.date_of_birth"  # "no": the date is asked again
    referral = flagged(app, "referral" if step == "referral.urgent" else None)
    assert referral is None or (referral.urgent, referral.urgent_words) == (False, None)
    assert followups(app) == []


def test_press_1_puts_the_caller_through_and_they_carry_on_after(app, phone):
    call = at(phone(), "referral.name").say("I've taken too many tablets").press("1")
    assert "Putting you through to the helpline now" in call.said and call.dialled == HELPLINE
    call.dial_ends("completed", duration=600)
    assert "You're back on the I P T line" in call.said
    call.press("1")
    assert "What's your full name?" in call.said
    assert followups(app)[0][1:] == ("acting_now", "referral.name", "I've taken too many tablets")


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed", "canceled"])
def test_a_dial_that_fails_gives_the_numbers_and_the_offer_again(app, phone, status):
    call = at(phone(), "referral.name").say(SAID["intent"]).press("1").dial_ends(status)
    said = call.said
    assert said.startswith("I'm sorry, the helpline didn't answer.") and OFFER in said and HELPLINE_SAID in said
    assert "Thank you for telling me" not in said
    assert call.press("1").dialled == HELPLINE  # they can try again
    call.dial_ends("busy").press("2")
    assert "What's your full name?" in call.said
    with app.app_context():
        assert CallStep.query.filter_by(step="crisis.put_through", event=f"dial_{status.replace('-', '_')}").count()


def test_no_answer_to_the_offer_puts_the_caller_through(phone):
    call = at(phone(), "referral.name").say(SAID["intent"]).silence().silence()
    assert "If I don't hear from you, I'll put you through to the helpline." in call.said
    assert "Thank you for telling me" not in call.said
    assert call.silence().dialled == HELPLINE


def test_a_disclosure_at_the_offer_puts_the_caller_through(phone):
    call = at(phone(), "referral.name").say(SAID["intent"]).say("I've already taken the pills")
    assert call.dialled == HELPLINE


@pytest.mark.parametrize(("where", "then", "after"), [
    ("referral.name", {}, "hang up"),
    ("enquiry.start", {"main.menu": "3"}, "hang up"),  # an existing patient
    ("enquiry.callback_offer", ENQUIRY, "hang up"),
    ("referral.date_of_birth", {"referral.date_of_birth": "01052013"}, "under 16"),
    ("referral.practice", {"referral.registered_here": "2"}, "out of area"),
    ("referral.name", {}, "put through"),
])
def test_a_disclosure_leaves_a_safety_follow_up_whatever_follows(app, phone, practices, where, then, after):
    call = at(phone(), where, then).say(SAID["intent"])
    if after == "put through":
        call.press("1").dial_ends("completed").press("2")
    elif after == "hang up":
        call.hang_up()
    else:
        call.press("2")  # carry on: the question again, then on to the end
        call = Caller(call, then).to_the_end()
        assert call.ended and "We haven't kept any of your details" in call.said
        with app.app_context():
            assert db.session.scalars(select(Call)).one().caller_number is None
            assert db.session.scalars(select(Referral)).all() == []
    assert followups(app) == [(CALLER, "intent", where, SAID["intent"])]


def test_an_under_16_caller_hears_childline_beside_the_crisis_routes(phone):
    call = at(phone(), "referral.date_of_birth_confirm", {"referral.date_of_birth": "01052013"}).press("1")
    said = call.said
    assert call.ended and "Samaritans are on" in said
    assert said.index("Samaritans") < said.index("you can call Childline, free, any time, on oh 8 oh oh, 1 1 1 1")


def test_a_withheld_number_leaves_no_follow_up_but_the_referral_is_flagged_with_the_words(app, phone):
    call = at(phone(caller_number="anonymous"), "referral.name").say(SAID["intent"])
    call.hang_up()
    assert followups(app) == []
    assert flagged(app, "referral").urgent_words == SAID["intent"]


def test_a_second_disclosure_adds_its_words_to_the_flag_and_the_follow_up(app, phone):
    call = at(phone(), "referral.name").say(SAID["passive"])
    call.say("Sam Taylor")
    call.press("2").say(SAID["intent"])  # "no" to the read-back, then said at the name again
    both = f"{SAID['passive']} / {SAID['intent']}"
    assert followups(app) == [(CALLER, "passive", "referral.name", both)]
    referral = flagged(app, "referral")
    assert (referral.urgent_reason, referral.urgent_words) == ("risk:passive", both)


def test_the_caller_carries_on_where_they_were_and_the_referral_is_sent_flagged(app, phone):
    call = at(phone(), "referral.name").say(SAID["intent"]).press("2")  # carry on with this call
    assert call.said.startswith("Let's carry on where we were.") and "What's your full name?" in call.said
    Caller(call.say("my name's sam taylor")).to_the_end()
    assert heard_sent(call)
    referral = flagged(app, "referral")
    assert (referral.status, referral.name, referral.urgent) == ("new", "Sam Taylor", True)
    assert (referral.urgent_reason, referral.urgent_step, referral.urgent_words) == (
        "risk:intent", "referral.name", SAID["intent"])


def test_a_flag_raised_before_the_referral_is_open_goes_on_it_when_it_is(app, phone):
    call = phone().press("2").say("honestly I just want to end it all").press("2")  # at the date of birth
    assert "What's your date of birth?" in call.said
    at(call, "referral.practice")
    referral = flagged(app, "referral")
    assert (referral.urgent, referral.urgent_reason, referral.urgent_step, referral.urgent_words) == (
        True, "risk:intent", "referral.date_of_birth", "honestly I just want to end it all")


@pytest.mark.parametrize("said", ["I'm just killing time", "I'm dying to get started", "my dad died last year",
                                  "we split up and it all went wrong"])
def test_ordinary_answers_with_risk_like_words_are_not_taken_for_risk(app, phone, practices, said):
    call = at(phone(), "referral.practice").say("nowhere").say(said)
    assert "Are you registered with a GP in Derby or Derbyshire?" in call.said
    assert followups(app) == [] and not flagged(app, "referral").urgent


def test_a_passive_disclosure_no_phrase_lists_is_heard_at_the_date_of_birth(app, phone):
    said = "honestly I'd be happier dead"  # no phrase says it: the cue "me + not alive + wish" hears it
    call = at(phone(), "referral.date_of_birth").say(said)
    assert call.said.startswith(BEGINS["passive"]) and "didn't catch" not in call.said
    assert "9 9 9" in call.said and HELPLINE_SAID in call.said and "press 9 at any question" in call.said
    assert step_asked(call) == "referral.date_of_birth"  # then on with the question they were at
    assert followups(app) == [(CALLER, "passive", "referral.date_of_birth", said)]
