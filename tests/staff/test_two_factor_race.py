"""One authenticator code sent at once from several half-logins, to several gunicorn workers, opens one login."""

from __future__ import annotations

import os
import re
import threading

import pyotp
import pytest
from sqlalchemy import func, select

from ivr.extensions import db
from ivr.models import AuditEvent
from tests.support.line import AUTH_TOKEN, STAFF_PASSWORD
from tests.support.servers import gunicorn, request

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="parallel codes through several gunicorn workers need a real PostgreSQL: set TEST_DATABASE_URL",
)
EMAIL = "sam.jones@nhs.example"
SESSIONS = 8



def test_a_code_sent_at_once_to_several_workers_opens_one_login(app, staff, database_url, tmp_path):
    staff.make(EMAIL, authenticator=True)
    secret = staff.secrets[EMAIL]
    settings = {"DATABASE_URL": database_url, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "IVR_ENV": "development",
                "SECRET_KEY": "two-factor-race-test-secret-key-0123456789ab", "PUBLIC_BASE_URL": "",
                "IVR_SPOOL_DIR": str(tmp_path / "spool"), "STAFF_REQUIRE_2FA": "1", "STAFF_SLOW_AFTER": "100",
                "STAFF_LOCK_AFTER": "100", "STAFF_LOGIN_IP_LIMIT": "1000 per hour"}
    with gunicorn(settings, tmp_path, workers=4) as server:
        halves = []  # someone who watched the code typed, on several devices, each past the password
        for _ in range(SESSIONS):
            _, page, cookie = request(server, "GET", "/staff/login")
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            status, _, cookie = request(server, "POST", "/staff/login", cookie, {
                "email": EMAIL, "password": STAFF_PASSWORD, "csrf_token": token})
            assert status == 302 and cookie
            _, page, with_token = request(server, "GET", "/staff/login/code", cookie)  # a new session, a new token
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            halves.append((with_token or cookie, token))
        code = pyotp.TOTP(secret).now()
        start, answers = threading.Barrier(SESSIONS), [None] * SESSIONS

        def send(n: int) -> None:
            cookie, token = halves[n]
            start.wait()
            answers[n] = request(server, "POST", "/staff/login/code", cookie, {"code": code, "csrf_token": token})[0]

        threads = [threading.Thread(target=send, args=(n,)) for n in range(SESSIONS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert sorted(answers) == [302] + [401] * (SESSIONS - 1), answers
    with app.app_context():
        logins = db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "staff.login"))
        refused = db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "staff.two_factor_failed"))
    assert (logins, refused) == (1, SESSIONS - 1)
