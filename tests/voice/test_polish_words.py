"""A caller on the line in Polish (issue 26) hears what the line builds itself in Polish (a date of birth, numbers
digit by digit, the reference, a practice) with no English word, and is understood in Polish ("tak", "nie",
"zgłoszenie", "rano", "połącz mnie"), English's words still heard; an English caller hears and is heard as before."""

from __future__ import annotations

import re

import pytest

from ivr.tools.caller import Caller, step_asked
from ivr.tools.phone import Phone, flask_transport
from tests.support.languages import prompts_dir
from tests.support.line import AUTH_TOKEN

# English words only the code could have put in a Polish <Say>: 0 said "oh", months and weekdays, the clock's am,
# pm and noon, "X in Y" for a practice, "dot" in the website, the reference's "IPT-" (or its dash said).
ENGLISH_WORDS = {"oh", "january", "february", "march", "april", "may", "june", "july", "august", "september",
                 "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
                 "saturday", "sunday", "am", "pm", "noon", "in", "dot", "dash"}
# A whole referral by keypad after 5 for Polish, the caller giving another number to be called on.
BY_KEYPAD = {
    "main.menu": ["5", "2"],
    "referral.practice": ["1", "489"],
    "referral.name": "1",
    "referral.callback_offer": "2",
    "referral.communication": "1",
    "referral.communication_what": "1",
}


@pytest.fixture
def polish(another_app, tmp_path):
    """The line with Polish offered on key 5, from the real prompts/pl-PL.yaml and prompts/words.pl-PL.yaml."""
    return another_app(PROMPTS_DIR=str(prompts_dir(tmp_path)))


def _phone(app) -> Phone:
    return Phone(flask_transport(app.test_client()), AUTH_TOKEN).dial()


def _in_polish(app) -> Phone:
    """A call that has chosen Polish and started a referral."""
    return _phone(app).press("5").press("2")


def _says(call: Phone, since: int = 0) -> list[str]:
    return [say.text or "" for root in call.responses[since:] for say in root.iter("Say")]


def _english_in(says: list[str]) -> list[str]:
    """Each <Say> with an English word the code builds in it, and the word."""
    return [f"{word!r} in {text!r}" for text in says for word in re.findall(r"\w+", text.lower())
            if word in ENGLISH_WORDS] + [f"the reference's IPT- in {text!r}" for text in says if "IPT-" in text]


def test_a_polish_caller_who_says_tak_at_a_yes_no_is_taken_as_yes(polish, practices):
    call = _in_polish(polish).press("14031988")
    assert step_asked(call) == "referral.date_of_birth_confirm"
    call.say("tak")
    assert step_asked(call) == "referral.practice"


def test_a_polish_caller_who_says_nie_at_a_yes_no_is_taken_as_no(polish):
    call = _in_polish(polish).press("14031988").say("nie")
    assert step_asked(call) == "referral.date_of_birth"


@pytest.mark.parametrize("said", ["no tak", "Oczywiście", "zgadza się", "zgadza sie", "dobrze", "yes"])
def test_a_polish_caller_says_yes_in_polish_or_english(polish, said):
    call = _in_polish(polish).press("14031988").say(said)
    assert step_asked(call) == "referral.practice"


def test_a_polish_callers_date_of_birth_is_read_back_in_polish(polish):
    call = _in_polish(polish)
    first = len(call.responses)
    call.press("14031988")
    said = " ".join(_says(call, first))
    assert "14 marca 1988" in said
    assert _english_in(_says(call, first)) == []


def test_a_polish_caller_who_says_the_date_in_polish_is_understood(polish):
    call = _in_polish(polish).say("14 marca 1988")
    assert step_asked(call) == "referral.date_of_birth_confirm" and "14 marca 1988" in call.said


def test_a_whole_polish_keypad_referral_says_no_english_word_the_code_builds(polish, practices):
    call = _phone(polish)
    first = len(call.responses)
    caller = Caller(call, BY_KEYPAD)
    caller.to_the_end()
    assert "referral.reference" in caller.asked
    says = _says(call, first)
    said = " ".join(says)
    assert _english_in(says) == []
    assert "0 7 4 0 0, 1 2 3, 4 5 6" in said  # the number they ring from, 0 as the Polish voice says it
    assert "0 7 7 0 0, 9 0 0, 1 2 3" in said  # the number they keyed, read back
    assert re.search(r"Numer referencyjny to \d \d \d, \d \d \d\.", said)  # the reference: digits, no "IPT-"
    assert "0 8 0 0, 0 2 8, 0 0 7 7" in said  # the crisis helpline in the crisis routes


def test_a_polish_caller_chooses_the_main_menus_options_in_polish(polish):
    call = _phone(polish).press("5").say("zgłoszenie")
    assert step_asked(call) == "referral.date_of_birth"
    assert step_asked(_phone(polish).press("5").say("potrzebuję tłumacza")) == "main.interpreter_language"


@pytest.mark.parametrize(("said", "step"), [("rano", "referral.priority"), ("po południu", "referral.priority"),
                                            ("obojętnie", "referral.priority")])
def test_a_polish_caller_chooses_the_best_time_in_polish(polish, practices, said, step):
    caller = Caller(_phone(polish), BY_KEYPAD)
    caller.until("referral.best_time").say(said)
    assert step_asked(caller.phone) == step


@pytest.mark.parametrize("said", ["powtórz", "jeszcze raz", "czy może pan powtórzyć"])
def test_a_polish_caller_asks_for_the_question_again_in_polish(polish, said):
    call = _in_polish(polish)
    question = _says(call)[-1]
    call.say(said)
    assert step_asked(call) == "referral.date_of_birth" and _says(call, len(call.responses) - 1) == [question]


def test_an_english_caller_is_read_back_in_english_and_not_taken_as_yes_in_polish(client, practices):
    call = Phone(flask_transport(client), AUTH_TOKEN).dial().press("2").press("14031988")
    assert "14 March 1988" in call.said
    call.say("tak")
    assert step_asked(call) == "referral.date_of_birth_confirm"  # asked again: "tak" is no English word


def test_an_english_caller_hears_oh_for_zero(client):
    call = Caller(Phone(flask_transport(client), AUTH_TOKEN).dial(), {})
    call.until("referral.callback_offer")
    assert "oh 7 4 oh oh, 1 2 3, 4 5 6" in call.phone.said


def test_prompts_check_names_a_polish_word_for_a_question_no_flow_asks(another_app, tmp_path):
    directory = prompts_dir(tmp_path)
    path = directory / "words.pl-PL.yaml"
    path.write_text(path.read_text("utf-8") + "  referral.no_such_question:\n    \"1\": tak\n", "utf-8")
    result = another_app(PROMPTS_DIR=str(directory)).test_cli_runner().invoke(args=["prompts", "check"])
    assert result.exit_code != 0
    assert "prompts/words.pl-PL.yaml choices.referral.no_such_question: no flow asks this question" in result.output
