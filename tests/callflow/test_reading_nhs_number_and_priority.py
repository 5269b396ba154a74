"""The two questions issue 25 adds to the referral, read as callers answer them: the NHS number (optional, its check
digit checked, read back in 3, 3 and 4) and Derbyshire's priority groups (one question, read forgivingly)."""

from datetime import date

import pytest

from ivr.callflow.answers import Answer, Context, Event, Retry
from ivr.callflow.nhs_number import nhs_number
from ivr.callflow.priority import priority

CTX = Context(today=date(2026, 12, 6))


@pytest.mark.parametrize("event", [
    Event("digits", "9434765919"),
    Event("speech", "nine four three four seven six five nine one nine"),
    Event("speech", "it's 943 476 5919"),
])
def test_an_nhs_number_is_kept_and_read_back_in_the_nhs_groups(event):
    assert nhs_number(event, CTX) == Answer("9434765919", spoken="9 4 3, 4 7 6, 5 9 1 9")


@pytest.mark.parametrize("event, reason", [
    (Event("digits", "9434765918"), "check_digit"),  # one digit slipped: not an NHS number
    (Event("digits", "943476591"), "ten_digits"),
    (Event("digits", "94347659190"), "ten_digits"),
    (Event("speech", "hang on, I'm looking"), "ten_digits"),
])
def test_a_number_that_is_not_an_nhs_number_is_asked_again_saying_why(event, reason):
    assert nhs_number(event, CTX) == Retry(reason)


@pytest.mark.parametrize("said", ["no", "I don't know it", "not sure", "no idea, sorry"])
def test_not_knowing_it_goes_on(said):
    assert nhs_number(Event("speech", said), CTX) == Answer(None, outcome="unknown")


@pytest.mark.parametrize("event, outcome", [
    (Event("digits", "1"), "yes"),
    (Event("digits", "2"), "no"),
    (Event("speech", "no"), "no"),
    (Event("speech", "no, neither"), "no"),
    (Event("speech", "yes"), "yes"),
    (Event("speech", "yes, I'm pregnant"), "pregnant"),
    (Event("speech", "I've got a six month old baby"), "pregnant"),
    (Event("speech", "I was in the army"), "forces"),
    (Event("speech", "yeah I'm a veteran"), "forces"),
    (Event("speech", "I'm pregnant and I served in the navy"), "both"),
    (Event("speech", "I'm not sure"), "unsure"),
])
def test_the_priority_question_hears_yes_no_and_the_group_named(event, outcome):
    assert priority(event, CTX) == Answer(None, outcome=outcome)


@pytest.mark.parametrize("said", [
    "I'm not pregnant",  # a group named, and denied: never flagged
    "my partner is pregnant",  # someone else's
    "my dad was in the army",
    "I never served",
    "banana",
])
def test_a_group_word_that_is_not_the_callers_plain_answer_is_asked_again_not_guessed(said):
    assert priority(Event("speech", said), CTX) == Retry()


def test_a_key_other_than_1_or_2_is_asked_again():
    assert priority(Event("digits", "3"), CTX) == Retry()
