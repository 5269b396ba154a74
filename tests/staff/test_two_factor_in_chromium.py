"""In real headless Chromium: a first login sets up an authenticator app from the page, a later one types its code."""

from __future__ import annotations

import time

import pyotp
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent, SecondFactor
from tests.staff.test_dashboard_in_chromium import SCREENSHOTS, browser, server  # noqa: F401  (fixtures)
from tests.support.line import STAFF_PASSWORD

EMAIL = "robin.lee@nhs.example"



def _password(page, server: str) -> None:  # noqa: F811  (the server fixture's URL)
    page.goto(f"{server}/staff/referrals")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_enrol_an_app_from_the_page_then_log_in_with_its_code(app, required, runner, server, browser):  # noqa: F811
    made = runner.invoke(args=["staff", "create", EMAIL], input=STAFF_PASSWORD + "\n")
    assert made.exit_code == 0, made.output
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()

    _password(page, server)
    page.wait_for_url(f"{server}/staff/login/enrol")
    assert page.get_by_role("heading", name="Set up your authenticator app").is_visible()
    qr = page.locator("svg.qr-code")
    assert qr.is_visible() and qr.bounding_box()["width"] >= 150  # drawn, big enough to scan
    page.screenshot(path=f"{SCREENSHOTS}/staff-2fa-enrol.png", full_page=True)
    secret = "".join(page.locator("#secret").inner_text().split())  # typed into the app by hand
    page.goto(f"{server}/staff/referrals")  # nothing opens before the code is confirmed
    assert "/staff/login" in page.url and "Referrals" not in page.title()
    page.goto(f"{server}/staff/login/enrol")
    page.get_by_label("6-digit code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Check the code").click()

    assert page.get_by_role("heading", name="Your recovery codes").is_visible()
    assert page.locator(".recovery-codes li").count() == 10
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url(f"{server}/staff/referrals")
    page.get_by_role("button", name="Log out").click()

    _password(page, server)
    page.wait_for_url(f"{server}/staff/login/code")
    page.get_by_label("6-digit code").fill(_next_code(app, secret))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{server}/staff/referrals")
    assert page.get_by_text(EMAIL).is_visible()
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions.count("staff.two_factor_verified") == 2 and actions.count("staff.login") == 2
    last = len(actions) - 1 - actions[::-1].index("staff.login")
    assert actions[last - 2:last + 1] == ["staff.password_accepted", "staff.two_factor_verified", "staff.login"]


def _next_code(app, secret: str) -> str:
    """The app's code now, or, if that one was just used to enrol, the next one (accepted a step early)."""
    totp = pyotp.TOTP(secret)
    with app.app_context():
        used = db.session.scalars(select(SecondFactor.last_step)).one()
    return totp.generate_otp(max(int(time.time()) // totp.interval, used + 1))
