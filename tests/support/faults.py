"""Shared by the fault tests: the apology, the spool's contents, the errors the app logged."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from ivr.extensions import current_line
from ivr.tools.phone import Phone

NOBODY_LISTENS = "postgresql+psycopg://postgres@127.0.0.1:1/ivr"  # a database that is down (apps: another_app)


def heard_the_apology(app, call: Phone) -> None:
    said = call.said
    with app.app_context():
        for key in ("common.sorry", "common.other_ways"):
            assert current_line().prompts.text((key,)) in said
    assert "9 9 9" in said and "1 1 1" in said  # the crisis routes
    assert call.ended and call.responses[-1][-1].tag == "Hangup"


def spooled(app) -> list[dict]:
    return [json.loads(line) for path in Path(app.config["SPOOL_DIR"]).glob("*.jsonl")
            for line in path.read_text().splitlines()]


class Errors(logging.Handler):
    """Collects the app's logged errors: an apology to the caller means something crashed."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)

    @property
    def raised(self) -> list:
        """What each error was: the exception logged with it, else its message."""
        return [r.exc_info[1] if r.exc_info else r.getMessage() for r in self.records]


def watch_errors(app) -> Errors:
    """Collect the errors `app` logs from now on."""
    errors = Errors()
    app.logger.addHandler(errors)
    return errors
