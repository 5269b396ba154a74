"""`flask call`: a whole signed call from the terminal, scripted or typed, kept in the database."""

import os
import stat

from sqlalchemy import select

from ivr.app import create_app
from ivr.callflow.answers import spoken_digits
from ivr.extensions import db
from ivr.models import Call, Referral

# A whole referral answered by step: the step caller's usual answers (ivr/tools/caller.py: the practice is not
# recognised, so the caller says they are registered here; the number calling; not urgent), with this name.
BY_STEP = ["--answer", "referral.name=say:Sam Taylor"]


def only_referral(app) -> Referral:
    with app.app_context():
        [referral] = db.session.scalars(select(Referral)).all()
        db.session.expunge(referral)
        return referral


def test_a_whole_referral_runs_from_one_command_answering_by_step(app, runner):
    result = runner.invoke(args=["call", *BY_STEP])

    assert result.exit_code == 0, result.output
    referral = only_referral(app)
    assert referral.status == "new"
    assert referral.name == "Sam Taylor" and referral.practice_to_check is True
    assert referral.callback_number == "+447400123456"
    spoken_reference = spoken_digits(referral.reference.split("-")[-1], [3, 3])
    assert f"Your reference is {spoken_reference}" in " ".join(result.output.split())
    # Each answer is marked with the step it answered, and where the call went is shown.
    assert "> main.menu: (the usual answer)\n" in result.output
    assert "> referral.name: say:Sam Taylor\n" in result.output
    assert "step: referral.start → referral.date_of_birth" in result.output
    assert "The script ran to its end." in result.output
    with app.app_context():
        [call] = db.session.scalars(select(Call)).all()
        assert call.outcome == "referred" and call.end_status == "completed"


def test_a_practice_said_by_step_is_found_and_stored(app, runner, practices):
    result = runner.invoke(args=["call", *BY_STEP, "--answer", "referral.practice=say:Park Surgery Heanor"])

    assert result.exit_code == 0, result.output
    assert "Park Surgery in Heanor. Is that right?" in " ".join(result.output.split())
    assert only_referral(app).practice_ods_code == "C81031"


def test_a_question_with_no_answer_by_step_stops_the_script_and_names_it(app, runner):
    result = runner.invoke(args=["call", "--answer", "main.menu=3"])  # the enquiry line: no usual answers there

    assert result.exit_code == 1
    assert "no answer for enquiry." in result.output and "give it with --answer STEP=INPUT" in result.output
    assert "Traceback" not in result.output


def test_an_answer_without_a_step_is_refused_in_one_line(runner):
    result = runner.invoke(args=["call", "--answer", "say:Sam Taylor"])

    assert result.exit_code == 1
    assert "names no step: write it as STEP=INPUT" in result.output
    assert "Traceback" not in result.output


def test_a_script_that_ends_while_the_line_waits_fails_and_says_what_it_waited_for(app, runner):
    result = runner.invoke(args=["call", "--script", "2,14031988,1"])

    assert result.exit_code == 1
    assert "still waiting for speech: the practice's name and place" in result.output
    assert "Traceback" not in result.output
    assert only_referral(app).status == "incomplete"  # hung up, as a real caller who gave up would


def test_a_script_that_goes_on_after_the_line_hung_up_fails(runner):
    result = runner.invoke(args=["call", "--script", "1,4,hangup,2"])

    assert result.exit_code == 1
    assert "input 4 ('2') came after the call had ended" in result.output


def test_nonsense_in_a_script_is_named_without_a_traceback(runner):
    result = runner.invoke(args=["call", "--script", "2,banana"])

    assert result.exit_code == 1
    assert "input 2: 'banana' isn't something a caller can do" in result.output
    assert isinstance(result.exception, SystemExit)


def test_a_withheld_caller_is_asked_to_key_a_number(runner):
    result = runner.invoke(args=["call", "--from", "withheld", "--script", "3,2,record,hangup"])

    assert result.exit_code == 0, result.output
    assert "Your number isn't showing" in result.output


def test_an_interactive_call_takes_typed_keys_speech_and_silence(app, runner):
    typed = "\n".join(["2", "say: the 14th of March 1988", "what", "", "1", "hangup"]) + "\n"
    result = runner.invoke(args=["call"], input=typed)

    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "14 March 1988. Is that right?" in output
    assert "isn't something a caller can do" in output  # "what" is explained, the call goes on
    assert "Sorry, I didn't hear anything" in output  # the empty line was silence
    assert "waiting for speech: the practice's name and place" in output
    assert "(you hung up)" in output
    assert only_referral(app).status == "incomplete"


def test_end_of_input_hangs_up_quietly(runner):
    result = runner.invoke(args=["call"], input="2\n")

    assert result.exit_code == 0
    assert "(you hung up)" in result.output


def test_without_an_auth_token_the_call_is_still_signed_and_checked(app, runner):
    app.config["TWILIO_AUTH_TOKEN"] = ""  # the line itself would refuse every request now

    result = runner.invoke(args=["call", "--script", "1,4,hangup"])

    assert result.exit_code == 0, result.output
    assert "short, structured talking therapy" in result.output


def test_an_unmigrated_database_says_to_run_db_upgrade(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'new.sqlite3'}",
                      "TWILIO_AUTH_TOKEN": "token", "TESTING": True})

    result = app.test_cli_runner().invoke(args=["call", "--script", "2"])

    assert result.exit_code == 1
    assert "run `flask --app wsgi db upgrade`" in result.output


def test_speak_reads_prompts_through_espeak_ng_in_a_british_voice(runner, tmp_path, monkeypatch):
    spoken = tmp_path / "spoken.txt"
    espeak = tmp_path / "espeak-ng"
    espeak.write_text(f'#!/bin/sh\necho "$@" >> {spoken}\n')
    espeak.chmod(espeak.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")

    result = runner.invoke(args=["call", "--speak", "--script", "hangup"])

    assert result.exit_code == 0, result.output
    assert "-v en-gb Welcome to the I P T line at NHS Talking Therapies" in spoken.read_text()


def test_speak_without_espeak_ng_says_so_and_carries_on(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))

    result = runner.invoke(args=["call", "--speak", "--script", "hangup"])

    assert result.exit_code == 0, result.output
    assert "espeak-ng isn't installed" in result.output
    assert "Welcome to the I P T line at NHS Talking Therapies" in result.output
