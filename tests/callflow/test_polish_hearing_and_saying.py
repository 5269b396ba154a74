"""Polish words heard (prompts/words.pl-PL.yaml) and values said in Polish (ivr/callflow/saying.py), without a
call: each menu's options chosen in Polish on a Polish call's flows, yes/no/unsure in Polish beside English, dates
and numbers said with no English word; English's unchanged."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from ivr.callflow import hearing
from ivr.callflow.answers import Context, Event, Retry, date_of_birth, yes_no
from ivr.callflow.choosing import choose, spoken_key
from ivr.callflow.line import load_line
from ivr.callflow.office_hours import OfficeHours
from ivr.callflow.saying import ENGLISH, POLISH
from tests.support.languages import prompts_dir

POLISH_WORDS = hearing.load(Path("prompts"), "pl-PL")
IN_POLISH = Context(today=date(2026, 1, 5), hearing=POLISH_WORDS, saying=POLISH)
IN_ENGLISH = Context(today=date(2026, 1, 5))


@pytest.fixture(scope="module")
def line(tmp_path_factory):
    return load_line("flows", str(prompts_dir(tmp_path_factory.mktemp("polish"))), development=True)


@pytest.mark.parametrize(("said", "outcome"), [
    ("tak", "yes"), ("Tak.", "yes"), ("no tak", "yes"), ("oczywiście", "yes"), ("zgadza się", "yes"),
    ("zgadza sie", "yes"), ("dobrze", "yes"), ("yes", "yes"), ("nie", "no"), ("nie zgadza się", "no"),
    ("no", "no"), ("nie wiem", "unsure"), ("nie jestem pewna", "unsure"), ("nie jestem pewien", "unsure"),
    ("not sure", "unsure"),
])
def test_yes_no_and_unsure_in_polish_beside_english(said, outcome):
    assert yes_no(Event("speech", said), IN_POLISH).outcome == outcome


def test_tak_and_nie_together_are_asked_again():
    assert isinstance(yes_no(Event("speech", "tak nie"), IN_POLISH), Retry)


def test_an_english_call_does_not_take_polish_words():
    assert isinstance(yes_no(Event("speech", "tak"), IN_ENGLISH), Retry)


@pytest.mark.parametrize(("step", "said", "key"), [
    ("main.menu", "informacje", "1"), ("main.menu", "o terapii", "1"), ("main.menu", "zgłoszenie", "2"),
    ("main.menu", "skierowanie", "2"), ("main.menu", "chcę się zgłosić", "2"), ("main.menu", "jestem pacjentem", "3"),
    ("main.menu", "porozmawiać z kimś", "8"), ("main.menu", "tłumacz", "7"), ("main.menu", "pomoc teraz", "9"),
    ("main.menu", "referral", "2"),  # English's words still choose
    ("referral.best_time", "rano", "1"), ("referral.best_time", "po południu", "2"),
    ("referral.best_time", "obojętnie", "3"), ("referral.priority_which", "w ciąży", "1"),
    ("referral.priority_which", "weteran", "2"), ("referral.priority_which", "oba", "3"),
    ("crisis.now", "połącz mnie", "1"), ("crisis.intent", "polacz mnie", "1"), ("crisis.now", "put me through", "1"),
])
def test_a_polish_calls_menus_take_polish_words(line, step, said, key):
    answer = choose(line.book_for("pl-PL").steps[step], Event("speech", said))
    assert answer.value == key


def test_an_english_calls_menus_do_not_take_polish_words(line):
    assert isinstance(choose(line.book_for(None).steps["main.menu"], Event("speech", "zgłoszenie")), Retry)


def test_a_polish_menu_listens_for_its_polish_words(line):
    assert "połącz mnie" in line.book_for("pl-PL").steps["crisis.now"].hints
    assert "połącz mnie" not in line.book_for(None).steps["crisis.now"].hints


def test_a_polish_calls_questions_listen_for_polish_yes_no_and_months(line):
    polish, english = line.book_for("pl-PL").steps, line.book_for(None).steps
    assert {"tak", "nie zgadza się"} <= set(polish["referral.date_of_birth_confirm"].hints.split(", "))
    assert {"marca", "października", "march"} <= set(polish["referral.date_of_birth"].hints.split(", "))
    assert english["referral.date_of_birth_confirm"].hints == "yes, no"
    assert "marca" not in english["referral.date_of_birth"].hints


def test_a_key_said_in_polish_is_the_key():
    assert spoken_key(Event("speech", "dwa"), POLISH_WORDS) == Event("digits", "2")


def test_a_date_said_in_polish_is_read_and_said_back_in_polish():
    answer = date_of_birth(Event("speech", "14 marca 1988"), IN_POLISH)
    assert (answer.value, answer.spoken) == ("1988-03-14", "14 marca 1988")
    assert date_of_birth(Event("digits", "14031988"), IN_ENGLISH).spoken == "14 March 1988"


def test_values_said_in_polish_have_no_english_word():
    hours = OfficeHours(days={n: (time(9), time(17)) for n in range(5)} | {5: (time(9, 30), time(12))})
    assert POLISH.hours(hours) == "od poniedziałku do piątku, od 9:00 do 17:00; w sobotę, od 9:30 do 12:00"
    assert ENGLISH.hours(hours) == "Monday to Friday, 9 am to 5 pm; Saturday, 9:30 am to 12 noon"
    assert POLISH.number("+447400123456") == "0 7 4 0 0, 1 2 3, 4 5 6"
    assert ENGLISH.number("+447400123456") == "oh 7 4 oh oh, 1 2 3, 4 5 6"
    assert POLISH.reference("048291") == "0 4 8, 2 9 1"
    assert POLISH.practice({"name": "Park Surgery", "place": "Heanor"}) == "Park Surgery, Heanor"


def test_a_polish_calls_facts_and_interpreter_language_are_said_in_polish(line):
    polish = line.prompts_for("pl-PL")
    assert polish.facts["crisis_helpline"] == "0 8 0 0, 0 2 8, 0 0 7 7"
    assert polish.facts["opening_hours"].startswith("od poniedziałku do piątku")
    assert "kropka" in polish.facts["website"]
    assert polish.saying.language("Polish") == "polski" and polish.languages["polskiego"] == "Polish"
    assert line.prompts.saying.language("Urdu") == "an Urdu"
