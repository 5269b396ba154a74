"""The engine routes what the risk model heard by its category, whatever the vocabulary says: a fake model here."""

from dataclasses import replace
from datetime import date

import pytest

from ivr.callflow.actions import Effect
from ivr.callflow.answers import Context, Event
from ivr.callflow.engine import advance, new_state
from ivr.callflow.line import load_line
from ivr.callflow.risk import CATEGORIES, Heard
from tests.support.line import FLOWS

LINE = load_line(str(FLOWS), str(FLOWS.parent / "prompts"))
CTX = Context(today=date(2026, 11, 26))


class Fake:
    """Hears "<category>" said alone as that category; "hedged" as passive, hedged, at a yes/no question only."""

    def hear(self, text: str, *, yes_no: bool = False) -> Heard | None:
        if text in CATEGORIES:
            return Heard(text, text)
        return Heard("passive", text, hedged=True) if text == "hedged" and yes_no else None


BOOK = replace(LINE.book, risk=Fake())


def at_date_of_birth():
    state, _ = advance(BOOK, new_state({"caller_number": "+447400123456"}), Event("start"), CTX)
    state, _ = advance(BOOK, state, Event("digits", "2"), CTX)
    return state


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_category_has_its_step_in_the_crisis_flow_or_is_help_now(category):
    step = "crisis.now" if category == "help_now" else f"crisis.{category}"
    assert step in BOOK.steps


@pytest.mark.parametrize("category", CATEGORIES)
def test_a_category_heard_goes_to_its_step_and_asks_for_a_follow_up_with_the_words(category):
    state = at_date_of_birth()
    assert state["step"] == "referral.date_of_birth"
    state, actions = advance(BOOK, state, Event("speech", category), CTX)
    expected = {"help_now": "crisis.now", "passive": "referral.date_of_birth"}.get(category, f"crisis.{category}")
    assert state["step"] == expected
    assert Effect("safety_followup") in actions
    assert state["disclosure"] == {"category": category, "step": "referral.date_of_birth", "words": category,
                                   "number": "+447400123456"}
    assert state["values"]["urgent_reason"] == f"risk:{category}"


def test_yes_no_is_told_to_the_model_only_at_the_safety_question():
    state = at_date_of_birth()
    state, _ = advance(BOOK, state, Event("speech", "hedged"), CTX)  # at the date of birth: not yes/no
    assert state["step"] == "referral.date_of_birth" and "urgent_reason" not in state["values"]
    state, _ = advance(BOOK, state, Event("digits", "14031988"), CTX)
    state, _ = advance(BOOK, state, Event("speech", "hedged"), CTX)  # a yes/no read-back: an answer, not a hedge
    assert state["step"] == "referral.date_of_birth_confirm" and "urgent_reason" not in state["values"]
    urgent = BOOK.steps["referral.urgent"]
    assert urgent.expect == "yes_no" and "risk" in urgent.on
    state = {**state, "step": "referral.urgent"}
    state, _ = advance(BOOK, state, Event("speech", "hedged"), CTX)  # the safety question
    assert state["values"]["urgent_reason"] == "risk:passive" and state["step"] == "crisis.offer"
