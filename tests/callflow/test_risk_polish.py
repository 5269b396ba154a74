"""The Polish risk vocabulary (flows/risk.pl-PL.yaml) hears each kind of risk as Polish speakers say it, with or
without Polish letters, and does not take a denial, someone else's risk, the past or an ordinary answer for risk:
the cases that must never regress, without Flask or a database."""

from __future__ import annotations

import pytest

from ivr.callflow.risk import CATEGORIES, RiskModel, normalise
from tests.support.line import FLOWS

POLISH = RiskModel.from_file(FLOWS / "risk.pl-PL.yaml")


def heard(said: str, yes_no: bool = False) -> str | None:
    """The category heard in Polish, or None."""
    found = POLISH.hear(said, yes_no=yes_no)
    return found.category if found else None


def test_the_polish_file_loads_with_every_category_and_says_what_the_line_does():
    english = RiskModel.from_file(FLOWS / "risk.yaml")
    for category in CATEGORIES:
        assert POLISH.does(category) == english.does(category)


def test_polish_letters_are_kept_as_one_word_and_heard_with_or_without_accents():
    assert normalise("Łyknęłam tabletki, zabiję się!") == "lyknelam tabletki zabije sie |"
    assert heard("łyknęłam tabletki") == heard("lyknelam tabletki") == "acting_now"


# Disclosures in each category, both genders' verb forms, written as a recogniser gives them (some without
# Polish letters).
@pytest.mark.parametrize(("said", "category"), [
    ("łyknęłam tabletki", "acting_now"),
    ("łyknąłem tabletki, całe opakowanie", "acting_now"),
    ("przedawkowałam", "acting_now"),
    ("przedawkowalem", "acting_now"),
    ("wzięłam za dużo tabletek", "acting_now"),
    ("tnę się", "acting_now"),
    ("właśnie się pocięłam", "acting_now"),
    ("stoję na moście", "acting_now"),
    ("chcę się zabić", "intent"),
    ("zabiję się", "intent"),
    ("chce sie zabic", "intent"),
    ("chcę odebrać sobie życie", "intent"),
    ("chcę sobie odebrać życie", "intent"),
    ("tak, myślę o samobójstwie codziennie", "intent"),
    ("chcę się pociąć", "intent"),
    ("mam w domu dużo tabletek i myślę, żeby je wszystkie wziąć", "intent"),
    ("nie chcę żyć", "passive"),
    ("nie mam siły, nie chcę już żyć", "passive"),
    ("wcale nie chcę żyć", "passive"),
    ("lepiej by było beze mnie", "passive"),
    ("ona mówi, że lepiej by było beze mnie", "passive"),
    ("chciałbym zasnąć i się nie obudzić", "passive"),
    ("życie straciło sens", "passive"),
    ("mąż mnie bije", "harm_from_others"),
    ("maz mnie bije", "harm_from_others"),
    ("boję się go", "harm_from_others"),
    ("głosy każą mi kogoś skrzywdzić", "harm_to_others"),
    ("boję się, że coś zrobię dziecku", "harm_to_others"),
    ("potrzebuję pomocy teraz", "help_now"),
    ("nie daję rady", "help_now"),
    ("pomocy", "help_now"),
])
def test_polish_disclosures_are_heard_in_their_category(said, category):
    assert heard(said) == category


# Denials, at the safety question and elsewhere: never a crisis.
@pytest.mark.parametrize("said", [
    "nie, nie myślę o samobójstwie", "nie myślę o samobójstwie", "nie chce sie zabic", "nigdy bym się nie zabiła",
    "wcale nie chcę umrzeć", "nie mam myśli samobójczych", "nie, nie tnę się", "nie, nigdy", "nie mam takich myśli",
])
def test_polish_denials_are_not_risk(said):
    assert heard(said, yes_no=True) is None
    assert heard(said) is None


@pytest.mark.parametrize("said", [
    "mój brat chce się zabić", "moja mama próbowała odebrać sobie życie", "on mówi, że chce umrzeć",
    "boję się, że on się zabije", "koleżanka myśli o samobójstwie",
    "lata temu się cięłam", "dawno temu przedawkowałem", "kiedyś myślałam o samobójstwie, ale to było dawno",
    "gdybym kiedyś chciała się zabić, gdzie dzwonić", "jeśli kiedyś będę miał myśli samobójcze, co robić",
])
def test_someone_elses_risk_the_past_and_suppositions_are_not_the_callers_risk_now(said):
    assert heard(said) is None


def test_the_past_said_to_be_now_too_is_risk():
    assert heard("kilka lat temu próbowałam się zabić, a teraz znowu o tym myślę") == "intent"


# Ordinary answers with risk-like words, and answers at each question.
@pytest.mark.parametrize("said", [
    "zabijesz mnie tym korkiem", "umieram z głodu", "tabletki od lekarza biorę codziennie",
    "wzięłam dzisiaj tabletki jak zwykle", "ten ból głowy mnie zabija", "zabiłem czas grając w gry",
    "chcę skończyć z piciem", "boję się go zostawić samego w domu, to mój syn", "potrzebuję pomocy z lękiem",
    "nie daję rady z tym angielskim, wolę po polsku", "pocięłam warzywa na obiad", "mama zmarła w zeszłym roku",
    "tak", "nie", "piętnasty czerwca tysiąc dziewięćset dziewięćdziesiąt", "Park Surgery w Derby", "Katarzyna Nowak",
    "siedem siedem zero zero dziewięć zero zero", "rano przed pracą", "SMS będzie najlepszy",
])
def test_ordinary_polish_answers_are_not_risk(said):
    assert heard(said) is None


@pytest.mark.parametrize("said", ["czasami", "trochę", "nie, ale czasami o tym myślę"])
def test_a_hedged_answer_at_the_safety_question_is_heard_as_passive(said):
    found = POLISH.hear(said, yes_no=True)
    assert found is not None and found.category == "passive" and found.hedged


def test_the_english_model_still_hears_english_words_after_polish_letters():
    english = RiskModel.from_file(FLOWS / "risk.yaml")
    assert english.hear("Zoë here, I want to kill myself").category == "intent"
    assert english.hear("my name is Łukasz Wójcik") is None
