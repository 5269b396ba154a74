"""Build, before a worker's first caller, what the line would otherwise build during its first calls.

A fresh worker builds the practice matcher and its hints, opens its first database connection, configures
SQLAlchemy's mappers and compiles each statement on first use: over 100 ms of dead air, spread over the
first callers after a deploy. gunicorn.conf.py calls `warm(app)` from `post_worker_init`, before the
worker accepts a request. Nothing is kept: the pretend call runs in a transaction that is rolled back, so
an effect that reaches beyond the database (a text, a call) must wait for the commit, as the outbox does.
"""

from __future__ import annotations

import time

from flask import Flask, url_for

from ivr.callflow.answers import Event
from ivr.callflow.line import Line
from ivr.callflow.office_hours import bank_holidays
from ivr.clock import today_in_london
from ivr.extensions import current_line, db
from ivr.voice import store
from ivr.voice.turn import take_turn

# A pretend caller who refers themselves: the statements, readers and prompts a referral uses. If the flows
# change, a later answer may only be asked again; that warms as much.
REFERRAL = [
    Event("digits", "2"), Event("digits", "14031988"), Event("digits", "1"),
    Event("speech", "Arthur Medical Centre in Horsley Woodhouse"), Event("digits", "1"),
    Event("speech", "Sam Smith"), Event("speech", "yes"), Event("digits", "1"), Event("digits", "1"),
    Event("speech", "mornings"), Event("digits", "2"), Event("digits", "2"), Event("speech", "yes"),
]
PRETEND_CALLER = "+447700900123"  # an Ofcom drama number: never a real person's


def warm(app: Flask, connections: int = 1) -> None:
    """Warm this process's line and `connections` database connections (one a thread); a failure is logged,
    never stops the worker."""
    started = time.perf_counter()
    try:
        # At the public address when there is one: no other host is trusted (TRUSTED_HOSTS), so no URL is built.
        with app.test_request_context("/voice/answer", method="POST",
                                      base_url=app.config["PUBLIC_BASE_URL"] or None):
            line = current_line()
            if line.practices is not None:
                line.practices.match("medical centre")
                line.practices.hints()
            if line.prompts.office_hours is not None:
                bank_holidays(today_in_london().year)  # asked of a child process: a third of a second
            _pretend_call(line)
            _connections(connections)
    except Exception:
        app.logger.exception("could not warm this worker: its first callers may wait longer")
        return
    app.logger.info("worker warmed in %.0f ms", (time.perf_counter() - started) * 1000)


def _pretend_call(line: Line) -> None:
    """One referral through the real turn code, in a transaction rolled back at the end.

    Each turn runs in a savepoint of that transaction, so its commits keep nothing. On PostgreSQL only, where the
    line runs in production: SQLite's driver would commit at the first savepoint.
    """
    with db.engine.connect() as connection:
        if connection.dialect.name != "postgresql":
            return  # pysqlite ends a transaction at a savepoint's release: only the connection is warmed
        outer = connection.begin()
        try:
            with store.within(connection):
                form = {"CallSid": "CAwarmup" + "0" * 26, "From": PRETEND_CALLER}
                take_turn(line, form, Event("start"), None, _answer_url)
                for seq, event in enumerate(REFERRAL, start=1):
                    take_turn(line, form, event, seq, _answer_url)
        finally:
            outer.rollback()


def _connections(count: int) -> None:
    """Open the connections the worker's threads will use, each having read the calls table once (PostgreSQL
    reads a table's description on a connection's first use of it), and leave them in the pool."""
    opened = [db.engine.connect() for _ in range(count)]
    try:
        for connection in opened:
            connection.execute(store.LOCKED_CALL, {"call_sid": ""}).all()
            connection.rollback()
    finally:
        for connection in opened:
            connection.close()


def _answer_url(seq: int) -> str:
    return url_for("voice.answer", seq=seq)
