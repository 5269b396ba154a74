"""The review's attack from outside, against gunicorn on PostgreSQL: each turn of a referral forged with a signature
settings header naming MD5, SHA999 or no algorithm gets 403, and nothing of it is stored, spooled or replayed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import Call, Referral
from ivr.tools.phone import Phone, http_transport
from tests.support.line import AUTH_TOKEN, CALLER, walk_referral
from tests.support.servers import gunicorn
from tests.support.twiml import checked_transport

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="the attack over HTTP runs against gunicorn on a real PostgreSQL: set TEST_DATABASE_URL",
)
PUBLIC = "https://ivr.example.nhs.uk"
FORGER, FORGER_SID = "+447700900666", "CA" + "e" * 32
FORGED_SETTINGS = ("algorithm=MD5", "algorithm=SHA999", "algorithm=")


def test_a_referral_forged_turn_by_turn_over_http_is_refused_and_leaves_nothing(app, database_url, runner, tmp_path):
    spool_dir = Path(app.config["SPOOL_DIR"])  # the same folder `runner`'s replay reads
    settings = {"DATABASE_URL": database_url, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "PUBLIC_BASE_URL": PUBLIC,
                "SECRET_KEY": "forged-over-http-test-secret-key-0123456789", "IVR_SPOOL_DIR": str(spool_dir),
                "IVR_ENV": "development"}
    refused: list[int] = []
    with gunicorn(settings, tmp_path, workers=2) as server:
        send = http_transport(server)

        def forger_alongside(url: str, form: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
            """Each request the real call makes, also sent by a forger under their own CallSid and number."""
            forged = {**form, "CallSid": FORGER_SID, "From": FORGER, "Caller": FORGER}
            for named in FORGED_SETTINGS:
                status, body = send(url, forged, {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl",
                                                  "X-Twilio-Webhooks-Signature-Settings": named})
                assert FORGER not in body and "1988" not in body
                refused.append(status)
            return send(url, form, headers)

        call = walk_referral(Phone(checked_transport(forger_alongside), AUTH_TOKEN, base_url=PUBLIC).dial())
        call.hang_up()
        assert "Traceback" not in (tmp_path / "error.log").read_text()

    assert len(refused) >= 42 and set(refused) == {403}, refused
    assert not list(spool_dir.rglob("*.jsonl"))
    replayed = runner.invoke(args=["spool", "replay"])
    assert replayed.exit_code == 0 and "Replayed 0 of 0" in replayed.output, replayed.output
    with app.app_context():
        assert db.session.scalars(select(Call).where(Call.call_sid == FORGER_SID)).first() is None
        assert [referral.callback_number for referral in db.session.scalars(select(Referral))] == [CALLER]
