"""The engine alone, without Flask or a database: tables of answers and where they lead."""

from datetime import date

import pytest

from ivr.callflow.actions import Ask, Hangup, Save, Say
from ivr.callflow.answers import Context, Event
from ivr.callflow.engine import advance, new_state
from ivr.callflow.flowbook import FlowBook, Step, Transition
from ivr.callflow.line import load_line
from ivr.tools.caller import REFERRAL
from tests.support.line import FLOWS

LINE = load_line(str(FLOWS), str(FLOWS.parent / "prompts"))
CTX = Context(today=date(2026, 11, 26))


def run(*events: Event, values=None):
    """Start a call and feed it events; return the final state and the last turn's actions."""
    state, actions = advance(LINE.book, new_state(values), Event("start"), CTX)
    for event in events:
        state, actions = advance(LINE.book, state, event, CTX)
    return state, actions


def walk_to(*steps: str, answers=None, values=None, ctx: Context = CTX):
    """Start a call and answer each question by its step (the shared caller's REFERRAL, then `answers`) until the
    engine asks one of `steps` or ends the call; return the state and the last turn's actions."""
    given, asked = {**REFERRAL, **(answers or {})}, []
    state, actions = advance(LINE.book, new_state(values), Event("start"), ctx)
    while state["step"] not in steps and not any(isinstance(a, Hangup) for a in actions):
        answer = given[state["step"]]
        if isinstance(answer, list):
            answer = answer[min(asked.count(state["step"]), len(answer) - 1)]
        asked.append(state["step"])
        assert len(asked) < 60, asked
        event = Event("no_input") if answer is None else keys(answer) if answer.isdigit() else speech(answer)
        state, actions = advance(LINE.book, state, event, ctx)
    return state, actions


def keys(digits: str) -> Event:
    return Event("digits", digits)


def speech(text: str) -> Event:
    return Event("speech", text)


@pytest.mark.parametrize(
    "events, step",
    [
        ([], "main.menu"),
        ([keys("1")], "information.what_is"),
        ([keys("2")], "referral.date_of_birth"),
        ([keys("3")], "enquiry.start"),
        ([keys("4")], "main.menu"),
        ([speech("refer me please")], "referral.date_of_birth"),
        ([keys("5")], "main.menu"),  # 5 is no option (6 is text relay, 7 an interpreter)
        ([keys("9")], "crisis.now"),
        ([keys("1"), keys("1"), keys("0")], "information.helps_with"),  # "press 0 again for the main menu"
        ([keys("1"), keys("1"), keys("0"), keys("0")], "main.menu"),
        ([keys("1"), keys("1"), keys("0"), keys("2"), keys("0")], "information.helps_with"),
        ([keys("2"), keys("14031988")], "referral.date_of_birth_confirm"),
        ([keys("2"), speech("14th of March 1988")], "referral.date_of_birth_confirm"),
        ([keys("2"), keys("14031988"), keys("2")], "referral.date_of_birth"),
        ([keys("2"), keys("14031988"), keys("1")], "referral.practice"),
        ([keys("2"), keys("01012015"), keys("1")], "main.menu"),  # under 16: ended, state unused
        ([keys("3"), keys("2")], "enquiry.message"),
    ],
)
def test_where_answers_lead(events, step):
    state, actions = run(*events)
    if any(isinstance(a, Hangup) for a in actions):
        assert step == "main.menu" and state["step"] == "referral.under_16"
    else:
        assert state["step"] == step


@pytest.mark.parametrize(
    "digits, reason",
    [
        ("1403198", "eight_digits"),
        ("31022000", "impossible"),
        ("14032030", "future"),
        ("01011800", "impossible"),
    ],
)
def test_bad_dates_get_a_specific_reprompt(digits, reason):
    state, actions = run(keys("2"), keys(digits))
    assert state["step"] == "referral.date_of_birth"
    ask = actions[-1]
    assert isinstance(ask, Ask)
    assert ask.prompts[0].keys[0] == f"referral.date_of_birth.invalid.{reason}"


