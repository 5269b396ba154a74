"""A phone number on a staff account, for Call now: set on the command line or on My account, kept in E.164."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent, StaffUser

EMAIL = "sam.jones@nhs.example"


def _phone(app) -> str | None:
    with app.app_context():
        return db.session.scalars(select(StaffUser.phone_number)).one()


def _audited(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(e.action, repr(e.detail)) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.startswith("staff.phone")).order_by(AuditEvent.id))]


@pytest.mark.parametrize(("written", "stored"), [
    ("07400 987654", "+447400987654"),
    ("+44 7400 987654", "+447400987654"),
    ("0044 (0)7400-987-654", "+447400987654"),
    ("(01332) 623700", "+441332623700"),
    ("0300 123 4567", "+443001234567"),
])
def test_set_phone_takes_any_common_uk_way_of_writing_it(app, staff, runner, written, stored):
    staff.make(EMAIL)
    result = runner.invoke(args=["staff", "set-phone", EMAIL.upper(), written])
    assert result.exit_code == 0, result.output
    assert _phone(app) == stored and stored in result.output
    assert _audited(app) == [("staff.phone_set", "{}")]  # the number itself stays out of the audit log


@pytest.mark.parametrize(("written", "says"), [
    ("12345", "is not a UK phone number"),
    ("not a number", "is not a UK phone number"),
    ("+1 202 555 0100", "is not a UK phone number"),
    ("0909 879 0000", "premium-rate or shared-cost"),
])
def test_set_phone_refuses_a_bad_number_in_one_line(app, staff, runner, written, says):
    staff.make(EMAIL)
    result = runner.invoke(args=["staff", "set-phone", EMAIL, written])
    assert result.exit_code == 1 and says in result.output and "Traceback" not in result.output
    assert _phone(app) is None and _audited(app) == []


def test_set_phone_for_an_unknown_account(runner):
    result = runner.invoke(args=["staff", "set-phone", "nobody@nhs.example", "07400 987654"])
    assert result.exit_code == 1 and "There is no account for nobody@nhs.example." in result.output


def test_my_account_sets_changes_and_removes_the_phone(app, client, staff):
    staff.make(EMAIL)
    staff.login(EMAIL)
    page = client.get("/staff/account").get_data(as_text=True)
    assert "My account" in page and EMAIL in page
    assert staff.post("/staff/account", {"phone_number": "07400 987654"}).status_code == 302
    assert _phone(app) == "+447400987654"
    assert 'value="07400 987654"' in client.get("/staff/account").get_data(as_text=True)

    refused = staff.post("/staff/account", {"phone_number": "0909 879 0000"})
    assert refused.status_code == 400 and "premium-rate or shared-cost" in refused.get_data(as_text=True)
    assert _phone(app) == "+447400987654"

    assert staff.post("/staff/account", {"phone_number": "  "}).status_code == 302
    assert _phone(app) is None
    assert [action for action, _ in _audited(app)] == ["staff.phone_set", "staff.phone_removed"]
    with app.app_context():
        assert {e.actor for e in db.session.scalars(select(AuditEvent).where(
            AuditEvent.action.startswith("staff.phone")))} == {EMAIL}


def test_my_account_needs_the_forms_token_and_a_login(app, client, staff):
    assert client.get("/staff/account").status_code == 302  # to the login page
    staff.make(EMAIL)
    staff.login(EMAIL)
    assert client.post("/staff/account", data={"phone_number": "07400 987654"}).status_code == 400
    assert _phone(app) is None
