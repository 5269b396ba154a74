"""Communication needs heard in what callers say, without Flask or a database: which language, and when it counts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from ivr.callflow.actions import Dial
from ivr.callflow.answers import Event
from ivr.callflow.engine import advance, new_state
from ivr.callflow.line import load_line
from ivr.callflow.needs import STAFF_NAMES, language_for_staff, language_named
from ivr.callflow.yamlfile import FlowError
from ivr.clock import LONDON
from tests.support.line import FLOWS

LINE = load_line(str(FLOWS), str(FLOWS.parent / "prompts"))
LANGUAGES = LINE.prompts.languages


@pytest.mark.parametrize(("said", "language"), [
    ("Polish, I need a Polish interpreter", "Polish"),
    ("polski", "Polish"),
    ("my mum speaks Panjabi", "Punjabi"),
    ("Kurmanji please", "Kurdish"),
    ("Tigrinya", "Tigrinya"),
    ("I'd like to refer myself", None),
    ("I need an interpreter", None),  # no language: asked which
    ("British Sign Language", None),  # not a phone interpreter: kept by the communication question
])
def test_the_languages_in_settings_are_heard_by_any_of_their_names(said, language):
    assert language_named(said, LANGUAGES) == language


def test_the_menu_listens_for_the_languages_by_name():
    hints = LINE.book.steps["main.menu"].hints
    assert "@languages" not in hints and "Polish" in hints and "Tigrinya" in hints


def test_a_language_of_two_words_is_refused_at_start_up_in_one_line(tmp_path):
    prompts = Path(tmp_path, "prompts")
    prompts.mkdir()
    for name in ("en-GB.yaml", "texts.yaml"):
        (prompts / name).write_text((FLOWS.parent / "prompts" / name).read_text())
    settings = (FLOWS.parent / "prompts" / "settings.yaml").read_text()
    (prompts / "settings.yaml").write_text(settings.replace("  - Tigrinya\n", "  - Sign Language\n"))
    with pytest.raises(FlowError, match="interpreter_languages: 'Sign Language' must be one word"):
        load_line(str(FLOWS), str(prompts))


def _put_through(values: dict) -> list:
    """The actions when a caller with these call values asks for a person on a Thursday morning."""
    line = load_line(str(FLOWS), str(FLOWS.parent / "prompts"))
    line.clock = lambda: datetime(2026, 11, 26, 10, 30, tzinfo=LONDON)
    state, _ = advance(line.book, new_state(values), Event("start"), line.context())
    _, actions = advance(line.book, state, Event("digits", "8"), line.context())
    return [action for action in actions if isinstance(action, Dial)]


@pytest.mark.parametrize(("values", "interpreted"), [
    ({"interpreter": True, "interpreter_language": "Polish"}, True),
    ({"interpreter": True}, True),  # the language to ask: staff hear that
    ({"language": "pl-PL"}, True),  # on the line in Polish (issue 26): Polish is whispered
    ({"language": "en-GB"}, False),
    ({}, False),
])
def test_a_caller_who_needs_an_interpreter_is_put_through_with_the_whisper(values, interpreted):
    [dial] = _put_through(values)
    assert dial.number == "reception" and dial.interpreter is interpreted


def test_staff_hear_the_language_asked_for_or_the_calls_own_and_it_is_one_the_service_lists():
    assert language_for_staff({"interpreter_language": "Urdu", "language": "pl-PL"}) == "Urdu"
    assert language_for_staff({"language": "pl-PL"}) == "Polish"
    assert language_for_staff({"language": "en-GB"}) is None and language_for_staff({}) is None
    assert set(STAFF_NAMES.values()) <= set(LANGUAGES.values())  # the whisper says only a listed language
