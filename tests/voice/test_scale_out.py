"""Several app servers share one PostgreSQL: a call may move between them, and a webhook may arrive twice."""

from __future__ import annotations

import os
import threading
import xml.etree.ElementTree as ET
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from ivr.callflow.answers import spoken_digits
from ivr.extensions import current_line, db
from ivr.models import Call, Referral
from ivr.tools.caller import Caller
from ivr.tools.phone import Phone, http_transport
from tests.support.line import AUTH_TOKEN, FLOWS, at
from tests.support.servers import gunicorn
from tests.support.twiml import checked_transport

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="app servers sharing a database need a real PostgreSQL: set TEST_DATABASE_URL",
)
ROOT = FLOWS.parent
PUBLIC = "https://ivr.example.nhs.uk"
RACES = 8


@pytest.fixture(scope="module")
def servers(database_url, tmp_path_factory):
    """Two gunicorn app servers on their own ports, one worker each, both signing as PUBLIC."""
    logs = tmp_path_factory.mktemp("servers")
    settings = {"DATABASE_URL": database_url, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "PUBLIC_BASE_URL": PUBLIC,
                "SECRET_KEY": "scale-out-test-secret-key-0123456789abcdef", "IVR_SPOOL_DIR": str(logs / "spool"),
                "IVR_ENV": "development"}
    with ExitStack() as stack:
        started = []
        for name in ("a", "b"):
            (logs / name).mkdir()
            url = stack.enter_context(gunicorn(settings, logs / name, workers=1))
            started.append((url, logs / name / "access.log"))
        yield started


def served(log: Path) -> int:
    """How many requests a server has answered, from its access log."""
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_a_call_moving_between_two_servers_completes_its_referral(app, servers, practices):
    (first, first_log), (second, second_log) = servers
    before = served(first_log), served(second_log)
    call = Phone(checked_transport(http_transport(first, second)), AUTH_TOKEN, base_url=PUBLIC).dial()
    Caller(call, {"referral.practice": ["no idea", "still no idea"],  # practice not understood: registered here
                  "referral.name": "Sam Smith", "referral.name_confirm": "yes", "referral.best_time": "mornings"}
           ).to_the_end()
    assert call.ended  # not urgent: the referral is sent, the reference said, goodbye
    call.hang_up()

    with app.app_context():
        referral = db.session.scalars(select(Referral)).one()
        assert referral.status == "new"
        assert spoken_digits(referral.reference.removeprefix("IPT-"), [3, 3]) in " ".join(call.transcript)  # heard
        assert referral.date_of_birth.isoformat() == "1988-03-14"
        assert referral.practice_to_check and referral.name == "Sam Smith"
        assert referral.callback_number == call.caller_number
        assert referral.call.end_status == "completed"
    asked = served(first_log) - before[0], served(second_log) - before[1]
    assert min(asked) >= 8 and abs(asked[0] - asked[1]) <= 1, asked  # each server answered every other turn


def at_the_same_moment(server_urls: list[str], path: str, form: dict[str, str]) -> list[tuple[int, str]]:
    """Deliver one signed webhook to each server from its own thread, all released together."""
    url = PUBLIC + path
    headers = {"X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(url, form)}
    transports = [checked_transport(http_transport(server)) for server in server_urls]
    start, answers = threading.Barrier(len(transports)), [None] * len(transports)

    def deliver(index: int) -> None:
        start.wait()
        answers[index] = transports[index](url, form, headers)

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(len(transports))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def twilio_form(call: Phone, **answer: str) -> dict[str, str]:
    """Every parameter Twilio sends with a request (tests/support/twilio_docs.py), and the answer."""
    return {"CallSid": call.call_sid, "AccountSid": call.account_sid, "From": call.caller_number,
            "To": call.line_number, "Caller": call.caller_number, "Called": call.line_number,
            "CallStatus": "in-progress", "Direction": "inbound", "ApiVersion": "2010-04-01", **answer}


def spoken(body: str) -> str:
    root = ET.fromstring(body)
    assert root.tag == "Response" and len(root)
    return " ".join(say.text or "" for say in root.iter("Say"))


def test_a_webhook_delivered_twice_at_once_creates_one_referral(app, servers):
    (first, _), (second, _) = servers
    with app.app_context():
        practice_question = current_line().prompts.text(("referral.practice.ask",))
    for _ in range(RACES):
        call = Phone(checked_transport(http_transport(first)), AUTH_TOKEN, base_url=PUBLIC).dial()
        at(call, "referral.date_of_birth_confirm")
        path = call.waiting_for.get("action")  # "yes, that is my date of birth" saves it on a new referral
        answers = at_the_same_moment([first, second], path, twilio_form(call, Digits="1"))
        assert [status for status, _ in answers] == [200, 200]
        assert answers[0][1] == answers[1][1]
        assert practice_question in spoken(answers[0][1])
    with app.app_context():
        assert db.session.scalar(select(func.count(Referral.id))) == RACES
        assert db.session.scalar(select(func.count(Call.id))) == RACES


def test_a_first_webhook_delivered_twice_at_once_starts_one_call(app, servers):
    (first, _), (second, _) = servers
    with app.app_context():
        greeting = current_line().prompts.text(("welcome.greeting",))
    for _ in range(RACES):
        call = Phone(checked_transport(http_transport(first)), AUTH_TOKEN, base_url=PUBLIC)
        answers = at_the_same_moment([first, second], "/voice/incoming", twilio_form(call))
        assert [status for status, _ in answers] == [200, 200]
        assert answers[0][1] == answers[1][1]
        assert greeting in spoken(answers[0][1])
        with app.app_context():
            saved = db.session.scalars(select(Call).where(Call.call_sid == call.call_sid)).one()
            assert saved.seq == 1
            assert [step.step for step in saved.steps].count("main.welcome") == 1
