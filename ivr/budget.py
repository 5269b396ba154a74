"""A time budget for the database: once the budget set for this context (a webhook's) is spent, no statement more is
started. The line's own DB-API cursors check it before every statement they run, whatever ran it: PostgreSQL's
(ivr/pgcursor.py) and SQLite's (below).

In the cursor rather than an engine event listener: any listener on the engine makes SQLAlchemy dispatch events at
every connection and statement, 5% of a webhook's instructions, and the cursor sees every statement just the same.
"""

from __future__ import annotations

import sqlite3
import time
from contextvars import ContextVar

# When this context's database budget runs out (time.monotonic()), or None: no budget (outside a webhook).
DEADLINE: ContextVar[float | None] = ContextVar("database_deadline", default=None)


class DatabaseTooSlow(TimeoutError):
    """The database budget is spent."""


def within_budget() -> None:
    """Refuse to start a statement once this context's budget is spent."""
    deadline = DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline:
        raise DatabaseTooSlow("the database took too long for this webhook")


class Budgeted:
    """execute and executemany that check the budget first: for sqlite3's cursor and its connection, whose own
    execute() runs on a cursor of its own, not one from cursor()."""

    def execute(self, sql, parameters=(), /):
        within_budget()
        return super().execute(sql, parameters)

    def executemany(self, sql, parameters, /):
        within_budget()
        return super().executemany(sql, parameters)


class BudgetedSQLiteCursor(Budgeted, sqlite3.Cursor):
    """sqlite3's cursor, checking the budget before each statement."""


class BudgetedSQLite(Budgeted, sqlite3.Connection):
    """A SQLite connection whose cursors check the budget (sqlite3.connect's `factory`: the line's SQLite engines)."""

    def cursor(self, factory=BudgetedSQLiteCursor):
        return super().cursor(factory)
