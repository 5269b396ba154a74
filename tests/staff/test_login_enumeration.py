"""Logging in tells nobody which accounts exist, and one address cannot try passwords without end."""

from __future__ import annotations

import pytest

from ivr.staff import accounts
from tests.support.line import STAFF_PASSWORD, walk_referral

KNOWN, UNKNOWN = "sam.jones@nhs.example", "nobody.here@nhs.example"


def answer(response) -> tuple[int, str]:
    """What someone trying to log in sees: the status and the page's message."""
    body = response.get_data(as_text=True)
    start = body.find('role="alert">')
    return response.status_code, body[start:body.find("</div>", start)] if start >= 0 else ""


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


def test_one_address_is_limited_in_failed_logins_across_accounts(app, staff, client):
    app.config.update(STAFF_LOGIN_IP_LIMIT="4 per hour")
    staff.make(KNOWN)
    for n in range(4):
        assert staff.login(f"someone{n}@nhs.example", "not the password").status_code == 401
    limited = staff.login(KNOWN, STAFF_PASSWORD)  # even a right password, from this address, must wait
    assert limited.status_code == 429
    assert "Too many failed logins from your network" in limited.get_data(as_text=True)

    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    assert staff.login(KNOWN, STAFF_PASSWORD, client=elsewhere).status_code == 302  # not locked out


def test_successful_logins_do_not_count_towards_the_address_limit(app, staff):
    app.config.update(STAFF_LOGIN_IP_LIMIT="2 per hour")  # a whole team behind one NHS address
    staff.make(KNOWN)
    for _ in range(5):
        assert staff.login(KNOWN, STAFF_PASSWORD).status_code == 302
        staff.post("/staff/logout", {}, page="/staff/referrals")


def test_the_limit_never_applies_to_twilios_webhooks(app, staff, phone):
    app.config.update(STAFF_LOGIN_IP_LIMIT="1 per hour")
    staff.login(UNKNOWN, "not the password")
    assert staff.login(UNKNOWN, "not the password").status_code == 429
    call = walk_referral(phone())  # Twilio's requests come from the same address: every one is answered
    assert call.hang_up() == 204
