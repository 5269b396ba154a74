"""Answers as callers give them: a place in a list, a number inside a sentence, "the same number", a number in a
sentence, and a menu word inside a sentence (issue 24, "Understand answers as people give them")."""

from __future__ import annotations

import pytest

from ivr.tools.caller import Caller, step_asked
from tests.support.line import CALLER, at, to_practice
from tests.support.records import stored_practice, the_referral


@pytest.mark.parametrize("said", ["The second one.", "second", "number two", "the second one please", "option 2"])
def test_the_second_one_picks_the_second_and_reads_it_back(app, phone, practices, said):
    call = to_practice(phone).say("Mickleover")
    assert "Mickleover Surgery in Mickleover, Derby, press 2" in call.said
    call.say(said)
    assert call.said == "Mickleover Surgery in Mickleover, Derby. Is that right?"
    assert stored_practice(app) is None  # stored only once the caller confirms it (H2)
    call.say("yes")
    assert "What's your full name?" in call.said
    assert stored_practice(app) == "C81113"


@pytest.mark.parametrize(("said", "practice"), [
    ("the first one", "Mickleover Medical Centre"),
    ("the last one", "Mickleover Surgery"),  # the last practice read out, not "none of these"
])
def test_places_in_the_list_pick_by_place(phone, practices, said, practice):
    call = to_practice(phone).say("Mickleover").say(said)
    assert call.said == f"{practice} in Mickleover, Derby. Is that right?"


def test_a_sentence_about_the_practice_saves_nothing_and_asks_again(app, phone, practices):
    call = to_practice(phone).say("Mickleover").say("I don't know, it's the one on the main road")
    assert step_asked(call) == "referral.practice_choose"
    # A sentence the question could not read: how to get help now follows the sorry (tests/voice/test_help_offer.py).
    assert call.said.startswith("Sorry, I didn't catch that. If you need help right now, press 9. "
                                "Please choose your practice.")
    assert stored_practice(app) is None
    with app.app_context():
        assert the_referral(app).practice_to_check is False  # nothing was taken as the answer


def test_a_sentence_with_a_menu_word_is_no_menu_choice(phone):
    call = phone().say("I was told about this line by my GP last week")
    assert step_asked(call) == "main.menu"  # not "About IPT", on its word "about"
    assert "Interpersonal Therapy" not in call.said


def test_a_disclosure_with_about_in_it_never_plays_about_ipt(phone):
    call = phone().say("I took a load of paracetamol about an hour ago")
    assert step_asked(call) != "information.next" and "Interpersonal Therapy" not in call.said


def test_a_short_answer_with_a_menu_word_still_chooses(phone):
    assert "Interpersonal Therapy" in phone().say("I'd like to hear about IPT please").said


def to_callback_key(phone, **kwargs):
    """A referral at "say or key the number", the caller having said no to the number offered, if any."""
    return at(phone(**kwargs), "referral.callback_key", {"referral.callback_offer": "2"})


@pytest.mark.parametrize("said", ["Same number as I'm calling from", "this number", "the one I'm ringing on",
                                  "the number I'm calling from", "same number"])
def test_the_same_number_is_the_one_they_ring_from_even_after_saying_no(app, phone, said):
    call = to_callback_key(phone).say(said)
    assert call.said == "I have oh 7 4 oh oh, 1 2 3, 4 5 6. Is that right?"
    call.press("1")
    assert the_referral(app).callback_number == CALLER


def test_the_same_number_when_it_is_withheld_asks_for_it(phone):
    call = to_callback_key(phone, caller_number="anonymous").say("same number")
    assert call.said.startswith("Sorry, the number you're calling from isn't showing, so I'll need you to give it.")
    assert step_asked(call) == "referral.callback_key"


def test_a_number_inside_a_sentence_is_read_as_that_number(app, phone):
    call = to_callback_key(phone).say("I want you to call me on 07700 900123")
    assert call.said == "I have oh 7 7 oh oh, 9 oh oh, 1 2 3. Is that right?"
    Caller(call.press("1")).to_the_end()
    assert the_referral(app).callback_number == "+447700900123"
