"""A database that is down or slow: the caller hears a calm apology, and what they gave is replayed later."""

from __future__ import annotations

import multiprocessing
import os
import time
from datetime import date
from pathlib import Path

import pytest
from flask import g
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.pool import NullPool

from ivr.app import create_app
from ivr.config import engine_options
from ivr.extensions import db
from ivr.models import Call, CallStep, Referral
from ivr.tools.phone import Phone, flask_transport
from ivr.upkeep import spool
from ivr.voice.deadline import DatabaseTooSlow
from tests.support.faults import NOBODY_LISTENS, heard_the_apology, spooled, watch_errors
from tests.support.line import AUTH_TOKEN, at

on_postgresql = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="needs a real PostgreSQL: set TEST_DATABASE_URL"
)


def at_date_of_birth_confirm(phone) -> Phone:
    call = at(phone(), "referral.date_of_birth_confirm")
    assert "14 March 1988" in call.said
    return call


def test_an_unreachable_database_gets_an_apology_and_the_answer_is_replayed_once(app, phone, runner, another_app):
    call = at_date_of_birth_confirm(phone)
    down = another_app(SQLALCHEMY_DATABASE_URI=NOBODY_LISTENS)
    call.transport = flask_transport(down.test_client())

    call.press("1")  # "yes, that's my date of birth": the answer that saves it
    heard_the_apology(app, call)
    assert call.hang_up() == 200  # the status callback is kept too

    entries = spooled(app)
    assert [(e["kind"], e["call_sid"]) for e in entries] == [("answer", call.call_sid), ("status", call.call_sid)]
    assert entries[0]["form"]["Digits"] == "1" and entries[0]["seq"] == 3
    assert all(oct(path.stat().st_mode & 0o777) == "0o600" for path in Path(app.config["SPOOL_DIR"]).glob("*"))
    with app.app_context():
        assert Referral.query.count() == 0

    result = runner.invoke(args=["spool", "replay"])
    assert result.exit_code == 0, result.output
    assert "Replayed 2 of 2" in result.output
    with app.app_context():
        referral = Referral.query.one()
        assert referral.date_of_birth == date(1988, 3, 14)
        assert referral.status == "incomplete"
        saved = db.session.scalars(select(Call).where(Call.call_sid == call.call_sid)).one()
        assert saved.end_status == "completed"
        assert [s.event for s in saved.steps].count("interrupted") == 1
        steps = len(saved.steps)

    again = runner.invoke(args=["spool", "replay"])
    assert again.exit_code == 0 and "Replayed 0 of 0" in again.output
    # Even the same entries put back by hand (say, restored from a backup) change nothing.
    spool_dir = Path(app.config["SPOOL_DIR"])
    for path in (spool_dir / "replayed").glob("*.jsonl"):
        (spool_dir / path.name).write_bytes(path.read_bytes())
    assert "Replayed 2 of 2" in runner.invoke(args=["spool", "replay"]).output
    with app.app_context():
        assert Referral.query.count() == 1
        assert CallStep.query.count() == steps
        assert Referral.query.one().date_of_birth == date(1988, 3, 14)


def test_a_call_that_could_not_even_start_is_kept_for_staff(app, runner, another_app):
    down = another_app(SQLALCHEMY_DATABASE_URI=NOBODY_LISTENS)
    call = Phone(flask_transport(down.test_client()), AUTH_TOKEN).dial()
    heard_the_apology(app, call)
    runner.invoke(args=["spool", "replay"])
    with app.app_context():
        saved = db.session.scalars(select(Call).where(Call.call_sid == call.call_sid)).one()
        assert saved.caller_number == call.caller_number
        assert "interrupted" in [s.event for s in saved.steps]


def test_a_replay_while_the_database_is_still_down_loses_nothing(app, phone, runner, another_app):
    call = at_date_of_birth_confirm(phone)
    down = another_app(SQLALCHEMY_DATABASE_URI=NOBODY_LISTENS)
    call.transport = flask_transport(down.test_client())
    call.press("1")

    still_down = down.test_cli_runner().invoke(args=["spool", "replay"])
    assert still_down.exit_code == 1
    assert "1 could not be replayed" in still_down.output

    result = runner.invoke(args=["spool", "replay"])
    assert result.exit_code == 0 and "Replayed 1 of 1" in result.output
    with app.app_context():
        assert Referral.query.one().date_of_birth == date(1988, 3, 14)


