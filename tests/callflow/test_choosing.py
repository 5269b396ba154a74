"""Reading a choice as callers give it: a key said as the answer, a place in a list, a menu word in a short answer,
"the same number", digits inside a sentence, and names keyed as on a phone keypad."""

from __future__ import annotations

from datetime import date

import pytest

from ivr.callflow import keypad
from ivr.callflow.answers import Answer, Context, Event, Retry, callback_number, communication_needs, digits_in
from ivr.callflow.choosing import key_said, pick, position

CTX = Context(today=date(2026, 11, 26))
SAY = lambda text: Event("speech", text)  # noqa: E731
THREE = [{"ods_code": f"C8100{n}", "name": f"Practice {n}", "place": "Derby"} for n in (1, 2, 3)]


@pytest.mark.parametrize(("said", "key"), [
    ("two", "2"), ("Two.", "2"), ("number two", "2"), ("option 2, please", "2"), ("press two", "2"),
    ("it's three", "3"), ("one", "1"),
    ("The second one.", ""), ("I don't know, it's the one on the main road", ""), ("one of the ones in town", ""),
])
def test_a_number_word_is_a_key_only_as_the_whole_answer_or_clearly_the_choice(said, key):
    assert key_said(SAY(said)) == key


@pytest.mark.parametrize(("said", "place"), [
    ("the second one", 2), ("second", 2), ("the first", 1), ("the last one", 3), ("third one please", 3),
    ("the first and the second", None), ("the fifth", None),
    ("I think it was the second surgery we went to when we moved here", None),  # a sentence, not a choice
])
def test_places_in_a_list(said, place):
    assert position(SAY(said), 3) == place


@pytest.mark.parametrize(("said", "chosen"), [
    ("The second one.", "C81002"), ("number three", "C81003"), ("the last", "C81003"), ("2", "C81002"),
])
def test_picking_from_a_list(said, chosen):
    assert pick(THREE, 0, SAY(said)).value["ods_code"] == chosen


def test_a_sentence_at_a_list_is_asked_again():
    assert pick(THREE, 0, SAY("I don't know, it's the one on the main road")) == Retry()


@pytest.mark.parametrize(("said", "digits"), [
    ("I want you to call me on 07700 900123", "07700900123"),
    ("oh seven seven double oh, nine oh oh, one two three", "07700900123"),
    ("it's for my mum, 01332 123456", "01332123456"),
])
def test_the_digits_said_are_the_longest_run_of_them(said, digits):
    assert digits_in(SAY(said)) == digits


@pytest.mark.parametrize("said", ["same number", "this number", "the one I'm ringing on",
                                  "the number I'm calling from", "Same number as I'm calling from", "this one"])
def test_the_same_number_is_the_callers_own(said):
    ctx = Context(today=CTX.today, caller_number="+447400123456")
    assert callback_number(SAY(said), ctx) == Answer("+447400123456", spoken="oh 7 4 oh oh, 1 2 3, 4 5 6")
    assert callback_number(SAY(said), CTX) == Retry("not_showing")  # withheld: nothing to use


@pytest.mark.parametrize("said", ["I'm calling from a friend's phone", "not this number", "a different one"])
def test_another_phone_is_not_the_same_number(said):
    ctx = Context(today=CTX.today, caller_number="+447400123456")
    assert isinstance(callback_number(SAY(said), ctx), Retry)  # asked for the number instead


@pytest.mark.parametrize(("event", "outcome"), [
    (Event("digits", "1"), "interpreter"), (Event("digits", "2"), "bsl"), (Event("digits", "3"), "text_relay"),
    (Event("digits", "4"), "other"), (SAY("I need a Polish interpreter"), "ok"),
])
def test_communication_needs_by_key_or_said(event, outcome):
    assert communication_needs(event, CTX).outcome == outcome
    assert communication_needs(Event("digits", "7"), CTX) == Retry("keys")


@pytest.mark.parametrize(("name", "keys", "starts"), [
    ("Ivy Grove Surgery", "489", True), ("The Moir Medical Centre", "664", True),
    ("The Moir Medical Centre", "843", True), ("Dr Smith and Partners", "764", True), ("Park Surgery", "787", False),
])
def test_a_name_keyed_as_on_a_phone_keypad(name, keys, starts):
    assert any(s.startswith(keys) for s in keypad.spellings(name)) is starts


@pytest.mark.parametrize(("keys", "can"), [("489", True), ("9", False), ("48", True), ("4#9", False),
                                           ("401", False)])
def test_a_lone_9_or_a_key_with_no_letters_is_no_name(keys, can):
    assert keypad.could_spell(keys) is can
