"""A second factor: a right password alone opens nothing; enrol an app, then log in with its code, each code once."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent, Referral, SecondFactor, StaffUser
from tests.support.line import CALLER

EMAIL = "sam.jones@nhs.example"



def _events(app) -> list[tuple[str, dict]]:
    with app.app_context():
        return [(e.action, e.detail) for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def _staff_urls(app, record_id: int, staff_id: int) -> list[tuple[str, str]]:
    """(method, URL) for every route of the dashboard, its ids filled with real ones."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("staff.") or rule.endpoint == "staff.static":
                continue
            values = {}
            for name, converter in rule._converters.items():
                items = getattr(converter, "items", None)
                values[name] = ("referrals" if "referrals" in items else sorted(items)[0]) if items else (
                    staff_id if name == "staff_id" else record_id)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                urls.append((method, rule.build(values)[1]))
    return urls


@pytest.mark.parametrize("step", ["/staff/login/enrol", "/staff/login/code"])
def test_a_right_password_alone_reaches_no_page_with_personal_data(app, required, staff, client, referral, step):
    record_id = referral()
    staff_id = staff.make(admin=True, authenticator=step.endswith("code"))  # a first login, or a later one
    with app.app_context():
        reference = db.session.get(Referral, record_id).reference
    before = len(_events(app))

    answered = staff.login(second_factor=False)
    assert answered.status_code == 302 and answered.headers["Location"] == step
    token = staff.token(step)
    seen = {}
    for method, url in _staff_urls(app, record_id, staff_id):
        response = client.open(url, method=method, data={"csrf_token": token, "version": "1", "text": "x",
                                                        "outcome": "reached", "status": "contacted"})
        body = response.get_data(as_text=True)
        seen[(method, url)] = response.status_code
        for personal in ("Jane Smith", "14 March 1988", "07400 123456", CALLER, reference):
            assert personal not in body, (method, url, personal)
        if not url.startswith("/staff/login"):
            assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login"), (
                method, url, response.status_code)
    assert ("GET", f"/staff/referrals/{record_id}") in seen and ("POST", "/staff/referrals.csv") in seen
    # Nothing was seen or changed: the audit has only the password step and the enrolment page's own doing.
    assert [action for action, _ in _events(app)[before:]] == ["staff.password_accepted"]
    with app.app_context():
        assert db.session.get(Referral, record_id).status == "new"


def test_first_login_enrols_the_app_then_later_logins_need_its_code(app, required, staff, client):
    staff.make(authenticator=False)
    assert staff.login(second_factor=False).headers["Location"] == "/staff/login/enrol"
    page = client.get("/staff/login/enrol").get_data(as_text=True)
    assert '<svg' in page and "QR code for your authenticator app" in page
    secret = "".join(re.search(r'id="secret">([A-Z2-7 ]+)<', page)[1].split())
    with app.app_context():
        assert db.session.scalars(select(SecondFactor.secret)).one() == secret  # the QR code's and the text's
    token = staff.token("/staff/login/enrol")
    wrong = client.post("/staff/login/enrol", data={"code": "000000", "csrf_token": token})
    assert wrong.status_code == 401 and "That code is not right" in wrong.get_data(as_text=True)
    assert client.get("/staff/referrals").status_code == 302  # still nothing before the code is confirmed

    done = client.post("/staff/login/enrol", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token})
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", done.get_data(as_text=True))
    assert done.status_code == 200 and len(set(codes)) == 10
    assert client.get("/staff/referrals").status_code == 200

    staff.post("/staff/logout", {}, page="/staff/referrals")
    assert staff.login(second_factor=False).headers["Location"] == "/staff/login/code"
    assert client.get("/staff/referrals").status_code == 302
    staff.secrets[EMAIL] = secret
    logged_in = staff.post("/staff/login/code", {"code": staff.code()})
    assert logged_in.status_code == 302 and logged_in.headers["Location"] == "/staff/referrals"
    assert EMAIL in client.get("/staff/referrals").get_data(as_text=True)
    actions = [action for action, _ in _events(app)]
    assert actions[-3:] == ["staff.password_accepted", "staff.two_factor_verified", "staff.login"]
    assert "staff.two_factor_enrolled" in actions and "staff.two_factor_failed" in actions


def test_a_code_is_taken_once_even_within_its_30_seconds(app, required, staff, client):
    staff.make()
    staff.login()
    staff.post("/staff/logout", {}, page="/staff/referrals")
    staff.login(second_factor=False)
    code = staff.code()
    assert staff.post("/staff/login/code", {"code": code}).headers["Location"] == "/staff/referrals"
    staff.post("/staff/logout", {}, page="/staff/referrals")

    staff.login(second_factor=False)  # someone who watched the code typed sends it again
    replayed = staff.post("/staff/login/code", {"code": code})
    assert replayed.status_code == 401 and "used already" in replayed.get_data(as_text=True)
    assert client.get("/staff/referrals").status_code == 302
    # Nor a code older than the one used: the app's previous one, still within the clock's allowance.
    totp = pyotp.TOTP(staff.secrets[EMAIL])
    with app.app_context():
        used = db.session.scalars(select(SecondFactor.last_step)).one()
    older = staff.post("/staff/login/code", {"code": totp.generate_otp(used - 1)})
    assert older.status_code == 401
    assert [a for a, _ in _events(app)][-2:] == ["staff.two_factor_failed", "staff.two_factor_failed"]


