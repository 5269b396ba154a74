"""Build, before a worker's first caller, what the line would otherwise build during its first calls.

A fresh worker builds the practice matcher and its hints, opens its first database connection, configures
SQLAlchemy's mappers and compiles each statement on first use: over 100 ms of dead air, spread over the
first callers after a deploy. gunicorn.conf.py calls `warm(app)` from `post_worker_init`, before the
worker accepts a request. Nothing is kept: the pretend call runs in a transaction that is rolled back, so
an effect that reaches beyond the database (a text, a call) must wait for the commit, as the outbox does.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

from flask import Flask

from ivr.callflow.answers import Event
from ivr.callflow.line import Line
from ivr.callflow.office_hours import bank_holidays
from ivr.clock import today_in_london
from ivr.extensions import current_line, db
from ivr.tools.caller import Caller
from ivr.tools.phone import Phone, Transport
from ivr.voice import store
from ivr.voice.form import cleaned, event_from
from ivr.voice.turn import take_turn
from ivr.voice.urls import answer_url

# A pretend caller who refers themselves, answering each question by its step as the tests' caller does: the
# statements, readers and prompts a referral uses. A question added to the flow is answered from the caller's
# defaults, or the call stops short (still warming as much), never hangs.
ANSWERS = {"referral.practice": "Arthur Medical Centre in Horsley Woodhouse", "referral.name": "Sam Smith",
           "referral.name_confirm": "yes", "referral.best_time": "mornings"}
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


def _pretend_call(line: Line) -> Phone | None:
    """One referral through the real turn code, in a transaction rolled back at the end; returns its phone.

    Each turn runs in a savepoint of that transaction, so its commits keep nothing. On PostgreSQL only, where the
    line runs in production: SQLite's driver would commit at the first savepoint.
    """
    with db.engine.connect() as connection:
        if connection.dialect.name != "postgresql":
            return None  # pysqlite ends a transaction at a savepoint's release: only the connection is warmed
        outer = connection.begin()
        try:
            with store.within(connection):
                phone = Phone(_in_process(line), "", caller_number=PRETEND_CALLER, call_sid="CAwarmup" + "0" * 26)
                caller = Caller(phone.dial(), ANSWERS)
                while not phone.ended and caller.step in caller.answers:
                    caller.answer()
                return phone
        finally:
            outer.rollback()


def _in_process(line: Line) -> Transport:
    """The phone's requests, taken by the turn code as the webhook views take them, with no HTTP between."""

    def send(url: str, form: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        clean = cleaned(form)
        if urlsplit(url).path.endswith("/incoming"):
            return 200, take_turn(line, clean, Event("start"), None, answer_url)
        seq = parse_qs(urlsplit(url).query).get("seq", [""])[0]
        return 200, take_turn(line, clean, event_from(clean), int(seq) if seq.isdigit() else None, answer_url)

    return send


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

