"""Nobody sees personal data without logging in; forms need their token; admins alone read the audit log."""

import pytest
from flask import url_for
from sqlalchemy import func, select

from ivr.extensions import db
from ivr.models import CallbackAttempt, Note, Referral, StatusChange
from tests.support.line import CALLER, STAFF_PASSWORD


def _every_staff_get_url(app, referral_id: int) -> list[str]:
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint.startswith("staff.") and "GET" in rule.methods and rule.endpoint != "staff.static":
                values = {"record_id": referral_id, "plural": "referrals"}
                urls.append(url_for(rule.endpoint, **{k: values[k] for k in rule.arguments}))
    return urls


def test_without_logging_in_no_staff_url_shows_personal_data(app, client, referral):
    referral_id = referral()
    urls = _every_staff_get_url(app, referral_id)
    assert f"/staff/referrals/{referral_id}" in urls
    for url in urls:
        response = client.get(url)
        body = response.get_data(as_text=True)
        if url == "/staff/login":
            assert response.status_code == 200
        else:
            assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login"), url
        assert "IPT-" not in body and "Jane" not in body and "07400" not in body and CALLER not in body


def test_posts_without_logging_in_change_nothing(app, client, referral):
    referral_id = referral()
    with app.app_context():
        before = db.session.get(Referral, referral_id)
        status, version = before.status, before.version
    for action, form in [("status", {"status": "closed", "closing_reason": "other"}),
                         ("note", {"text": "written without logging in"}),
                         ("callback", {"attempted_at": "2025-11-20T10:15", "outcome": "reached"})]:
        response = client.post(f"/staff/referrals/{referral_id}/{action}", data={"version": version, **form})
        assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login"), action
    with app.app_context():
        after = db.session.get(Referral, referral_id)
        assert (after.status, after.version) == (status, version) and status == "new"
        for work in (StatusChange, Note, CallbackAttempt):
            assert db.session.scalar(select(func.count()).select_from(work)) == 0, work.__name__


def test_a_form_without_its_csrf_token_is_refused(app, staff, client, referral):
    referral_id = referral()
    staff.make()
    assert app.config["WTF_CSRF_ENABLED"]  # the tests run with CSRF on, as in production
    no_token = client.post("/staff/login", data={"email": "sam.jones@nhs.example", "password": STAFF_PASSWORD})
    assert no_token.status_code == 400 and "This form has expired" in no_token.get_data(as_text=True)
    staff.login()
    forged = client.post(f"/staff/referrals/{referral_id}/note",
                         data={"version": 1, "text": "from another site", "csrf_token": "forged"})
    assert forged.status_code == 400
    assert "from another site" not in client.get(f"/staff/referrals/{referral_id}").get_data(as_text=True)
    assert client.post("/staff/logout").status_code == 400
    assert client.get("/staff/referrals").status_code == 200  # still logged in


def test_twilio_webhooks_need_no_csrf_token(app, phone):
    """Signed posts to /voice/ carry no CSRF token, and must still be answered with CSRF switched on."""
    assert app.config["WTF_CSRF_ENABLED"]
    call = phone().press("2")
    assert call.waiting_for is not None and call.waiting_for.tag == "Gather" and not call.ended


@pytest.mark.parametrize("url", ["/staff/audit", "/staff/accounts"])
def test_only_admins_see_the_audit_log_and_accounts(staff, client, url):
    staff.make()
    staff.make("admin@nhs.example", admin=True)
    staff.login()
    assert client.get(url).status_code == 403
    assert "Audit log" not in client.get("/staff/referrals").get_data(as_text=True)
    staff.post("/staff/logout", {}, page="/staff/referrals")
    staff.login("admin@nhs.example")
    assert client.get(url).status_code == 200


def test_an_admin_can_disable_an_account_from_the_page(staff, client):
    staff_id = staff.make()
    staff.make("admin@nhs.example", admin=True)
    staff.login("admin@nhs.example")
    response = staff.post(f"/staff/accounts/{staff_id}/disable", {}, page="/staff/accounts")
    assert response.status_code == 302
    assert "Disabled" in client.get("/staff/accounts").get_data(as_text=True)


def test_staff_pages_carry_security_headers_and_are_never_cached(staff, client, referral):
    referral_id = referral()
    staff.make()
    for url in ("/staff/login",):
        headers = client.get(url).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    staff.login()
    for url in ("/staff/referrals", f"/staff/referrals/{referral_id}", "/staff/overview"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src" not in csp and "default-src 'none'" in csp and "'unsafe-inline'" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Cache-Control"] == "no-store", url


def test_the_session_cookie_is_httponly_lax_and_secure_over_https(app, staff):
    staff.make()
    plain = staff.login().headers["Set-Cookie"]
    assert "HttpOnly" in plain and "SameSite=Lax" in plain and "Secure" not in plain
    secure_client = app.test_client()
    token = staff.token("https://localhost/staff/login", secure_client)
    response = secure_client.post("https://localhost/staff/login", data={
        "email": "sam.jones@nhs.example", "password": STAFF_PASSWORD, "csrf_token": token},
        headers={"Referer": "https://localhost/staff/login"})  # browsers send it: Referrer-Policy same-origin
    cookie = response.headers["Set-Cookie"]
    assert response.status_code == 302 and "Secure" in cookie and "HttpOnly" in cookie
