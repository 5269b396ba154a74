"""Putting a caller through to a number (<Dial>): the flow goes on by how the dialled call ended."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ivr.callflow.flowbook import FlowError
from ivr.callflow.line import load_line
from ivr.tools.phone import LineError, Phone, flask_transport
from tests.support.line import AUTH_TOKEN, FLOWS

MAIN = """
flow: main
steps:
  welcome:
    say: [welcome.greeting]
    next: menu
  menu:
    ask: menu
    expect: choice
    choices:
      "1": {words: "helpline", next: put_through}
  put_through:
    say: [dial.connecting]
    dial: crisis_helpline
    on:
      connected: goodbye
      not_connected: menu
  goodbye:
    say: [common.goodbye]
    hangup: true
  give_up:
    say: [common.goodbye]
    hangup: true
"""


@pytest.fixture
def line_dirs(tmp_path: Path) -> tuple[Path, Path]:
    """A one-flow line that offers the helpline, beside the shipped prompts and settings."""
    flows, prompts = tmp_path / "flows", tmp_path / "prompts"
    flows.mkdir()
    (flows / "main.yaml").write_text(MAIN)
    shutil.copytree(FLOWS.parent / "prompts", prompts)
    with open(prompts / "en-GB.yaml", "a") as file:
        file.write('\ndial:\n  connecting: "Putting you through now."\n')
    return flows, prompts


@pytest.fixture
def call(another_app, line_dirs):
    flows, prompts = line_dirs
    dial_app = another_app(FLOWS_DIR=str(flows), PROMPTS_DIR=str(prompts))
    return Phone(flask_transport(dial_app.test_client()), AUTH_TOKEN).dial()


def test_the_caller_is_put_through_to_the_number_in_settings(call):
    call.press("1")
    assert "Putting you through now." in call.said
    assert call.dialled == "+448000280077"  # settings.yaml's crisis_helpline, "0800 028 0077", in E.164
    call.dial_ends("completed", duration=300)
    assert call.ended


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed", "canceled"])
def test_a_call_that_did_not_connect_goes_on_with_the_flow(call, status):
    call.press("1").dial_ends(status)
    assert not call.ended and call.waiting_for.tag == "Gather"  # back at the menu, not cut off


def test_a_dial_is_not_a_question(call):
    call.press("1")
    with pytest.raises(LineError):
        call.press("1")
    with pytest.raises(LineError):
        call.silence()


def test_a_dial_step_needs_both_ways_on_and_a_real_number(line_dirs):
    flows, prompts = line_dirs
    main = flows / "main.yaml"
    main.write_text(MAIN.replace("      not_connected: menu\n", ""))
    with pytest.raises(FlowError, match="not_connected"):
        load_line(str(flows), str(prompts))
    main.write_text(MAIN.replace("dial: crisis_helpline", "dial: nobody"))
    with pytest.raises(FlowError, match="main.yaml: step put_through: unknown number to dial .nobody."):
        load_line(str(flows), str(prompts))
