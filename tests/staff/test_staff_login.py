"""Logging in: a CLI-made account logs in through the form; wrong passwords slow, then lock it out."""

from datetime import timedelta

from sqlalchemy import select

from ivr.clock import as_utc
from ivr.extensions import db
from ivr.models import AuditEvent, StaffUser, utcnow
from tests.support.line import STAFF_PASSWORD


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_an_account_made_with_the_cli_logs_in_through_the_form(app, runner, staff, client):
    result = runner.invoke(args=["staff", "create", "Alex.Khan@NHS.example"], input=STAFF_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Created staff account alex.khan@nhs.example" in result.output
    response = staff.login("alex.khan@nhs.example", STAFF_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/staff/referrals"
    page = client.get("/staff/referrals")
    assert page.status_code == 200 and "alex.khan@nhs.example" in page.get_data(as_text=True)
    assert _actions(app)[-1] == "staff.login"


def test_the_password_is_stored_as_an_argon2_hash(app, staff):
    staff.make()
    with app.app_context():
        stored = db.session.scalars(select(StaffUser.password_hash)).one()
    assert stored.startswith("$argon2id$") and STAFF_PASSWORD not in stored


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(staff, client):
    staff.make()
    for email, password in (("sam.jones@nhs.example", "not the password"), ("nobody@nhs.example", "x" * 12)):
        response = staff.login(email, password)
        assert response.status_code == 401
        assert "The email address or password is not right." in response.get_data(as_text=True)
    assert client.get("/staff/referrals").status_code == 302


def test_repeated_failures_slow_then_lock_the_account(app, staff):
    app.config.update(STAFF_SLOW_AFTER=2, STAFF_SLOW_SECONDS=600, STAFF_LOCK_AFTER=4)
    staff.make()
    assert staff.login(password="wrong one").status_code == 401
    assert staff.login(password="wrong two").status_code == 401
    slowed = staff.login()  # even the right password must wait now, and is told no more than a wrong one
    assert slowed.status_code == 401 and "must wait" in slowed.get_data(as_text=True)
    assert _actions(app)[-1] == "staff.login_refused"

    app.config.update(STAFF_SLOW_SECONDS=0)
    assert staff.login(password="wrong three").status_code == 401
    assert staff.login(password="wrong four").status_code == 401
    assert "staff.locked_out" in _actions(app)
    app.config.update(STAFF_SLOW_SECONDS=600)
    assert staff.login().status_code == 401  # locked
    with app.app_context():  # the lock runs out
        account = db.session.scalars(select(StaffUser)).one()
        account.locked_until = account.last_failed_login_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    assert staff.login().status_code == 302


def _end_the_lock(app) -> None:
    """Time passes: the account's lock (and its last failure) ran out a minute ago."""
    with app.app_context():
        account = db.session.scalars(select(StaffUser)).one()
        account.locked_until = utcnow() - timedelta(minutes=1)
        account.last_failed_login_at = utcnow() - timedelta(minutes=31)
        db.session.commit()


def _lock(app) -> tuple[int, bool]:
    with app.app_context():
        account = db.session.scalars(select(StaffUser)).one()
        return account.failed_logins, account.locked_until is not None and as_utc(account.locked_until) > utcnow()


def test_one_guess_each_time_a_lock_ends_cannot_keep_the_owner_out(app, staff):
    app.config.update(STAFF_SLOW_AFTER=3, STAFF_LOCK_AFTER=3, STAFF_LOCK_MINUTES=30)
    staff.make()
    for guess in ("wrong one", "wrong two", "wrong three"):
        assert staff.login(password=guess).status_code == 401
    assert _lock(app) == (3, True)
    for period in range(3):  # a stranger guesses once as each lock runs out
        _end_the_lock(app)
        assert staff.login(password=f"stranger's guess {period}").status_code == 401
        assert _lock(app) == (1, False)  # the count started afresh: one guess locks nothing
    assert staff.login().status_code == 302  # the owner, whenever they come, gets in
    assert _lock(app) == (0, False)


def test_an_admin_unlocks_a_locked_account_from_the_cli(app, runner, staff):
    app.config.update(STAFF_LOCK_AFTER=1)
    staff.make()
    staff.login(password="wrong")
    assert staff.login().status_code == 401
    assert runner.invoke(args=["staff", "unlock", "sam.jones@nhs.example"]).exit_code == 0
    assert staff.login().status_code == 302


def test_a_disabled_account_cannot_log_in_and_loses_its_session(runner, staff, client):
    staff.make()
    assert staff.login().status_code == 302
    assert runner.invoke(args=["staff", "disable", "sam.jones@nhs.example"]).exit_code == 0
    assert client.get("/staff/referrals").status_code == 302  # back to the login page
    response = staff.login()
    assert response.status_code == 403 and "disabled" in response.get_data(as_text=True)


def test_logging_out_ends_the_session(staff, client):
    staff.make()
    staff.login()
    response = staff.post("/staff/logout", {}, page="/staff/referrals")
    assert response.status_code == 302
    assert client.get("/staff/referrals").headers["Location"].startswith("/staff/login")


def test_idle_sessions_are_logged_out(app, staff, client):
    staff.make()
    staff.login()
    with client.session_transaction() as session:
        session["seen"] -= app.config["STAFF_IDLE_MINUTES"] * 60 + 1
    response = client.get("/staff/referrals")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")
    assert "without activity" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_after_login_it_returns_to_the_page_asked_for_but_never_to_another_site(staff, client):
    staff.make()
    assert client.get("/staff/overview").headers["Location"] == "/staff/login?next=/staff/overview"
    token = staff.token("/staff/login")
    for target, lands in (("/staff/overview", "/staff/overview"), ("https://evil.example/", "/staff/referrals")):
        response = client.post("/staff/login", data={
            "email": "sam.jones@nhs.example", "password": STAFF_PASSWORD, "csrf_token": token, "next": target})
        assert response.headers["Location"] == lands
        staff.post("/staff/logout", {}, page="/staff/referrals")
        token = staff.token("/staff/login")
