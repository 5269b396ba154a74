"""The key that ended a recording, as the engine reads it (Twilio's Digits on the <Record> action): * records again
without what was said before the tone, 9 keeps it and is help now, any other key or none keeps it."""

import pytest

from ivr.callflow.actions import Effect, Save, Say
from ivr.callflow.answers import Event
from ivr.callflow.engine import DISCARD, advance
from tests.callflow.test_engine import CTX, LINE, run

RECORDING = {"url": "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1", "sid": "RE1", "seconds": 30}


def run_from(state, event):
    return advance(LINE.book, state, event, CTX)


def at_the_message():
    """An existing patient whose number is withheld, at the message's tone: menu 3, no reference."""
    return run(Event("digits", "3"), Event("digits", "2"))


@pytest.mark.parametrize("key, step, kept", [
    ("#", "enquiry.callback_key", True),
    ("1", "enquiry.callback_key", True),
    ("0", "enquiry.callback_key", True),  # a lone 0 ends the recording: it is no question to leave
    ("", "enquiry.callback_key", True),  # silence or the time limit ended it
    ("hangup", "enquiry.callback_key", True),
    ("*", "enquiry.message", False),
    ("9", "crisis.now", True),
])
def test_the_key_that_ended_the_message(key, step, kept):
    state, _ = at_the_message()
    assert state["step"] == "enquiry.message"
    state, actions = run_from(state, Event("recording", key, recording=RECORDING))
    assert state["step"] == step
    assert (Save("enquiry", "message", RECORDING) in actions) is kept
    assert (Effect(DISCARD) in actions) is not kept and state.get("discarded") == (None if kept else RECORDING)


def test_star_asks_again_without_the_crisis_routes():
    state, actions = at_the_message()
    assert Say(("crisis.routes",)) in actions[-1].prompts  # said before the first tone
    _, actions = run_from(state, Event("recording", "*", recording=RECORDING))
    assert actions[-1].record and [say.keys[0] for say in actions[-1].prompts] == ["common.record_again",
                                                                                    "enquiry.message.ask"]


def test_nine_flags_the_enquiry_and_carries_on_after_the_message():
    state, _ = at_the_message()
    state, actions = run_from(state, Event("recording", "9", recording=RECORDING))
    assert Save("enquiry", "urgent_reason", "help_now_key") in actions and state["back_to"] == "enquiry.callback"
