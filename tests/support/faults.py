"""Shared by the fault tests: an app like the test's with other settings, the apology, the spool's contents."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from ivr.app import create_app
from ivr.extensions import current_line
from ivr.tools.phone import Phone

NOBODY_LISTENS = "postgresql+psycopg://postgres@127.0.0.1:1/ivr"
def app_like(app, **config):
    settings = {key: app.config[key] for key in (
        "TESTING", "SQLALCHEMY_DATABASE_URI", "TWILIO_AUTH_TOKEN", "SECRET_KEY", "ALLOW_UNSIGNED_WEBHOOKS",
        "PUBLIC_BASE_URL", "SPOOL_DIR",
    )}
    return create_app({**settings, **config})


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


def watch_errors(app) -> Errors:
    errors = Errors()
    app.logger.addHandler(errors)
    return errors
