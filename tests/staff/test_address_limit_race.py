"""Failed logins from one address, sent at once to several gunicorn workers, stop at the address's limit exactly;
a right password from that address still logs in."""

from __future__ import annotations

import os
import re
import threading

import pytest
from sqlalchemy import func, select

from ivr.extensions import db
from ivr.models import AuditEvent, LoginThrottle
from tests.support.line import AUTH_TOKEN, STAFF_PASSWORD
from tests.support.servers import gunicorn, request

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="parallel logins through several gunicorn workers need a real PostgreSQL: set TEST_DATABASE_URL",
)
EMAIL = "sam.jones@nhs.example"
TRIES = 24
LIMIT = 5


def count(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action))


def test_parallel_failures_from_one_address_stop_at_its_limit_and_the_right_password_still_logs_in(
        app, staff, database_url, tmp_path):
    staff.make(EMAIL)
    settings = {"DATABASE_URL": database_url, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "IVR_ENV": "development",
                "SECRET_KEY": "address-limit-test-secret-key-0123456789abcdef", "PUBLIC_BASE_URL": "",
                "IVR_SPOOL_DIR": str(tmp_path / "spool"), "STAFF_LOGIN_IP_LIMIT": f"{LIMIT} per hour"}
    with gunicorn(settings, tmp_path, workers=4) as server:
        _, page, cookie = request(server, "GET", "/staff/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        start, answers = threading.Barrier(TRIES), [None] * TRIES

        def guess(n: int) -> None:  # a different unknown account each time: spraying, not one account's lockout
            start.wait()
            answers[n] = request(server, "POST", "/staff/login", cookie, {
                "email": f"guess{n}@nhs.example", "password": f"wrong guess number {n}", "csrf_token": token})[0]

        threads = [threading.Thread(target=guess, args=(n,)) for n in range(TRIES)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        right = request(server, "POST", "/staff/login", cookie, {
            "email": EMAIL, "password": STAFF_PASSWORD, "csrf_token": token})[0]

    assert answers == [401] * TRIES  # every refusal the same, none let in, none failed
    assert right == 302  # the member of staff behind the same address is not kept out
    with app.app_context():
        assert count("staff.login_failed") == LIMIT  # counted across the four workers, exactly to the limit
        assert count("staff.login_throttled") == TRIES - LIMIT
        assert count("staff.login") == 1
        assert db.session.scalars(select(LoginThrottle.failures)).all() == [LIMIT]
