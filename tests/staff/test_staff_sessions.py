"""A session ends for good: at logout, a new password and disabling, and after a working day however busy."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from ivr.extensions import db
from ivr.models import StaffUser
from ivr.staff import auth, security


def copied_cookie(client) -> str:
    return client.get_cookie("session").value


def with_cookie(app, value: str):
    """Another browser holding a copy of someone's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", value)
    return thief


def test_a_cookie_copied_before_logout_stops_working(app, staff, client):
    staff.make()
    staff.login()
    copy = copied_cookie(client)
    assert with_cookie(app, copy).get("/staff/referrals").status_code == 200
    staff.post("/staff/logout", {}, page="/staff/referrals")
    response = with_cookie(app, copy).get("/staff/referrals")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")


def staff_pages(app) -> list[str]:
    """Every dashboard page a browser can open without naming a record (the login pages, its steps too, aside)."""
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if rule.endpoint.startswith("staff.") and "GET" in rule.methods and not rule.arguments
                  and not rule.rule.startswith("/staff/login"))


def test_a_new_password_ends_every_session(app, staff, client, runner, referral):
    staff.make(admin=True)  # an admin's session reaches every page, so that nothing is left out
    record = referral()
    staff.login()
    copy = copied_cookie(client)
    token = staff.token("/staff/account")
    pages = [*staff_pages(app), f"/staff/referrals/{record}"]
    assert {page: client.get(page).status_code for page in pages} == dict.fromkeys(pages, 200) | {"/staff/": 302}
    result = runner.invoke(args=["staff", "set-password", "sam.jones@nhs.example"], input="a brand new passphrase\n")
    assert result.exit_code == 0, result.output
    for browser in (client, with_cookie(app, copy)):  # the session, and a copy of its cookie
        for page in pages:
            response = browser.get(page)
            assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login"), page
    changed = client.post("/staff/account", data={"phone_number": "07700 900123", "csrf_token": token})
    assert changed.status_code == 302 and changed.headers["Location"].startswith("/staff/login")
    with app.app_context():
        assert db.session.scalars(select(StaffUser.phone_number)).one() is None


def test_a_disabled_then_enabled_account_does_not_get_its_old_sessions_back(app, staff, client, runner):
    staff_id = staff.make()
    staff.login()
    copy = copied_cookie(client)
    assert runner.invoke(args=["staff", "disable", "sam.jones@nhs.example"]).exit_code == 0
    assert runner.invoke(args=["staff", "enable", "sam.jones@nhs.example"]).exit_code == 0
    assert with_cookie(app, copy).get("/staff/referrals").status_code == 302

    staff.make("admin@nhs.example", admin=True)  # the same from the accounts page
    admin = app.test_client()
    staff.login(client=admin)
    copy = copied_cookie(admin)
    staff.login("admin@nhs.example", client=client)
    staff.post(f"/staff/accounts/{staff_id}/disable", {}, page="/staff/accounts")
    staff.post(f"/staff/accounts/{staff_id}/enable", {}, page="/staff/accounts")
    assert with_cookie(app, copy).get("/staff/referrals").status_code == 302


def test_a_session_ends_after_the_working_day_however_busy(app, staff, client, monkeypatch):
    clock = SimpleNamespace(now=1_800_000_000.0)
    pretend = SimpleNamespace(time=lambda: clock.now)
    monkeypatch.setattr(security, "time", pretend)
    monkeypatch.setattr(auth, "time", pretend)
    staff.make()
    staff.login()
    hours = app.config["STAFF_SESSION_HOURS"]
    assert hours == 10
    for _ in range(hours * 4 - 1):  # a request every quarter of an hour, all day
        clock.now += 15 * 60
        assert client.get("/staff/referrals").status_code == 200
    clock.now += 15 * 60 + 1
    response = client.get("/staff/referrals")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")
    assert "after 10 hours" in client.get(response.headers["Location"]).get_data(as_text=True)
