"""A database error during a webhook is logged for us without the caller's number or answers in it."""

from __future__ import annotations

import logging

from sqlalchemy import event

from ivr.extensions import db
from tests.support.faults import heard_the_apology, spooled
from tests.support.line import CALLER, at

# What the caller gave by the time the write fails, in every form the app keeps it.
PERSONAL = (CALLER, "07400", "7400123456", "1988-03-14", "14031988", "14 March 1988")


def fail_writes_to_calls(app) -> None:
    """Make the database refuse the webhook's write to the call, as PostgreSQL does, row and all.

    PostgreSQL's own message for a failed constraint carries the failing row ("DETAIL: Failing row
    contains (...)"), and SQLAlchemy adds the statement's parameters: both name the caller.
    """
    with app.app_context():
        engine = db.engine
        refused = engine.dialect.dbapi.IntegrityError

    @event.listens_for(engine, "before_cursor_execute")
    def refuse(connection, cursor, statement, parameters, context, executemany):
        if "UPDATE calls SET" in statement:  # alone, or on PostgreSQL with the turn's other writes in its WITH
            raise refused('new row for relation "calls" violates check constraint "calls_check"\n'
                          f"DETAIL:  Failing row contains (7, {CALLER}, 1988-03-14, Jane).")


def test_a_failed_write_logs_neither_the_callers_number_nor_their_date_of_birth(app, phone, caplog, capsys):
    call = at(phone(), "referral.date_of_birth_confirm")
    fail_writes_to_calls(app)
    with caplog.at_level(logging.DEBUG):
        call.press("1")  # "yes, that is my date of birth": the turn that saves it
    heard_the_apology(app, call)
    assert spooled(app)[-1]["form"]["Digits"] == "1"  # the answer is kept, on disk, for the replay

    written = caplog.text + capsys.readouterr().err
    assert f"webhook failed for call {call.call_sid}" in written
    assert "IntegrityError" in written and "UPDATE calls" in written  # still enough to find the fault
    for personal in PERSONAL:
        assert personal not in written, personal


def test_the_engine_hides_statement_parameters(app):
    with app.app_context():
        assert db.engine.hide_parameters
