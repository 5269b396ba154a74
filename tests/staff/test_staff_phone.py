"""A phone number on a staff account, for Call now: set on the command line (trusted, verified at once) or on
My account (the password again, then a code texted to it), kept in E.164 and audited with its last 3 digits only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent, StaffUser
from tests.support.line import STAFF_PASSWORD

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
    # An admin at the server is trusted: verified at once. The audit log has the last 3 digits only.
    assert _audited(app) == [("staff.phone_set", repr({"phone": "***" + stored[-3:],
                                                         "verified": "by an admin at the server"}))]
    with app.app_context():
        assert db.session.scalars(select(StaffUser)).one().phone_verified


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


def test_my_account_needs_the_forms_token_and_a_login(app, client, staff):
    assert client.get("/staff/account").status_code == 302  # to the login page
    staff.make(EMAIL)
    staff.login(EMAIL)
    assert client.post("/staff/account", data={"phone_number": "07400 987654",
                                               "password": STAFF_PASSWORD}).status_code == 400
    assert _phone(app) is None