def _write_many(spool_dir: str, count: int) -> None:
    app = create_app({"TESTING": True, "SPOOL_DIR": spool_dir, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context("/voice/answer", method="POST"):
        setattr(g, spool.VERIFIED, True)  # as the signature check marks a webhook Twilio signed: none other is kept
        for n in range(count):
            spool.keep("answer", {"CallSid": f"CA{os.getpid()}", "SpeechResult": "x" * 5000}, n)


def test_several_worker_processes_spool_at_once_without_tearing_a_line(app):
    writers = [multiprocessing.get_context("fork").Process(target=_write_many, args=(app.config["SPOOL_DIR"], 200))
               for _ in range(3)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    entries = spooled(app)
    assert len(entries) == 600
    assert {e["form"]["SpeechResult"] for e in entries} == {"x" * 5000}


@on_postgresql
def test_postgresql_connections_carry_the_statement_timeout(app):
    with app.app_context():
        assert db.session.execute(text("SHOW statement_timeout")).scalar() == "4s"


@on_postgresql
def test_postgresql_results_are_read_by_column_name_and_described_as_pep_249_says(app):
    """The line's cursor works out a result's description only when it is read (ivr/pgcursor.py): a statement
    SQLAlchemy has not seen before is still read by its columns' names, and the description is PEP 249's."""
    with app.app_context(), db.engine.connect() as connection:
        result = connection.execute(text("SELECT 7 AS week, 'Derby' AS town"))
        assert result.mappings().one() == {"week": 7, "town": "Derby"}
        cursor = connection.connection.driver_connection.cursor()
        cursor.execute("SELECT 7 AS week, 'Derby' AS town")
        assert [column[0] for column in cursor.description] == ["week", "town"]
        assert len(cursor.description) == 2 and all(len(column) == 7 for column in cursor.description)
        cursor.execute("SET LOCAL statement_timeout = '4s'")
        assert cursor.description is None  # no result rows


def _stall_on(app, statement_part: str, seconds: float) -> None:
    """Make the database sleep before each statement that touches `statement_part` (SQLite: the app waits)."""
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def stall(connection, cursor, statement, parameters, context, executemany):
        if statement_part in statement:
            if engine.dialect.name == "postgresql":
                cursor.execute(f"SELECT pg_sleep({seconds})")
            else:
                time.sleep(seconds)


@on_postgresql
def test_a_slow_database_is_cut_short_by_the_statement_timeout_and_replayed(app, phone, runner, another_app):
    call = at_date_of_birth_confirm(phone)
    slow = another_app(DB_STATEMENT_TIMEOUT_MS=200)
    _stall_on(slow, "FROM calls", 5)
    errors = watch_errors(slow)
    call.transport = flask_transport(slow.test_client())

    call.press("1")
    heard_the_apology(app, call)
    assert any("statement timeout" in str(error) for error in errors.raised), errors.raised

    assert runner.invoke(args=["spool", "replay"]).exit_code == 0
    with app.app_context():
        assert Referral.query.one().date_of_birth == date(1988, 3, 14)


def test_many_slowish_statements_are_cut_short_by_the_webhook_budget(app, phone, another_app):
    call = at_date_of_birth_confirm(phone)
    slow = another_app(DB_STATEMENT_TIMEOUT_MS=2000, WEBHOOK_DB_BUDGET_MS=300)
    _stall_on(slow, "", 0.2)  # every statement a little slow, none slow enough for the timeout
    errors = watch_errors(slow)
    call.transport = flask_transport(slow.test_client())

    call.press("1")
    heard_the_apology(app, call)
    assert any(isinstance(error, DatabaseTooSlow) for error in errors.raised), errors.raised


@pytest.fixture
def voice_worker(app, another_app):
    """An app as a voice worker serves it: its pool pings no connection before lending it."""
    return another_app(SERVE="voice", SQLALCHEMY_ENGINE_OPTIONS=engine_options({**app.config, "SERVE": "voice"}))


def restart_ends(worker, pooled: int) -> None:
    """What a database restart does to `pooled` connections in the worker's pool: the server ends each."""
    with worker.app_context():
        opened = [db.engine.connect() for _ in range(pooled)]
        pids = [connection.execute(text("SELECT pg_backend_pid()")).scalar() for connection in opened]
        for connection in opened:
            connection.close()
        admin = create_engine(db.engine.url, poolclass=NullPool)
    with admin.connect() as connection:
        for pid in pids:
            assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()


@on_postgresql
def test_a_voice_worker_whose_connections_died_with_a_restart_answers_the_next_turn_as_usual(voice_worker, caplog):
    """A voice worker's pool pings no connection before use: a turn that finds its connection dead runs again."""
    with voice_worker.app_context():
        assert db.engine.pool._pre_ping is False
    call = Phone(flask_transport(voice_worker.test_client()), AUTH_TOKEN).dial().press("2")
    restart_ends(voice_worker, 1)  # the one connection the call's turns used
    call.press("14031988")
    assert "14 March 1988" in call.said and "gone wrong on our side" not in call.said
    assert "taking the webhook again on a new one" in caplog.text
    with voice_worker.app_context():
        assert db.session.scalar(select(Call.seq).where(Call.call_sid == call.call_sid)) == 3


@on_postgresql
def test_after_a_restart_one_dead_connection_is_enough_to_renew_the_whole_pool(voice_worker, caplog):
    """A restart ends every pooled connection: the turn that finds one dead runs again on a new one, not on the
    next dead one from the pool, and the calls after it hear nothing of the restart."""
    calls = [Phone(flask_transport(voice_worker.test_client()), AUTH_TOKEN).dial().press("2") for _ in range(3)]
    restart_ends(voice_worker, 4)  # a worker's threads each have a connection in the pool, as warm() leaves them
    for call in calls:
        call.press("14031988")
        assert "14 March 1988" in call.said and "gone wrong on our side" not in call.said
    assert caplog.text.count("taking the webhook again on a new one") == 1
