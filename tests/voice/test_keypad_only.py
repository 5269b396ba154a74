"""A caller who only ever presses keys can refer themselves: the practice by its first letters (as dial-by-name),
the name recorded after a key, communication needs by key (issue 24, "Keypad-only callers can finish")."""

from __future__ import annotations

import pytest

from ivr.tools.caller import Caller, step_asked
from tests.support.line import heard_sent, to_practice
from tests.support.records import stored_practice, the_referral

# Every answer a key: a first key at the practice question that spells nothing, then I V Y (4 8 9) and #; a key
# at the name question, then a recording of their name; an interpreter by key.
KEYS_ONLY = {
    "referral.practice": ["1", "489"],
    "referral.name": "1",
    "referral.communication": "1",
    "referral.communication_what": "1",
}


def test_a_caller_who_only_presses_keys_completes_a_referral_and_hears_a_reference(app, phone, practices):
    caller = Caller(phone(), KEYS_ONLY)
    call = caller.to_the_end()
    assert not any(step in caller.asked for step in ("referral.registered_here", "referral.name_confirm"))
    assert heard_sent(call)
    referral = the_referral(app)
    assert (referral.status, referral.practice_ods_code, referral.practice_to_check) == ("new", "C81004", False)
    assert referral.name is None and referral.name_recording_url  # staff listen to the name
    assert referral.communication_needs == "An interpreter (keyed 1: ask which language)"


def test_the_practice_question_offers_keying_after_a_first_try_fails(phone, practices):
    call = to_practice(phone).press("1")
    assert "Or key the first 3 letters of its name, then press hash." in call.said
    call.press("489")
    assert call.said == "Ivy Grove Surgery in Ripley. Is that right?"


def test_letters_several_practices_start_with_are_offered_by_key_and_read_back(app, phone, practices):
    call = to_practice(phone).press("6425")  # M I C K
    assert call.said.startswith("Here are the practices that start with those letters.")
    assert "For Mickleover Surgery in Mickleover, Derby, press 2." in call.said
    call.press("2")
    assert call.said == "Mickleover Surgery in Mickleover, Derby. Is that right?"
    assert stored_practice(app) is None
    call.press("1")
    assert stored_practice(app) == "C81113"


@pytest.mark.parametrize(("keys", "heard"), [
    ("665", "Sorry, I couldn't find a practice whose name starts with those letters."),
    ("843", "Lots of practices start like that."),  # T H E: a start too many names share to read out
])
def test_letters_that_find_none_or_too_many_ask_again(phone, practices, keys, heard):
    call = to_practice(phone).press(keys)
    assert call.said.startswith(heard) and step_asked(call) == "referral.practice"


def test_a_key_at_the_name_question_records_the_name(phone):
    call = Caller(phone()).until("referral.name")
    call.press("1")
    assert call.said == "After the tone, please say your first name and surname, then press any key."
    assert step_asked(call) == "referral.name_record"


@pytest.mark.parametrize(("key", "kept"), [
    ("2", "British Sign Language (keyed 2)"),
    ("3", "Text relay, or help with hearing (keyed 3)"),
    ("4", "Something else (keyed 4: ask what would help)"),
])
def test_communication_needs_by_key_are_kept_for_staff(app, phone, key, kept):
    Caller(phone(), {"referral.communication": "1", "referral.communication_what": key}).to_the_end()
    referral = the_referral(app)
    assert (referral.communication_help, referral.communication_needs) == (True, kept)
