"""Changing your own password on My account: the current one first, the rules, the new one twice; every other
session ends and this one goes on; audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent, StaffUser
from tests.support.line import STAFF_PASSWORD

EMAIL = "sam.jones@nhs.example"
NEW = "plum tractor misty ledger"
PAGE = "/staff/account/password"


def change(staff, current: str = STAFF_PASSWORD, new: str = NEW, again: str | None = None, client=None):
    return staff.post(PAGE, {"current_password": current, "new_password": new,
                             "new_password_again": new if again is None else again}, client=client)


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def can_log_in(app, staff, password: str) -> bool:
    return staff.login(EMAIL, password, client=app.test_client()).status_code == 302


def test_my_account_leads_to_the_change_password_page(staff, client):
    staff.make(EMAIL)
    staff.login(EMAIL)
    assert f'href="{PAGE}"' in client.get("/staff/account").get_data(as_text=True)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Your current password" in page and 'autocomplete="new-password"' in page


def test_a_new_password_ends_every_other_session_and_keeps_this_one(app, staff, client):
    staff.make(EMAIL)
    staff.login(EMAIL)
    elsewhere = app.test_client()  # the same person, logged in on another computer earlier
    staff.login(EMAIL, client=elsewhere)
    response = change(staff)
    assert response.status_code == 302 and response.headers["Location"] == "/staff/account"
    assert "Your password is changed" in client.get("/staff/account").get_data(as_text=True)
    assert client.get("/staff/referrals").status_code == 200  # this session goes on
    gone = elsewhere.get("/staff/referrals")
    assert gone.status_code == 302 and gone.headers["Location"].startswith("/staff/login")
    assert not can_log_in(app, staff, STAFF_PASSWORD) and can_log_in(app, staff, NEW)
    assert "staff.password_changed" in actions(app)


def test_a_wrong_current_password_changes_nothing_and_counts_towards_the_lockout(app, staff, client):
    app.config.update(STAFF_SLOW_AFTER=3, STAFF_LOCK_AFTER=3)
    staff.make(EMAIL)
    staff.login(EMAIL)
    for n in range(3):  # someone at a session left open guesses the password
        response = change(staff, current=f"a guess at it {n}")
        assert response.status_code == 400 and "Your current password is not right" in response.get_data(as_text=True)
    assert actions(app).count("staff.password_change_refused") == 3 and "staff.locked_out" in actions(app)
    assert change(staff).status_code == 400  # locked: even the right one waits, as at the login
    with app.app_context():
        account = db.session.scalars(select(StaffUser)).one()
        assert account.locked_until is not None
        account.locked_until = account.last_failed_login_at = None  # an admin unlocks it
        account.failed_logins = 0
        db.session.commit()
    assert can_log_in(app, staff, STAFF_PASSWORD) and "staff.password_changed" not in actions(app)


@pytest.mark.parametrize(("new", "again", "reason"), [
    ("aaaaaaaaaaaa", None, 'Repeats like &#34;aaa&#34; are easy to guess'),
    ("password1234", None, "This is a very common password"),
    (EMAIL, None, "must not contain your email address"),
    ("TalkingTherapies2026", None, "must not contain the service&#39;s name"),
    ("short", None, "at least 12 characters"),
    (NEW, "plum tractor misty ledgers", "The two new passwords are not the same"),
    (STAFF_PASSWORD, None, "not the one you have now"),
])
def test_a_weak_or_mistyped_new_password_is_refused_with_the_reason(app, staff, client, new, again, reason):
    staff.make(EMAIL)
    staff.login(EMAIL)
    response = change(staff, new=new, again=again)
    assert response.status_code == 400 and reason in response.get_data(as_text=True)
    assert can_log_in(app, staff, STAFF_PASSWORD)
    assert client.get("/staff/referrals").status_code == 200
    with app.app_context():
        assert db.session.scalars(select(StaffUser.failed_logins)).one() == 0  # no try of the password was counted


def test_the_form_needs_its_token(app, staff, client):
    staff.make(EMAIL)
    staff.login(EMAIL)
    response = client.post(PAGE, data={"current_password": STAFF_PASSWORD, "new_password": NEW,
                                       "new_password_again": NEW})
    assert response.status_code == 400
    assert can_log_in(app, staff, STAFF_PASSWORD)


def test_the_page_needs_a_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")
