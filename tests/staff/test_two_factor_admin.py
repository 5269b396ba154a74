"""The second factor around the edges: reset-2fa, the setting in production, and no secret in any log."""

from __future__ import annotations

import logging

import pytest
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select

from ivr import config as settings
from ivr.app import create_app
from ivr.config import ConfigError
from ivr.extensions import db
from ivr.models import AuditEvent, RecoveryCode, SecondFactor
from tests.support.line import AUTH_TOKEN

EMAIL = "sam.jones@nhs.example"
STRONG_KEY = "4f1c0e9a7b2d4c8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a"



def test_reset_2fa_ends_the_session_and_the_next_login_enrols_again(app, required, runner, staff, client):
    staff.make()
    staff.login()
    old_secret = staff.secrets[EMAIL]
    assert client.get("/staff/referrals").status_code == 200

    result = runner.invoke(args=["staff", "reset-2fa", "Sam.Jones@NHS.example"])
    assert result.exit_code == 0 and f"Reset the authenticator for {EMAIL}" in result.output
    assert client.get("/staff/referrals").status_code == 302  # the session (and whoever has the phone) is out
    with app.app_context():
        assert db.session.scalars(select(RecoveryCode)).all() == []
    assert staff.login(second_factor=False).headers["Location"] == "/staff/login/enrol"
    assert staff.login().status_code == 200  # enrolled again, with a new secret and new recovery codes
    assert staff.secrets[EMAIL] != old_secret
    with app.app_context():
        reset = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "staff.two_factor_reset")).one()
        assert (reset.actor, reset.detail) == ("system", {"was_enrolled": True})


def test_reset_2fa_for_an_unknown_email_says_so_without_a_traceback(runner):
    result = runner.invoke(args=["staff", "reset-2fa", "nobody@nhs.example"])
    assert result.exit_code == 1
    assert "There is no account for nobody@nhs.example." in result.output and "Traceback" not in result.output


def test_the_secret_and_codes_reach_no_log_audit_or_cookie(app, required, runner, staff, client, caplog):
    caplog.set_level(logging.DEBUG)
    staff.make(admin=True, authenticator=False)
    staff.login()
    with app.app_context():
        secret = db.session.scalars(select(SecondFactor.secret)).one()
    shown = staff.recovery_codes[EMAIL]
    staff.post("/staff/logout", {}, page="/staff/referrals")
    staff.login(second_factor=False)
    typed = staff.code()
    staff.post("/staff/login/code", {"code": "123456" if typed != "123456" else "654321"})  # a wrong one
    staff.post("/staff/login/code", {"code": typed})
    cookie = client.get_cookie("session").value
    staff.post("/staff/logout", {}, page="/staff/referrals")
    staff.login(second_factor=False)
    staff.post("/staff/login/recovery", {"recovery_code": shown[0]}, page="/staff/login/code")
    audit_page = client.get("/staff/audit").get_data(as_text=True)
    assert runner.invoke(args=["staff", "reset-2fa", EMAIL]).exit_code == 0

    with app.app_context():
        events = db.session.scalars(select(AuditEvent)).all()
        stored_codes = db.session.scalars(select(RecoveryCode.code_hash)).all()
    actions = {event.action for event in events}
    assert {"staff.two_factor_enrolled", "staff.two_factor_verified", "staff.two_factor_failed",
            "staff.recovery_code_used", "staff.two_factor_reset"} <= actions
    session = SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie)
    secrets_ = [secret, *shown, *(code.replace("-", "") for code in shown), typed]
    for text in (caplog.text, audit_page, repr([(e.action, e.detail) for e in events]), repr(session),
                 repr(stored_codes)):
        for one in secrets_:
            assert one not in text


def test_unset_the_setting_is_on_in_production_and_off_elsewhere(monkeypatch):
    monkeypatch.delenv("STAFF_REQUIRE_2FA", raising=False)
    for environment, required in (("production", True), ("development", False)):
        config = {**settings.from_environment(), "ENVIRONMENT": environment}
        settings.settle_two_factor(config)
        assert config["STAFF_REQUIRE_2FA"] is required


@pytest.mark.parametrize("value", ["0", "off", "no"])
def test_production_refuses_to_start_with_the_second_factor_off(app, monkeypatch, value):
    monkeypatch.setenv("STAFF_REQUIRE_2FA", value)
    with pytest.raises(ConfigError, match="STAFF_REQUIRE_2FA must not be off in production"):
        create_app({"ENVIRONMENT": "production", "SECRET_KEY": STRONG_KEY, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
                    "PUBLIC_BASE_URL": "https://ivr.example.nhs.uk",
                    "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})


def test_a_misspelt_setting_refuses_to_start_rather_than_meaning_off(monkeypatch):
    monkeypatch.setenv("STAFF_REQUIRE_2FA", "ture")
    with pytest.raises(ConfigError, match="STAFF_REQUIRE_2FA is 'ture'"):
        settings.from_environment()
