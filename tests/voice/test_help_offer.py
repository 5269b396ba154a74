"""A sentence a question cannot read, or a short answer said with a sentence besides, is followed by how to get help
now: the risk model heard no risk in it, but may have missed some (when unsure, fail safe). Nothing is flagged, and
a short slip is only asked again."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ivr.extensions import db
from ivr.models import Referral, SafetyFollowUp
from ivr.tools.caller import step_asked
from tests.support.line import at
from tests.voice.test_crisis import OFFER

HELP_OFFER = "If you need help right now, press 9."
UNREAD = "honestly I don't even know what I'm doing with any of this today"  # no risk, and no answer


@pytest.mark.parametrize("step", ["referral.date_of_birth", "referral.best_time", "referral.urgent", "referral.name"])
def test_a_sentence_not_understood_is_asked_again_with_how_to_get_help_now(app, phone, step):
    call = at(phone(), step).say(UNREAD)
    said = call.said
    assert said.startswith("Sorry") and HELP_OFFER in said
    assert said.index(HELP_OFFER) < len(said) // 2  # straight after the sorry, before the question again
    assert step_asked(call) == step and "Thank you for telling" not in said
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SafetyFollowUp)) == 0
        assert all(referral.urgent_reason is None for referral in db.session.scalars(select(Referral)))

    assert call.press("9").said.startswith(f"Help is there right now. {OFFER}")


def test_a_short_slip_is_only_asked_again(phone):
    said = at(phone(), "referral.best_time").say("the blue one").said
    assert said.startswith("Sorry") and HELP_OFFER not in said


def test_at_the_menu_the_offer_comes_first_in_place_of_its_own_press_9(phone):
    said = phone().say(UNREAD).said
    assert said.startswith(f"Sorry, I didn't catch that. {HELP_OFFER}")  # before the other languages and options
    assert "For help now, press 9." not in said and said.count("press 9") == 1
    assert "For help now, press 9." in phone().say("the blue one").said  # a short slip: the menu as before


def test_the_offer_is_said_before_going_on_when_the_tries_are_used_up(phone):
    call = at(phone(), "referral.best_time")
    for _ in range(3):
        call.say(UNREAD)
    assert HELP_OFFER in call.said and step_asked(call) != "referral.best_time"


def test_a_long_name_is_still_a_name(phone):
    call = at(phone(), "referral.name").say("my name is Maria del Carmen Garcia Lopez")
    assert call.said.startswith("Maria Del Carmen Garcia Lopez. Is that right?")


def test_a_sentence_besides_a_short_answer_is_read_and_followed_by_how_to_get_help_now(app, phone):
    call = at(phone(), "referral.name_confirm").say("yeah that's right, sorry I'm all over the place today honestly")
    said = call.said
    assert step_asked(call) != "referral.name_confirm" and said.startswith(HELP_OFFER)  # the yes taken, then on
    assert "Thank you for telling" not in said
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SafetyFollowUp)) == 0
    assert HELP_OFFER not in at(phone(), "referral.name_confirm").say("yes that's right thanks").said


def test_the_safety_question_keeps_its_own_replies(phone):
    said = at(phone(), "referral.urgent").say("no, nothing like that, it's mostly work stress and not sleeping").said
    assert HELP_OFFER not in said


@pytest.mark.parametrize(("step", "said", "next_step"), [
    ("referral.date_of_birth", "14th of March 1988, honestly not sure why I'm even bothering now",
     "referral.date_of_birth_confirm"),
    ("referral.callback_key", "07700 900123, though I doubt there'll be anyone here to pick up by then",
     "referral.callback_confirm"),
])
def test_a_number_said_with_a_sentence_besides_is_read_and_followed_by_how_to_get_help_now(phone, step, said,
                                                                                          next_step):
    call = at(phone(), step, {"referral.callback_offer": "2"}).say(said)  # 2: another number, to be given
    assert step_asked(call) == next_step and call.said.startswith(HELP_OFFER)  # the number read, then the offer
    assert "Thank you for telling" not in call.said


@pytest.mark.parametrize(("step", "said"), [
    ("referral.date_of_birth", "my date of birth is the 14th of March 1988"),
    ("referral.callback_key", "you can call me on 07700 900123 please"),
])
def test_a_number_said_in_a_sentence_of_its_own_is_only_read(phone, step, said):
    assert HELP_OFFER not in at(phone(), step, {"referral.callback_offer": "2"}).say(said).said


def test_a_choice_said_first_is_taken_with_the_sentence_after_it(app, phone):
    call = at(phone(), "referral.best_time").say("Mornings, I'm not suicidal or anything, just really low")
    assert step_asked(call) == "referral.priority" and call.said.startswith(HELP_OFFER)
    assert "Thank you for telling" not in call.said
    at(call, "referral.reference")
    with app.app_context():
        assert db.session.scalars(select(Referral)).one().best_time == "morning"
        assert db.session.scalar(select(func.count()).select_from(SafetyFollowUp)) == 0


@pytest.mark.parametrize("said", [
    "mornings I'm not suicidal or anything just really low",  # no first clause apart: a sentence, as before
    "I'm usually up in the mornings, but honestly I'm just really low",  # the choice not said first
])
def test_a_choice_word_inside_a_sentence_is_not_taken(phone, said):
    assert step_asked(at(phone(), "referral.best_time").say(said)) == "referral.best_time"


@pytest.mark.parametrize(("step", "said"), [
    ("referral.date_of_birth", "I'm all over the place"),  # a few words about themselves, no date in them
    ("referral.practice", "I can't think straight"),
    ("referral.name", "I don't know what to say"),  # not a name: never read back as one
    ("referral.name", "just a bit lost with it all"),
    ("referral.name", "I'm sick of all this"),
])
def test_a_few_words_about_themselves_not_understood_are_asked_again_with_how_to_get_help_now(phone, step, said):
    call = at(phone(), step).say(said)
    assert call.said.startswith("Sorry") and HELP_OFFER in call.said
    assert step_asked(call) == step and "Is that right?" not in call.said


def test_a_name_with_a_word_like_to_or_he_in_it_is_still_a_name(phone):
    assert at(phone(), "referral.name").say("He Wei").said.startswith("He Wei. Is that right?")
    assert at(phone(), "referral.name").say("I'm Jo Ann Smith").said.startswith("Jo Ann Smith. Is that right?")


def test_a_number_not_all_there_said_with_a_sentence_is_asked_again_with_how_to_get_help_now(phone):
    call = at(phone(), "referral.callback_key", {"referral.callback_offer": "2"})
    call.say("oh seven seven oh nine, I can't remember the rest of it, sorry, my head's gone")
    assert step_asked(call) == "referral.callback_key" and HELP_OFFER in call.said
    assert HELP_OFFER not in at(phone(), "referral.callback_key", {"referral.callback_offer": "2"}).say(
        "oh seven seven oh nine").said  # only part of a number: asked again, as before


def test_a_menu_choice_said_with_a_sentence_besides_is_taken_and_followed_by_how_to_get_help_now(phone):
    call = phone().say("refer please, I've had a really rough time since the funeral")
    assert call.said.startswith(HELP_OFFER) and step_asked(call) == "referral.date_of_birth"
    assert HELP_OFFER not in phone().say("I'd like to refer myself please").said
