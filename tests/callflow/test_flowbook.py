"""A broken flow or prompt file stops the app at start-up with one line naming the file, the step and the word,
with the nearest known word: through the factory, the `flask` command and gunicorn, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from ivr.app import create_app
from ivr.callflow.flowbook import FlowError
from tests.support.line import FLOWS
from tests.support.servers import free_port

ROOT = FLOWS.parent
PROMPTS = ROOT / "prompts"


@pytest.fixture
def copies(tmp_path):
    flows, prompts = tmp_path / "flows", tmp_path / "prompts"
    shutil.copytree(FLOWS, flows)
    shutil.copytree(PROMPTS, prompts)
    return flows, prompts


def start(flows, prompts):
    return create_app({"FLOWS_DIR": str(flows), "PROMPTS_DIR": str(prompts), "TESTING": True})


def broken(copies, file: str, old: str, new: str) -> str:
    """Change the first `old` in flows/<file> (or prompts/<file>) to `new`; returns the file's new text."""
    flows, prompts = copies
    path = flows / file if (flows / file).exists() else prompts / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in {file}: this test needs a new example"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path.read_text(encoding="utf-8")


# (file, what is there, the mistake, the one line the app refuses with)
MISTAKES = [
    ("referral.yaml", "adult: {next: practice, save: date_of_birth}", "adult: {next: practice, save: date_of_brith}",
     "flows/referral.yaml: step age_check: unknown save field 'date_of_brith' (did you mean 'date_of_birth'?)"),
    ("referral.yaml", "yes: {next: name, set: {practice_to_check: true}}",
     "yes: {next: name, set: {practise_to_check: true}}",
     "flows/referral.yaml: step registered_here: unknown set field 'practise_to_check' "
     "(did you mean 'practice_to_check'?)"),
    ("referral.yaml", "effects: [forget_caller]", "effects: [forget_callr]",
     "flows/referral.yaml: step under_16: unknown effect 'forget_callr' (did you mean 'forget_caller'?)"),
    ("referral.yaml", "flag: urgency_yes}", "flag: urgency_yess}",
     "flows/referral.yaml: step urgent: unknown flag 'urgency_yess' (did you mean 'urgency_yes'?)"),
    ("referral.yaml", "next: date_of_birth_confirm", "next: date_of_birth_confrim",
     "flows/referral.yaml: step date_of_birth: unknown step 'date_of_birth_confrim' "
     "(did you mean 'date_of_birth_confirm'?)"),
]
MORE_MISTAKES = [
    ("main.yaml", "flag: help_now_key", "flag: help_now",
     "flows/main.yaml: step menu: unknown flag 'help_now' (did you mean 'help_now_key'?)"),
    ("referral.yaml", "flag: urgency_yes}", "flg: urgency_yes}",  # a flag that would go unheard
     "flows/referral.yaml: step urgent: unknown key 'flg' (did you mean 'flag'?)"),
    ("enquiry.yaml", "effects: [submit_enquiry]", "effects: [submit_enquirey]",
     "flows/enquiry.yaml: step submitted: unknown effect 'submit_enquirey' (did you mean 'submit_enquiry'?)"),
    ("enquiry.yaml", "save: reference_given", "save: referance_given",
     "flows/enquiry.yaml: step reference: unknown save field 'referance_given' (did you mean 'reference_given'?)"),
    ("enquiry.yaml", "{next: callback, save: message}", "{next: callback, save: name_recording}",  # a referral's
     "flows/enquiry.yaml: step message: unknown save field 'name_recording' (did you mean 'recording_url'?)"),
    ("referral.yaml", "transcript: practice_said", "transcript: practise_said",
     "flows/referral.yaml: step practice: unknown transcript field 'practise_said' (did you mean 'practice_said'?)"),
    ("referral.yaml", "record: referral", "record: referal",
     "flows/referral.yaml: unknown record 'referal' (did you mean 'referral'?)"),
    ("main.yaml", "flag: help_now_key,", "flag: help_now_key, set: {urgent: true},",
     "flows/main.yaml: step menu: set 'urgent' keeps nothing: the flow has no 'record:'"),
    ("main.yaml", "next: referral.start}", "next: referral.strat}",
     "flows/main.yaml: step menu: unknown step 'referral.strat' (did you mean 'referral.start'?)"),
    ("referral.yaml", "back_to: sending", "back_to: sendng",
     "flows/referral.yaml: step urgent_help: unknown step 'sendng' (did you mean 'sending'?)"),
    ("referral.yaml", "decide: age_band", "decide: age_bnd",
     "flows/referral.yaml: step age_check: unknown decision 'age_bnd' (did you mean 'age_band'?)"),
    ("referral.yaml", "expect: spoken_name", "expect: spoken_nmae",
     "flows/referral.yaml: step name: unknown expect 'spoken_nmae' (did you mean 'spoken_name'?)"),
    ("referral.yaml", "  urgent:\n    ask", "  urgent:\n    asks",
     "flows/referral.yaml: step urgent: unknown key 'asks' (did you mean 'ask'?)"),
    ("referral.yaml", "    yes: age_check\n", "",
     "flows/referral.yaml: step date_of_birth_confirm: a yes/no step needs 'yes' and 'no'"),
    ("referral.yaml", "    timeout: 12\n    hints: january", "    timeout: soon\n    hints: january",
     "flows/referral.yaml: step date_of_birth: 'timeout' must be a whole number, not 'soon'"),
    ("referral.yaml", "effects: [forget_caller]", "effects: {forget: caller}",
     "flows/referral.yaml: step under_16: 'effects' must be a word or a list of words, not {'forget': 'caller'}"),
    ("referral.yaml", "flag: urgency_yes}", "flag: [urgency_yes]}",
     "flows/referral.yaml: step urgent: 'flag' must be a word, not ['urgency_yes']"),
    ("referral.yaml", "    say: [referral.intro, referral.privacy]\n    next: date_of_birth",
     "    say: [referral.intro, referral.privacy]\n    next: start",
     "flows/referral.yaml: step start: goes round start -> start without asking anything"),
    ("referral.yaml", "    ask: referral.name\n", "    ask: referral.nmae\n",
     "flows/referral.yaml: step name: prompts/en-GB.yaml has no prompt 'referral.nmae.ask' "
     "(did you mean 'referral.name.ask'?)"),
    ("crisis.yaml", "dial: crisis_helpline", "dial: crisis_helpine",
     "flows/crisis.yaml: step put_through: unknown number to dial 'crisis_helpine' (did you mean 'crisis_helpline'?)"),
    ("en-GB.yaml", "  what_is: >-", "  what_it_is: >-",
     "flows/information.yaml: step what_is: prompts/en-GB.yaml has no prompt 'information.what_is' "
     "(did you mean 'information.what_it_is'?)"),
    ("enquiry.yaml", "  start:\n    ask: enquiry.has_reference",
     "  start:\n    transcribe: true\n    ask: enquiry.has_reference",
     "flows/enquiry.yaml: step start: only a recording can be transcribed "
     "('transcribe: true' needs 'expect: record')"),
    ("speak.yaml", "  other_ways:\n    say:", "  other_ways:\n    interpreter: true\n    say:",
     "flows/speak.yaml: step other_ways: only a dial can bring in an interpreter ('interpreter: true' needs 'dial')"),
]


