"""A broken flow or prompt file stops the app at start-up, naming the file and the step."""

import shutil

import pytest

from ivr.app import create_app
from ivr.callflow.flowbook import FlowError
from tests.support.line import FLOWS

PROMPTS = FLOWS.parent / "prompts"


@pytest.fixture
def copies(tmp_path):
    flows, prompts = tmp_path / "flows", tmp_path / "prompts"
    shutil.copytree(FLOWS, flows)
    shutil.copytree(PROMPTS, prompts)
    return flows, prompts


def start(flows, prompts):
    return create_app({"FLOWS_DIR": str(flows), "PROMPTS_DIR": str(prompts), "TESTING": True})


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("next: date_of_birth_confirm", "next: date_of_birth_confrim",
         "referral.yaml, step 'date_of_birth': goes to 'referral.date_of_birth_confrim', which does not exist"),
        ("expect: date_of_birth\n", "expect: birthday\n", "referral.yaml, step 'date_of_birth': unknown 'expect"),
        ("    yes: age_check\n", "", "referral.yaml, step 'date_of_birth_confirm': a yes/no step needs"),
        ("  urgent:\n    ask", "  urgent:\n    asks", "step 'urgent': unknown key(s) asks"),
        ("  voicemail:\n", "  urgent:\n", "'urgent' is written twice"),
        ("    ask: referral.name\n", "    ask: referral.nmae\n", "prompt 'referral.nmae.ask' is not in"),
    ],
)
def test_broken_flow_fails_fast_with_file_and_step(copies, old, new, message):
    flows, prompts = copies
    path = flows / "referral.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(FlowError) as error:
        start(flows, prompts)
    assert message in str(error.value)


def test_missing_prompt_fails_fast(copies):
    flows, prompts = copies
    path = prompts / "en-GB.yaml"
    path.write_text(path.read_text().replace("  what_is: >-", "  what_it_is: >-", 1))
    with pytest.raises(FlowError, match="step 'information.what_is': prompt 'information.what_is'"):
        start(flows, prompts)


def test_shipped_flows_load(copies):
    assert start(*copies).extensions["ivr_line"].book.steps["main.menu"].ask == "menu"
