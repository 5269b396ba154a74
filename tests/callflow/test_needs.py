"""Communication needs heard in what callers say, without Flask or a database: which language, and when it counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivr.callflow.line import load_line
from ivr.callflow.needs import language_named
from ivr.callflow.yamlfile import FlowError
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
