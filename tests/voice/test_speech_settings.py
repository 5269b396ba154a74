"""Speech recognition settings from prompts/settings.yaml, rendered as Twilio accepts them without warnings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ivr.app import create_app
from ivr.callflow.flowbook import FlowError
from ivr.tools.phone import Phone, flask_transport
from tests.support.line import AUTH_TOKEN, FLOWS


def prompts_with(tmp_path: Path, settings: str) -> Path:
    """The shipped prompts, with these top-level settings in place of the shipped ones."""
    prompts = tmp_path / "prompts"
    shutil.copytree(FLOWS.parent / "prompts", prompts)
    keys = tuple(line.split(":")[0] + ":" for line in settings.splitlines())
    shipped = (prompts / "settings.yaml").read_text().splitlines()
    kept = [line for line in shipped if not line.startswith(keys)]
    (prompts / "settings.yaml").write_text("\n".join([*kept, settings, ""]))
    return prompts


def menu(app):
    """The <Gather> of the main menu, as a caller's first call gets it."""
    return Phone(flask_transport(app.test_client()), AUTH_TOKEN).dial().waiting_for


def test_shipped_settings_let_twilio_choose_the_model_and_listen_in_british_english(app):
    gather = menu(app)
    assert gather.get("language") == "en-GB" and gather.get("input") == "dtmf speech"
    assert gather.get("speechModel") is None
    assert gather.get("speechTimeout") == "auto"
    # Every prompt in English, but the offer of another language in its own (tests/voice/test_languages.py).
    assert {say.get("language") for say in gather.iter("Say") if say.text != "Po polsku, naciśnij 5."} == {"en-GB"}


def test_a_chosen_model_goes_with_a_whole_number_of_seconds(another_app, tmp_path):
    prompts = prompts_with(tmp_path, "speech_model: googlev2_telephony\nspeech_timeout: 2")
    gather = menu(another_app(PROMPTS_DIR=str(prompts)))
    assert (gather.get("speechModel"), gather.get("speechTimeout"), gather.get("language")) == (
        "googlev2_telephony", "2", "en-GB")


@pytest.mark.parametrize("settings, problem", [
    ("speech_model: googlev2_telephony", "must be a whole number"),  # auto by default: warning 13335
    ("speech_model: deepgram_nova-3\nspeech_timeout: auto", "must be a whole number"),
    ("speech_timeout: soon", "'auto' or a whole number"),
    ("speech_timeout: 0", "'auto' or a whole number"),
    ("speech_timeout: 1.5", "'auto' or a whole number"),
])
def test_settings_twilio_would_warn_about_stop_the_line_starting(app, tmp_path, settings, problem):
    with pytest.raises(FlowError, match=problem):
        create_app({**app.config, "PROMPTS_DIR": str(prompts_with(tmp_path, settings))})
