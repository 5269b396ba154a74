"""Wrong passwords sent all at once to several gunicorn workers lock the account after the allowed number."""

from __future__ import annotations

import os
import re
import threading

import pytest
from sqlalchemy import func, select

from ivr.clock import as_utc
from ivr.extensions import db
from ivr.models import AuditEvent, StaffUser, utcnow
from tests.support.line import AUTH_TOKEN, STAFF_PASSWORD
from tests.support.servers import gunicorn, request

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="parallel logins through several gunicorn workers need a real PostgreSQL: set TEST_DATABASE_URL",
)
EMAIL = "sam.jones@nhs.example"
GUESSES = 20
LOCK_AFTER = 3



def test_parallel_wrong_passwords_lock_the_account_after_three_guesses(app, staff, database_url, tmp_path):
    staff_id = staff.make(EMAIL)
    settings = {"DATABASE_URL": database_url, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "IVR_ENV": "development",
                "SECRET_KEY": "lockout-race-test-secret-key-0123456789abcdef", "PUBLIC_BASE_URL": "",
                "IVR_SPOOL_DIR": str(tmp_path / "spool"), "STAFF_SLOW_AFTER": str(LOCK_AFTER),
                "STAFF_SLOW_SECONDS": "600", "STAFF_LOCK_AFTER": str(LOCK_AFTER), "STAFF_LOCK_MINUTES": "30",
                "STAFF_LOGIN_IP_LIMIT": "1000 per hour"}
    with gunicorn(settings, tmp_path, workers=4) as server:
        _, page, cookie = request(server, "GET", "/staff/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        start, answers = threading.Barrier(GUESSES), [None] * GUESSES

        def guess(n: int) -> None:
            start.wait()
            answers[n] = request(server, "POST", "/staff/login", cookie, {
                "email": EMAIL, "password": f"wrong guess number {n}", "csrf_token": token})[0]

        threads = [threading.Thread(target=guess, args=(n,)) for n in range(GUESSES)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        right = request(server, "POST", "/staff/login", cookie, {
            "email": EMAIL, "password": STAFF_PASSWORD, "csrf_token": token})[0]

    assert all(status == 401 for status in answers), answers  # none let in, none failed
    assert right != 302  # locked: even the right password waits
    with app.app_context():
        account = db.session.get(StaffUser, staff_id)
        checked = db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "staff.login_failed", AuditEvent.subject_id == staff_id))
        assert checked == LOCK_AFTER  # no more guesses were checked than the lockout allows
        assert account.failed_logins == LOCK_AFTER
        assert account.locked_until is not None and as_utc(account.locked_until) > utcnow()
