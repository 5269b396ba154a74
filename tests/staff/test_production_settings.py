"""In production the staff cookie is Secure and HSTS is sent; outside it, no guessable secret key signs sessions."""

from __future__ import annotations

import pytest
from flask import Flask

from ivr.app import create_app
from ivr.config import WEAK_SECRET_KEYS
from ivr.extensions import db
from tests.support.line import AUTH_TOKEN, StaffDesk

STRONG_KEY = "4f1c0e9a7b2d4c8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a"
YEAR = 365 * 24 * 3600


@pytest.fixture
def started(app):
    """started(**settings): an app on the test database with these settings, as the environment would give."""
    made: list[Flask] = []

    def start(**settings) -> Flask:
        made.append(create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                                "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "SPOOL_DIR": app.config["SPOOL_DIR"], **settings}))
        return made[-1]

    yield start
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_the_readmes_production_recipe_gives_a_secure_cookie_and_hsts(started):
    # The README's recipe: IVR_ENV=production, a strong key, PUBLIC_BASE_URL=https://...; the proxy in
    # front ends TLS, so the app itself sees plain HTTP.
    live = started(ENVIRONMENT="production", SECRET_KEY=STRONG_KEY, PUBLIC_BASE_URL="https://ivr.example.nhs.uk")
    desk = StaffDesk(live, live.test_client())
    desk.make()
    login_page = desk.client.get("/staff/login")
    hsts = login_page.headers["Strict-Transport-Security"]
    assert hsts.startswith("max-age=") and int(hsts.split("=")[1].split(";")[0]) >= YEAR
    half = desk.login(second_factor=False)
    assert half.headers["Location"] == "/staff/login/code"  # production asks for the authenticator app's code
    logged_in = desk.post("/staff/login/code", {"code": desk.code()})
    assert logged_in.status_code == 302
    cookie = logged_in.headers["Set-Cookie"]
    assert "; Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_no_hsts_or_secure_cookie_on_a_plain_http_development_line(staff, client):
    staff.make()
    assert "Strict-Transport-Security" not in client.get("/staff/login").headers
    assert "Secure" not in staff.login().headers["Set-Cookie"]


@pytest.mark.parametrize("given", [None, "", "dev"])
def test_without_a_real_secret_key_each_start_has_its_own_random_one(started, monkeypatch, given):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    settings = {} if given is None else {"SECRET_KEY": given}
    first, second = started(**settings), started(**settings)
    assert first.secret_key != second.secret_key
    assert first.secret_key not in WEAK_SECRET_KEYS and len(first.secret_key) >= 64


def test_a_cookie_signed_with_dev_does_not_open_the_admin_pages(started, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    # The attacker runs their own copy of the code, where the key was "dev", and logs in there as an admin.
    theirs = started(TESTING=True, SECRET_KEY="dev")
    their_desk = StaffDesk(theirs, theirs.test_client())
    their_desk.make("admin@nhs.example", admin=True)
    their_desk.login("admin@nhs.example")
    assert their_desk.client.get("/staff/accounts").status_code == 200
    forged = their_desk.client.get_cookie("session").value

    ours = started()  # started with no SECRET_KEY, outside production
    visitor = ours.test_client()
    visitor.set_cookie("session", forged)
    response = visitor.get("/staff/accounts")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")


def test_under_testing_a_missing_key_is_not_randomised(started, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    assert started(TESTING=True).secret_key == started(TESTING=True).secret_key
