"""A time budget for the database in each webhook, so a slow database ends in an apology Twilio can play.

PostgreSQL's statement_timeout bounds one statement; a turn runs several, so each webhook also
stops starting new statements once its budget is spent. Twilio gives up waiting at 15 seconds.
"""

from __future__ import annotations

import time

from flask import current_app, g, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Engine


class DatabaseTooSlow(TimeoutError):
    """The webhook's database budget is spent."""


def start_clock() -> None:
    """Start this webhook's budget (a before_request hook of the voice blueprint)."""
    g.database_deadline = time.monotonic() + current_app.config["WEBHOOK_DB_BUDGET_MS"] / 1000


@event.listens_for(Engine, "before_cursor_execute")
def _within_budget(connection, cursor, statement, parameters, context, executemany) -> None:
    deadline = g.get("database_deadline") if has_request_context() else None
    if deadline is not None and time.monotonic() > deadline:
        raise DatabaseTooSlow("the database took too long for this webhook")
