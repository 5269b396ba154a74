"""A spooled webhook that can never be replayed stops being retried, is reported, and is purged in time."""

from __future__ import annotations

import json
import os
import time
from datetime import date
from pathlib import Path

from ivr.models import Referral
from ivr.tools.phone import flask_transport
from tests.support.faults import NOBODY_LISTENS
from tests.support.line import CALLER, at

# An entry whose form lost its CallSid (written by another version, or damaged on disk): no replay can use it.
UNREADABLE = {"id": "0" * 32, "at": "2025-01-02T03:04:05+00:00", "kind": "incoming", "call_sid": "CA" + "9" * 32,
              "seq": None, "form": {"From": CALLER, "SpeechResult": "the 1st of March 1988"}}


def spool_dir(app) -> Path:
    return Path(app.config["SPOOL_DIR"])


def dead_letters(app) -> list[Path]:
    return sorted((spool_dir(app) / "dead-letter").glob("*.jsonl"))


def test_an_entry_that_fails_every_replay_moves_to_the_dead_letter_folder_after_five(app, runner):
    assert app.config["SPOOL_MAX_REPLAYS"] == 5
    spool_dir(app).mkdir(parents=True)
    (spool_dir(app) / "web-1.jsonl").write_text(json.dumps(UNREADABLE) + "\n")
    for attempt in range(1, 5):
        result = runner.invoke(args=["spool", "replay"])
        assert result.exit_code == 1 and "1 could not be replayed and are kept for the next run" in result.output
        assert dead_letters(app) == [], attempt
    fifth = runner.invoke(args=["spool", "replay"])
    assert fifth.exit_code == 1
    assert "1 could not be replayed 5 times and moved to the dead-letter folder" in fifth.output
    [dead] = dead_letters(app)
    assert oct(dead.stat().st_mode & 0o777) == "0o600"  # it holds what a caller said

    status = runner.invoke(args=["spool", "status"])
    assert status.exit_code == 1
    assert "Nothing is waiting in the spool." in status.output
    assert "1 call event could not be replayed after 5 tries" in status.output
    assert str(spool_dir(app) / "dead-letter") in status.output
    assert CALLER not in status.output and "1988" not in status.output
    assert "Replayed 0 of 0" in runner.invoke(args=["spool", "replay"]).output  # no longer retried

    assert runner.invoke(args=["retention", "purge"]).exit_code == 0
    assert dead_letters(app) == [dead]  # kept while it is younger than the retention period
    old = time.time() - (app.config["RETENTION_INCOMPLETE_DAYS"] + 1) * 86400
    os.utime(dead, (old, old))
    purged = runner.invoke(args=["retention", "purge"])
    assert purged.exit_code == 0 and "1 old spool files" in purged.output
    assert dead_letters(app) == []
    assert runner.invoke(args=["spool", "status"]).exit_code == 0


def test_replays_while_the_database_is_down_do_not_count_towards_the_dead_letter(app, phone, runner,
                                                                                 another_app):
    call = at(phone(), "referral.date_of_birth_confirm")
    down = another_app(SQLALCHEMY_DATABASE_URI=NOBODY_LISTENS)
    call.transport = flask_transport(down.test_client())
    call.press("1")  # the confirmed date of birth, spooled
    for _ in range(app.config["SPOOL_MAX_REPLAYS"] + 1):
        assert down.test_cli_runner().invoke(args=["spool", "replay"]).exit_code == 1
    assert dead_letters(app) == []
    result = runner.invoke(args=["spool", "replay"])
    assert result.exit_code == 0 and "Replayed 1 of 1" in result.output
    with app.app_context():
        assert Referral.query.one().date_of_birth == date(1988, 3, 14)
