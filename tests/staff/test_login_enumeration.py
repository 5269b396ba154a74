"""Logging in tells nobody which accounts exist, and one address cannot try passwords without end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from ivr.config import ConfigError
from ivr.extensions import db
from ivr.models import AuditEvent, LoginThrottle, utcnow
from ivr.staff import accounts
from tests.support.line import STAFF_PASSWORD, walk_referral

KNOWN, UNKNOWN = "sam.jones@nhs.example", "nobody.here@nhs.example"


def answer(response) -> tuple[int, str]:
    """What someone trying to log in sees: the status and the page's message."""
    body = response.get_data(as_text=True)
    start = body.find('role="alert">')
    return response.status_code, body[start:body.find("</div>", start)] if start >= 0 else ""


def actions(app) -> list[str]:
    """The audit trail's actions, oldest first."""
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


class CountingHasher:
    """argon2's hasher, noting the hash each verify is made against."""

    def __init__(self, real):
        self.real, self.verified = real, []

    def verify(self, hash_, password):
        self.verified.append(hash_)
        return self.real.verify(hash_, password)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.fixture
def verifies(monkeypatch) -> list[str]:
    """Every argon2 verify made at login, by the hash it was checked against."""
    counting = CountingHasher(accounts.hasher)
    monkeypatch.setattr(accounts, "hasher", counting)
    return counting.verified


def test_a_known_and_an_unknown_email_get_the_same_answers_all_the_way_to_the_lockout(app, staff, verifies):
    app.config.update(STAFF_SLOW_AFTER=2, STAFF_SLOW_SECONDS=600, STAFF_LOCK_AFTER=3)
    staff.make(KNOWN)
    tries = ("wrong one", "wrong two", "wrong three", "wrong four", STAFF_PASSWORD)
    known = [answer(staff.login(KNOWN, password)) for password in tries]
    unknown = [answer(staff.login(UNKNOWN, password)) for password in tries]
    assert known == unknown
    assert {status for status, _ in known} == {401}  # locked by the third, so even the right password fails
    assert "not right" in known[0][1]
    assert len(verifies) == 2 * len(tries)  # one argon2 verify per try, whether or not the account exists


def test_a_slowed_account_refused_without_checking_still_costs_one_verify(app, staff, verifies):
    app.config.update(STAFF_SLOW_AFTER=1, STAFF_SLOW_SECONDS=600)
    staff.make(KNOWN)
    staff.login(KNOWN, "wrong one")
    staff.login(KNOWN, STAFF_PASSWORD)  # refused: must wait
    assert len(verifies) == 2


def test_an_address_at_its_limit_is_refused_unchecked_but_a_right_password_still_logs_in(app, staff, verifies):
    app.config.update(STAFF_LOGIN_IP_LIMIT="4 per hour")
    staff.make(KNOWN)
    for n in range(6):
        assert staff.login(f"someone{n}@nhs.example", "not the password").status_code == 401
    assert actions(app).count("staff.login_failed") == 4  # counted up to the limit,
    assert actions(app).count("staff.login_throttled") == 2  # then refused unchecked (one dummy verify each)
    assert len(verifies) == 6

    # A whole NHS site behind this address: someone who knows their password is not kept out.
    assert staff.login(KNOWN, STAFF_PASSWORD).status_code == 302
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    assert staff.login(UNKNOWN, "not the password", client=elsewhere).status_code == 401
    assert actions(app)[-1] == "staff.login_failed"  # another address has a count of its own


def test_at_the_address_limit_a_known_and_an_unknown_email_still_get_the_same_answers(app, staff, verifies):
    app.config.update(STAFF_LOGIN_IP_LIMIT="1 per hour", STAFF_SLOW_AFTER=2, STAFF_SLOW_SECONDS=600,
                      STAFF_LOCK_AFTER=3)
    staff.make(KNOWN)
    assert staff.login("first@nhs.example", "not the password").status_code == 401  # the address is at its limit
    tries = ("wrong one", "wrong two", "wrong three", "wrong four", STAFF_PASSWORD)
    known = [answer(staff.login(KNOWN, password)) for password in tries]
    unknown = [answer(staff.login(UNKNOWN, password)) for password in tries]
    assert known == unknown and {status for status, _ in known} == {401}
    assert len(verifies) == 1 + 2 * len(tries)
    # Wrong passwords at a real account are still checked, as many as its own slowing and lockout allow.
    assert actions(app).count("staff.login_failed") == 1 + 2
    assert actions(app).count("staff.login_refused") == 3 and actions(app).count("staff.login_throttled") == 5


def test_successful_logins_do_not_count_towards_the_address_limit(app, staff):
    app.config.update(STAFF_LOGIN_IP_LIMIT="2 per hour")  # a whole team behind one NHS address
    staff.make(KNOWN)
    for _ in range(5):
        assert staff.login(KNOWN, STAFF_PASSWORD).status_code == 302
        staff.post("/staff/logout", {}, page="/staff/referrals")


def test_the_limit_never_applies_to_twilios_webhooks(app, staff, phone):
    app.config.update(STAFF_LOGIN_IP_LIMIT="1 per hour")
    staff.login(UNKNOWN, "not the password")
    assert staff.login(UNKNOWN, "not the password").status_code == 401
    assert actions(app)[-1] == "staff.login_throttled"
    call = walk_referral(phone())  # Twilio's requests come from the same address: every one is answered
    assert call.hang_up() == 204


def test_addresses_in_one_ipv6_64_share_one_count(app, staff):
    app.config.update(STAFF_LOGIN_IP_LIMIT="2 per hour")
    for n in (1, 2, 3):  # an attacker is given a whole /64: each new address there is not a new count
        neighbour = app.test_client()
        neighbour.environ_base["REMOTE_ADDR"] = f"2001:db8:1:2::{n}"
        assert staff.login(UNKNOWN, "not the password", client=neighbour).status_code == 401
    assert actions(app)[-3:] == ["staff.login_failed", "staff.login_failed", "staff.login_throttled"]


def test_a_limit_written_wrongly_stops_the_start_naming_it(another_app):
    with pytest.raises(ConfigError, match="STAFF_LOGIN_IP_LIMIT is '30 an hour'"):
        another_app(STAFF_LOGIN_IP_LIMIT="30 an hour")


def test_an_address_counts_afresh_when_its_window_has_passed(app, staff):
    app.config.update(STAFF_LOGIN_IP_LIMIT="1 per hour")
    staff.login(UNKNOWN, "not the password")
    staff.login(UNKNOWN, "not the password")
    assert actions(app)[-1] == "staff.login_throttled"
    with app.app_context():  # an hour goes by
        db.session.execute(update(LoginThrottle).values(window_started_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
    staff.login(UNKNOWN, "not the password")
    assert actions(app)[-1] == "staff.login_failed"
