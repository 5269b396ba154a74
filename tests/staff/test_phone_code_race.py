"""Wrong codes for a staff phone sent all at once to several gunicorn workers: no more than 5 are checked."""

from __future__ import annotations

import os
import re
import threading

import pytest
from sqlalchemy import func, select

from ivr.extensions import db
from ivr.models import AuditEvent, StaffUser, utcnow
from tests.support.call_now import STAFF_PHONE
from tests.support.line import AUTH_TOKEN, STAFF_PASSWORD
from tests.support.servers import gunicorn, request

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="parallel codes through several gunicorn workers need a real PostgreSQL: set TEST_DATABASE_URL",
)
EMAIL = "sam.jones@nhs.example"
GUESSES = 20


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_parallel_wrong_codes_end_the_attempt_after_five(app, staff, database_url, tmp_path):
    staff_id = staff.make(EMAIL)
    with app.app_context():  # a code is waiting; whatever it is, none of the guesses below is its hash's
        account = db.session.get(StaffUser, staff_id)
        account.phone_number, account.phone_code_hash, account.phone_code_sent_at = STAFF_PHONE, "0" * 64, utcnow()
        db.session.commit()
    settings = {"DATABASE_URL": database_url, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "IVR_ENV": "development",
                "SECRET_KEY": "phone-code-race-test-secret-key-0123456789abcdef", "PUBLIC_BASE_URL": "",
                "IVR_SPOOL_DIR": str(tmp_path / "spool"), "STAFF_LOGIN_IP_LIMIT": "1000 per hour"}
    with gunicorn(settings, tmp_path, workers=4) as server:
        _, page, cookie = request(server, "GET", "/staff/login")
        status, _, cookie = request(server, "POST", "/staff/login", cookie, {
            "email": EMAIL, "password": STAFF_PASSWORD, "csrf_token": _token(page)})
        assert status == 302
        _, page, refreshed = request(server, "GET", "/staff/account", cookie)
        cookie, token = refreshed or cookie, _token(page)
        start, answers = threading.Barrier(GUESSES), [None] * GUESSES

        def guess(n: int) -> None:
            start.wait()
            answers[n] = request(server, "POST", "/staff/account/phone-code", cookie,
                                 {"code": f"{n:06d}", "csrf_token": token})[0]

        threads = [threading.Thread(target=guess, args=(n,)) for n in range(GUESSES)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert answers == [400] * GUESSES, answers
    with app.app_context():
        checked = db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "staff.phone_code_refused", AuditEvent.subject_id == staff_id,
            AuditEvent.detail["reason"].as_string().in_(["wrong", "too_many_tries"])))
        account = db.session.get(StaffUser, staff_id)
        assert checked == 5  # no more codes were compared than the 5 tries allow
        assert account.phone_code_hash is None and not account.phone_verified
