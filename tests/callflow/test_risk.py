"""The risk phrases file and how tolerantly it is matched, without Flask or a database."""

from __future__ import annotations

import pytest

from ivr.callflow.flowbook import FlowError, read_yaml
from ivr.callflow.line import load_book
from ivr.callflow.risk.phrases import RiskPhrases, normalise
from tests.support.line import FLOWS

DATA = read_yaml(FLOWS / "risk-phrases.yaml")
RISK = RiskPhrases.from_data(DATA)
CATEGORIES = {"suicide", "self_harm", "not_safe", "overdose", "harm_to_others"}


def test_the_file_says_who_reviews_it_and_how_to_add_a_phrase_and_covers_every_kind_of_risk():
    header = (FLOWS / "risk-phrases.yaml").read_text(encoding="utf-8").split("categories:")[0]
    assert "WHO REVIEWS IT" in header and "Clinical Safety Officer" in header
    assert "HOW TO ADD A PHRASE" in header
    assert set(DATA["categories"]) >= CATEGORIES
    for phrase in ("suicide", "not safe", "end it all", "don't want to be here", "overdose", "harm someone"):
        assert RISK.reason(phrase) is not None, phrase


@pytest.mark.parametrize(("phrase", "category"), [
    (phrase, category) for category, phrases in DATA["categories"].items() for phrase in phrases])
def test_every_phrase_in_the_file_is_heard_inside_a_sentence(phrase, category):
    assert RISK.reason(f"Well, I {phrase}, to be honest.") == category
    assert RISK.reason(phrase.upper()) == category


@pytest.mark.parametrize(("said", "category"), [
    ("yes I'm not safe", "not_safe"),
    ("I don't want to be here anymore", "suicide"),
    ("I do not want to be here any more", "suicide"),
    ("I want to kill myself", "suicide"),
    ("I've been thinking about suicide", "suicide"),
    ("I've taken an overdose", "overdose"),
    ("I keep hurting myself", "self_harm"),
    ("I'm scared I'll hurt someone", "harm_to_others"),
    ("I can't keep myself safe", "not_safe"),
    # What a recogniser makes of it:
    ("I just want to and it all", "suicide"),
    ("I want to kill my self", "suicide"),
    ("I want to kill my shelf", "suicide"),
    ("suicidle thoughts", "suicide"),
    ("I took an over dose", "overdose"),
    ("self-harm", "self_harm"),
])
def test_risk_is_heard_through_contractions_and_recogniser_slips(said, category):
    assert RISK.reason(said) == category


@pytest.mark.parametrize("said", [
    "I'm not sure", "not sure", "unsure", "killing time", "I'm dying to get started", "a meal to die for",
    "Park Surgery in Heanor", "Sam Taylor", "yes", "no", "mornings", "I'd like to refer myself",
    "the 14th of March 1988", "oh seven four double oh one two three four five six", "my mum's a carer",
    "call them back", "I'm fine thanks", "Long Eaton", "what", "I don't know",
])
def test_ordinary_answers_are_not_taken_for_risk(said):
    assert RISK.reason(said) is None


def test_words_are_normalised_one_way():
    assert normalise("I DON'T want to be here… I'm") == "i dont want to be here im"
    assert normalise("I do not, cannot") == "i dont cant"


def test_a_line_with_a_crisis_step_will_not_load_without_its_risk_phrases(tmp_path):
    flows = tmp_path / "flows"
    flows.mkdir()
    for path in FLOWS.glob("*.yaml"):
        (flows / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (flows / "risk-phrases.yaml").write_text("categories:\n  suicide: nothing\n", encoding="utf-8")
    with pytest.raises(FlowError, match="risk-phrases.yaml: category 'suicide'"):
        load_book(str(flows))
    (flows / "risk-phrases.yaml").unlink()
    with pytest.raises(FlowError, match="crisis.now.*no risk-phrases.yaml"):
        load_book(str(flows))