def test_wrong_codes_count_towards_the_lockout(app, required, staff, client):
    app.config.update(STAFF_SLOW_AFTER=10, STAFF_LOCK_AFTER=4)
    staff.make()
    staff.login()
    staff.post("/staff/logout", {}, page="/staff/referrals")
    staff.login(second_factor=False)  # the password's try counts too, until the whole login is done
    for guess in ("111111", "222222"):
        assert staff.post("/staff/login/code", {"code": guess}).status_code == 401
    locked = staff.post("/staff/login/code", {"code": "333333"})
    assert locked.status_code == 302 and locked.headers["Location"] == "/staff/login"
    assert "too many wrong codes" in client.get("/staff/login").get_data(as_text=True)
    assert staff.login().status_code == 401  # the right password now waits too: the account is locked
    actions = [a for a, _ in _events(app)]
    assert actions.count("staff.two_factor_failed") == 3 and "staff.locked_out" in actions


def test_after_wrong_codes_in_a_row_even_the_right_one_waits(app, required, staff):
    app.config.update(STAFF_SLOW_AFTER=2, STAFF_SLOW_SECONDS=600)
    staff.make()
    staff.login(second_factor=False)
    assert staff.post("/staff/login/code", {"code": "111111"}).status_code == 401
    slowed = staff.post("/staff/login/code", {"code": staff.code()})
    assert slowed.status_code == 429 and "wait 600 seconds" in slowed.get_data(as_text=True)
    assert [a for a, _ in _events(app)][-1] == "staff.two_factor_failed"  # the right code was not even checked


def test_a_recovery_code_opens_one_login_only(app, required, staff, client):
    staff.make(authenticator=False)
    staff.login()
    recovery = staff.recovery_codes[EMAIL][3]
    staff.post("/staff/logout", {}, page="/staff/referrals")
    staff.login(second_factor=False)
    used = staff.post("/staff/login/recovery", {"recovery_code": recovery.upper().replace("-", " ")},
                      page="/staff/login/code")
    assert used.status_code == 302 and used.headers["Location"] == "/staff/referrals"
    assert "you have 9 left" in client.get("/staff/referrals").get_data(as_text=True)
    assert ("staff.recovery_code_used", {"left": 9}) in _events(app)
    assert ("staff.two_factor_verified", {"method": "recovery_code"}) in _events(app)
    staff.post("/staff/logout", {}, page="/staff/referrals")

    staff.login(second_factor=False)
    again = staff.post("/staff/login/recovery", {"recovery_code": recovery}, page="/staff/login/code")
    assert again.status_code == 401 and "used already" in again.get_data(as_text=True)
    assert client.get("/staff/referrals").status_code == 302


def test_the_half_login_ends_after_ten_minutes(app, required, staff, client):
    staff.make()
    staff.login()
    staff.post("/staff/logout", {}, page="/staff/referrals")
    staff.login(second_factor=False)
    with client.session_transaction() as session:
        pending = session["pending_login"]
        session["pending_login"] = {**pending, "at": pending["at"] - 601}
    late = staff.post("/staff/login/code", {"code": staff.code()}, page="/staff/login")
    assert late.status_code == 302 and late.headers["Location"] == "/staff/login"
    assert client.get("/staff/referrals").status_code == 302


def test_with_the_setting_off_accounts_without_an_app_log_in_with_the_password(app, staff, client):
    app.config["STAFF_REQUIRE_2FA"] = False
    staff.make()
    response = staff.login()
    assert response.status_code == 302 and response.headers["Location"] == "/staff/referrals"
    assert client.get("/staff/referrals").status_code == 200


def test_an_account_with_an_app_is_asked_for_its_code_even_with_the_setting_off(app, staff, client):
    app.config["STAFF_REQUIRE_2FA"] = True
    staff.make()
    staff.login()  # enrolled while it was required
    staff.post("/staff/logout", {}, page="/staff/referrals")
    app.config["STAFF_REQUIRE_2FA"] = False
    assert staff.login(second_factor=False).headers["Location"] == "/staff/login/code"
    assert client.get("/staff/referrals").status_code == 302


def test_a_session_from_before_the_setting_was_on_ends(app, staff, client):
    app.config["STAFF_REQUIRE_2FA"] = False
    staff.make()
    staff.login()
    assert client.get("/staff/referrals").status_code == 200
    app.config["STAFF_REQUIRE_2FA"] = True  # e.g. a deploy with it on, the same SECRET_KEY
    response = client.get("/staff/referrals")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/login"
    assert "authenticator app" in client.get("/staff/login").get_data(as_text=True)


def test_a_disabled_account_cannot_finish_a_half_login(app, required, runner, staff, client):
    staff.make()
    staff.login()
    staff.post("/staff/logout", {}, page="/staff/referrals")
    staff.login(second_factor=False)
    assert runner.invoke(args=["staff", "disable", EMAIL]).exit_code == 0
    response = staff.post("/staff/login/code", {"code": staff.code()}, page="/staff/login")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/login"
    with app.app_context():
        assert db.session.scalars(select(StaffUser.last_login_at)).one() is not None  # from the first login only
    assert client.get("/staff/referrals").status_code == 302
