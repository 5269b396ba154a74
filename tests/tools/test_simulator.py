"""`flask call`: a whole signed call from the terminal, scripted or typed, kept in the database."""

import os
import stat

from sqlalchemy import select

from ivr.app import create_app
from ivr.callflow.answers import spoken_digits
from ivr.extensions import db
from ivr.models import Call, Referral

# Menu 2, date of birth, yes; the practice keyed twice (it must be said) -> "are you registered in
# Derby or Derbyshire?" yes; name said and confirmed; the number calling; voicemail yes, no help needed
# to talk with us, mornings, in person, not urgent -> sent: the reference twice, what happens next, goodbye.
REFERRAL = "2,14031988,1,5,5,1,say:Sam Taylor,1,1,1,2,1,1,2"


def only_referral(app) -> Referral:
    with app.app_context():
        [referral] = db.session.scalars(select(Referral)).all()
        db.session.expunge(referral)
        return referral


def test_a_whole_referral_runs_from_one_scripted_command(app, runner):
    result = runner.invoke(args=["call", "--script", REFERRAL])

    assert result.exit_code == 0, result.output
    referral = only_referral(app)
    assert referral.status == "new"
    assert referral.name == "Sam Taylor" and referral.practice_to_check is True
    assert referral.callback_number == "+447400123456"
    spoken_reference = spoken_digits(referral.reference.split("-")[-1], [3, 3])
    assert f"Your reference is I P T, {spoken_reference}" in " ".join(result.output.split())
    # The caller's inputs are marked, and where the call went is shown.
    assert "> 2\n" in result.output and "> say:Sam Taylor\n" in result.output
    assert "step: referral.start → referral.date_of_birth" in result.output
    assert "The script ran to its end." in result.output
    with app.app_context():
        [call] = db.session.scalars(select(Call)).all()
        assert call.outcome == "referred" and call.end_status == "completed"


def test_a_practice_said_in_a_script_is_found_and_stored(app, runner, practices):
    result = runner.invoke(args=["call", "--script", REFERRAL.replace("5,5,1", "say:Park Surgery Heanor,1")])

    assert result.exit_code == 0, result.output
    assert "Park Surgery in Heanor. Is that right?" in " ".join(result.output.split())
    assert only_referral(app).practice_ods_code == "C81031"


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
    assert "structured, short-term talking therapy" in result.output


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
