"""Someone is told when the spool holds call events not yet replayed: `flask spool status` and the overview."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from ivr.tools.phone import flask_transport
from tests.support.faults import NOBODY_LISTENS
from tests.support.line import CALLER, at

BANNER = "kept on disk while the database was unavailable; run <code>flask spool replay</code>"


def spooled_while_the_database_was_down(phone, another_app) -> None:
    """A caller's confirmed date of birth and their hang-up, both kept on disk (two events)."""
    call = at(phone(), "referral.date_of_birth_confirm")
    call.transport = flask_transport(another_app(SQLALCHEMY_DATABASE_URI=NOBODY_LISTENS).test_client())
    call.press("1")
    call.hang_up()


def test_status_exits_1_while_events_wait_and_0_once_replayed(app, phone, runner, another_app):
    quiet = runner.invoke(args=["spool", "status"])
    assert (quiet.exit_code, quiet.output.strip()) == (0, "Nothing is waiting in the spool.")

    before = datetime.now(UTC).strftime("%Y-%m-%d")
    spooled_while_the_database_was_down(phone, another_app)
    waiting = runner.invoke(args=["spool", "status"])
    assert waiting.exit_code == 1
    assert "2 call events wait in 1 spool file, the oldest since " + before in waiting.output
    assert "flask --app wsgi spool replay" in waiting.output
    assert CALLER not in waiting.output and "1988" not in waiting.output

    assert runner.invoke(args=["spool", "replay"]).exit_code == 0
    after = runner.invoke(args=["spool", "status"])
    assert (after.exit_code, after.output.strip()) == (0, "Nothing is waiting in the spool.")


def test_status_counts_whole_lines_and_what_an_interrupted_replay_left(app, runner):
    spool_dir = Path(app.config["SPOOL_DIR"])
    (spool_dir / "replaying").mkdir(parents=True)
    entry = {"id": "1", "at": "2025-01-02T03:04:05+00:00", "kind": "incoming", "call_sid": "CA1", "seq": None,
             "form": {"CallSid": "CA1"}}
    (spool_dir / "replaying" / "web-1.20250102.jsonl").write_text(json.dumps(entry) + "\n")
    (spool_dir / "web-2.jsonl").write_text(json.dumps({**entry, "at": "2025-02-01T00:00:00+00:00"}) + "\n"
                                           + '{"id": "torn by a cr')  # a crash mid-write: not an entry
    result = runner.invoke(args=["spool", "status"])
    assert result.exit_code == 1
    assert "2 call events wait in 2 spool files, the oldest since 2025-01-02 03:04 UTC" in result.output


def test_the_overview_warns_while_events_wait_and_shows_nothing_of_them(app, phone, staff, client, runner,
                                                                      another_app):
    staff.make()
    staff.login()
    assert BANNER not in client.get("/staff/overview").get_data(as_text=True)

    spooled_while_the_database_was_down(phone, another_app)
    page = client.get("/staff/overview").get_data(as_text=True)
    assert "2 call events were " + BANNER in page
    for personal in (CALLER, "07400", "14031988", "1988"):
        assert personal not in page

    runner.invoke(args=["spool", "replay"])
    assert BANNER not in client.get("/staff/overview").get_data(as_text=True)