@pytest.mark.parametrize("file, old, new, line", MISTAKES + MORE_MISTAKES)
def test_a_misspelt_flow_refuses_to_start_with_one_line(copies, file, old, new, line):
    broken(copies, file, old, new)
    with pytest.raises(FlowError) as refused:
        start(*copies)
    assert str(refused.value) == line


def test_a_broken_yaml_file_names_its_line_in_one_line(copies):
    broken(copies, "referral.yaml", "    retries: 1\n", "    retries: [1\n")
    with pytest.raises(FlowError, match=r"^flows/referral.yaml: line \d+: expected ',' or ']'") as refused:
        start(*copies)
    assert "\n" not in str(refused.value)  # YAML's own message runs over several, quoting the line


def test_a_step_name_written_twice_is_refused(copies):
    broken(copies, "referral.yaml", "  voicemail:\n", "  urgent:\n")
    with pytest.raises(FlowError, match=r"^flows/referral.yaml: line \d+: 'urgent' is written twice$"):
        start(*copies)


def test_shipped_flows_load(copies):
    assert start(*copies).extensions["ivr_line"].book.steps["main.menu"].ask == "menu"


def refused_by(command: list[str], flows, prompts, tmp_path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("IVR_", "TWILIO_"))}
    env.update(IVR_FLOWS_DIR=str(flows), IVR_PROMPTS_DIR=str(prompts),
               DATABASE_URL=f"sqlite:///{tmp_path / 'ivr.sqlite3'}")
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("file, old, new, line", [*MISTAKES, MORE_MISTAKES[-2]])
def test_the_flask_command_says_the_one_line_and_stops(copies, tmp_path, file, old, new, line):
    broken(copies, file, old, new)
    ran = refused_by([sys.executable, "-m", "flask", "--app", "wsgi", "call", "--help"], *copies, tmp_path)
    assert "Traceback" not in ran.stderr
    assert ran.stderr == line + "\n"
    assert ran.returncode == 4 and "Usage" not in ran.stdout


def test_gunicorn_says_the_one_line_and_stops_without_a_traceback(copies, tmp_path):
    file, old, new, line = MISTAKES[0]
    broken(copies, file, old, new)
    ran = refused_by([sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{free_port()}",
                      "wsgi:app"], *copies, tmp_path)
    assert "Traceback" not in ran.stderr
    assert line in ran.stderr.splitlines()
    assert ran.returncode == 4  # gunicorn's master stopped ("App failed to load"), not a worker started again
