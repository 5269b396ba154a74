"""The spool keeps only requests whose Twilio signature was verified, and only up to its caps; a caller whose
answer is not kept still hears the apology with the crisis routes."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from ivr.tools.phone import Phone, flask_transport
from ivr.upkeep import spool
from tests.support.faults import NOBODY_LISTENS, heard_the_apology, spooled
from tests.support.line import AUTH_TOKEN

CAP = 2000  # bytes: room for a few spooled first webhooks


def waiting_bytes(app) -> int:
    root = Path(app.config["SPOOL_DIR"])
    return sum(path.stat().st_size for path in [*root.glob("*.jsonl"), *root.glob("replaying/*.jsonl")])


def test_the_spool_refuses_a_request_not_marked_as_verified(app):
    with app.test_request_context("/voice/answer?seq=2", method="POST", data={"CallSid": "CA" + "1" * 32}):
        with pytest.raises(spool.Unverified):
            spool.keep("answer", {"CallSid": "CA" + "1" * 32, "Digits": "1"}, 2)
    with app.app_context(), pytest.raises(spool.Unverified):  # nor outside any request
        spool.keep("answer", {"CallSid": "CA" + "1" * 32, "Digits": "1"}, 2)
    assert spooled(app) == []


def test_the_error_handler_never_spools_a_request_whose_signature_was_not_checked(app, another_app):
    """With the check switched off (ALLOW_UNSIGNED_WEBHOOKS, refused in production) nothing is verified: a turn that
    fails still apologises, and keeps nothing for a replay to make a referral of."""
    down = another_app(SQLALCHEMY_DATABASE_URI=NOBODY_LISTENS, ALLOW_UNSIGNED_WEBHOOKS=True)
    call = Phone(flask_transport(down.test_client()), "not the token").dial()
    heard_the_apology(app, call)
    assert spooled(app) == []


def test_a_full_spool_keeps_no_more_and_every_caller_still_hears_the_apology(app, runner, caplog, another_app):
    down = another_app(SQLALCHEMY_DATABASE_URI=NOBODY_LISTENS, SPOOL_MAX_BYTES=CAP)
    numbers = [f"+4474009876{n:02d}" for n in range(12)]
    with caplog.at_level(logging.INFO):
        calls = [Phone(flask_transport(down.test_client()), AUTH_TOKEN, caller_number=number).dial()
                 for number in numbers]
    for call in calls:
        heard_the_apology(app, call)
    kept = spooled(app)
    assert 0 < len(kept) < len(calls)
    assert waiting_bytes(app) <= CAP
    full = [record.getMessage() for record in caplog.records if "the spool is full" in record.getMessage()]
    assert len(full) == len(calls) - len(kept)
    for number in numbers:  # the log says how full, not whose answers were lost
        assert number not in caplog.text and number[3:] not in caplog.text

    assert runner.invoke(args=["spool", "replay"]).exit_code == 0  # the database is back: what waited is loaded
    late = Phone(flask_transport(down.test_client()), AUTH_TOKEN).dial()  # and the next fault is kept again
    heard_the_apology(app, late)
    assert [entry["call_sid"] for entry in spooled(app)] == [late.call_sid]


def test_a_spool_at_its_file_cap_keeps_no_more(app, caplog, another_app):
    root = Path(app.config["SPOOL_DIR"])
    root.mkdir(parents=True)
    (root / "retry-0000aaaa.jsonl").write_text("")  # a file left waiting by an earlier replay
    down = another_app(SQLALCHEMY_DATABASE_URI=NOBODY_LISTENS, SPOOL_MAX_FILES=1)
    call = Phone(flask_transport(down.test_client()), AUTH_TOKEN).dial()
    heard_the_apology(app, call)
    assert spooled(app) == [] and sorted(path.name for path in root.glob("*.jsonl")) == ["retry-0000aaaa.jsonl"]
    assert "the spool is full (1 files" in caplog.text
