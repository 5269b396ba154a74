"""A time budget for the database in each webhook, so a slow database ends in an apology Twilio can play.

PostgreSQL's statement_timeout bounds one statement; a turn runs several, so each webhook also
stops starting new statements once its budget is spent (ivr/budget.py: the line's cursors check it before
each statement). Twilio gives up waiting at 15 seconds.
"""

from __future__ import annotations

import time

from flask import current_app

from ivr.budget import DEADLINE
from ivr.budget import DatabaseTooSlow as DatabaseTooSlow  # what a spent budget raises


def start_clock() -> None:
    """Start this webhook's budget (a before_request hook of the voice blueprint)."""
    DEADLINE.set(time.monotonic() + current_app.config["WEBHOOK_DB_BUDGET_MS"] / 1000)


def stop_clock(error: BaseException | None = None) -> None:
    """End it with the request (a teardown hook): whatever this thread runs next has no budget unless it sets one."""
    DEADLINE.set(None)