def test_sixteenth_birthday_today_is_old_enough():
    state, _ = walk_to("referral.practice", answers={"referral.date_of_birth": "26112010"})
    assert state["step"] == "referral.practice"
    state, _ = walk_to("referral.practice", answers={"referral.date_of_birth": "27112010"})
    assert state["step"] == "referral.under_16"
    assert state["values"] == {}


def test_date_of_birth_is_saved_only_once_confirmed_and_old_enough():
    _, actions = run(keys("2"), keys("14031988"))
    assert not [a for a in actions if isinstance(a, Save)]
    _, actions = run(keys("2"), keys("14031988"), keys("1"))
    assert Save("referral", "date_of_birth", "1988-03-14") in actions


def test_three_misses_end_the_call_gracefully():
    state, actions = run(Event("no_input"), Event("no_input"))
    assert isinstance(actions[-1], Ask)
    state, actions = run(Event("no_input"), Event("no_input"), Event("no_input"))
    assert isinstance(actions[-1], Hangup)
    assert state["step"] == "main.give_up"


def test_repeat_does_not_use_up_a_retry():
    state, _ = run(Event("no_input"), keys("*"), keys("*"), Event("no_input"))
    assert state["tries"]["main.menu"] == 2
    assert state["step"] == "main.menu"


def test_a_caller_who_never_stops_pressing_keys_is_still_released():
    events = [keys("1"), keys("2")] * 100  # information, repeat, forever
    state, actions = run(*events)
    assert isinstance(actions[-1], Hangup)


def test_caller_number_is_offered_when_known_and_asked_for_when_withheld():
    path = ("referral.callback_offer", "referral.callback_key")  # whichever comes first after the name
    answers = {"referral.practice": [None, None], "referral.name": "Sam Smith"}
    state, _ = walk_to(*path, answers=answers, values={"caller_number": "+447400123456", "caller_number_spoken": "x"})
    assert state["step"] == "referral.callback_offer"
    state, _ = walk_to(*path, answers=answers, values={"caller_number": None})
    assert state["step"] == "referral.callback_key"


def test_a_step_that_loops_without_asking_is_caught():
    steps = {
        "main.welcome": Step(name="main.welcome", record=None, say=("x",), on={"ok": Transition("main.menu")}),
        "main.menu": Step(name="main.menu", record=None, say=("x",), on={"ok": Transition("main.welcome")}),
        "main.give_up": Step(name="main.give_up", record=None, hangup=True),
    }
    with pytest.raises(ValueError, match="without asking"):
        advance(FlowBook(steps=steps), new_state(), Event("start"), CTX)


def test_pick_offers_each_candidate_and_none_of_these():
    candidates = [{"ods_code": f"C8100{n}", "name": f"Practice {n}", "place": "Derby"} for n in (1, 2, 3)]

    class Matcher:
        def match(self, text):
            return candidates

        def town(self, text):
            return "", []

    ctx = Context(today=CTX.today, practices=Matcher())
    state, _ = walk_to("referral.practice", ctx=ctx)
    state, actions = advance(LINE.book, state, speech("the surgery"), ctx)
    spoken = [s for s in actions[-1].prompts if isinstance(s, Say)]
    assert [s.params.get("n") for s in spoken if s.params] == [1, 2, 3, 4]
    state, actions = advance(LINE.book, state, keys("2"), ctx)
    assert state["step"] == "referral.practice_confirm"  # read back first, as any practice (H2)
    assert not [a for a in actions if isinstance(a, Save) and a.field == "practice"]
    state, actions = advance(LINE.book, state, keys("1"), ctx)
    assert state["step"] == "referral.name"
    assert Save("referral", "practice", candidates[1]) in actions


@pytest.mark.parametrize("said, step", [("two", "referral.date_of_birth"), ("1", "information.what_is"),
                                        ("three.", "enquiry.start")])
def test_a_key_said_aloud_chooses_it(said, step):
    state, _ = run(speech(said))
    assert state["step"] == step
