"""The Polish prompts (prompts/pl-PL.yaml) and text receipt (prompts/texts.pl-PL.yaml) say everything the English
says: every key, the same {values} filled in, the same one-second pauses, and a translator's sign-off field
(issue 26's shared format)."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"
EXTRA = {"translation", "settings"}  # the two top-level keys pl-PL.yaml has beyond en-GB.yaml
STAFF_ONLY = ("call_now.", "staff_whisper.")  # said to staff, who work in English: kept in English on purpose


def _load(name: str) -> dict:
    return yaml.safe_load((PROMPTS / name).read_text(encoding="utf-8"))


def _flatten(data: dict, prefix: str = "") -> dict[str, str]:
    """Nested keys as 'a.b.c', each value with its whitespace folded as the line says it."""
    flat: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = " ".join(str(value).split())
    return flat


def _values(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def _pauses(text: str) -> int:
    return text.split().count("|")


ENGLISH = _flatten(_load("en-GB.yaml"))
POLISH_FILE = _load("pl-PL.yaml")
POLISH = _flatten({k: v for k, v in POLISH_FILE.items() if k not in EXTRA})
ENGLISH_TEXTS, POLISH_TEXTS = _flatten(_load("texts.yaml")), _flatten(_load("texts.pl-PL.yaml"))


def test_polish_has_every_english_key_and_no_other():
    assert sorted(set(ENGLISH) - set(POLISH)) == []
    assert sorted(set(POLISH) - set(ENGLISH)) == []
    assert set(POLISH_FILE) - set(_load("en-GB.yaml")) == EXTRA


@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_each_polish_prompt_fills_in_the_same_values_and_pauses(key):
    polish = POLISH.get(key, "")
    assert polish.strip(), f"{key}: no Polish"
    assert _values(polish) == _values(ENGLISH[key]), key
    assert _pauses(polish) == _pauses(ENGLISH[key]), key


def test_every_prompt_a_caller_hears_is_translated():
    left_in_english = [key for key in ENGLISH if not key.startswith(STAFF_ONLY) and POLISH[key] == ENGLISH[key]]
    assert left_in_english == []


def test_the_translation_is_marked_unreviewed_until_a_translator_signs_it_off():
    mark = POLISH_FILE["translation"]
    assert mark["language"] == "pl-PL"
    assert isinstance(mark["reviewed"], bool)
    assert mark["reviewed"] is False and mark["reviewed_by"] == "" and mark["reviewed_on"] == ""
    assert "informacje" in mark["note"]  # the spoken words the prompts now ask for are listed for the flows


def test_the_spoken_settings_are_in_polish_and_fill_in_nothing():
    english = _load("settings.yaml")
    settings = POLISH_FILE["settings"]
    assert {"privacy", "under_16_advice"} <= set(settings) <= set(english)
    for name in ("privacy", "under_16_advice"):
        assert settings[name].strip() and settings[name] != english[name]
        assert _values(settings[name]) == []
    # Each language keeps the English name staff see first, then the Polish words a caller may say for it.
    assert [entry.split(",")[0] for entry in settings["interpreter_languages"]] == [
        entry.split(",")[0] for entry in english["interpreter_languages"]]


def test_the_polish_text_receipt_has_the_same_keys_and_values_and_nothing_personal():
    assert sorted(POLISH_TEXTS) == sorted(ENGLISH_TEXTS)
    for key, english in ENGLISH_TEXTS.items():
        assert _values(POLISH_TEXTS[key]) == _values(english), key
        assert _pauses(POLISH_TEXTS[key]) == _pauses(english), key
    assert POLISH_TEXTS["receipt"] != ENGLISH_TEXTS["receipt"]
