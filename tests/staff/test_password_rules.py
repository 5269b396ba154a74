"""Staff passwords: common, breached and guessable ones are refused, and so are ones made of the account's email
or the service's name, with the reason in one line and never a traceback."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ivr.extensions import db
from ivr.models import StaffUser
from ivr.staff.passwords import problem
from tests.support.line import STAFF_PASSWORD

EMAIL = "sam.jones@nhs.example"
SERVICE = "NHS Talking Therapies for Derby and Derbyshire"
REFUSED = [  # (password, what the refusal says)
    ("short", "at least 12 characters"),
    ("aaaaaaaaaaaa", 'Repeats like "aaa" are easy to guess'),
    ("password1234", "This is a very common password"),
    ("qwertyuiop12", "similar to a commonly used password"),
    (EMAIL, "must not contain your email address"),
    ("Sam.Jones-horse-battery", "must not contain your email address"),
    ("TalkingTherapies2026", "must not contain the service's name"),
    ("nhs talking therapies!", "must not contain the service's name"),
]


@pytest.mark.parametrize(("password", "reason"), REFUSED)
def test_weak_passwords_are_refused_with_the_reason(password, reason):
    said = problem(password, EMAIL, SERVICE)
    assert said is not None and reason in said


@pytest.mark.parametrize("password", [STAFF_PASSWORD, "correct horse battery staple", "plum tractor misty ledger"])
def test_passphrases_of_unrelated_words_are_taken(password):
    assert problem(password, EMAIL, SERVICE) is None


def test_the_service_name_comes_from_the_lines_settings(app):
    with app.app_context():
        assert "service's name" in problem("TalkingTherapies2026", EMAIL)


def accounts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(StaffUser.id)))


@pytest.mark.parametrize(("password", "reason"), REFUSED[1:])
def test_staff_create_refuses_a_weak_password_in_one_line(app, runner, password, reason):
    result = runner.invoke(args=["staff", "create", EMAIL], input=password + "\n")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("Error: ") and reason in result.output and result.output.count("\n") == 1
    assert accounts(app) == 0


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "password1234", EMAIL])
def test_staff_set_password_refuses_a_weak_one_and_keeps_the_old(staff, runner, password):
    staff.make(EMAIL)
    result = runner.invoke(args=["staff", "set-password", EMAIL], input=password + "\n")
    assert result.exit_code == 1 and result.output.startswith("Error: ") and "Traceback" not in result.output
    assert staff.login(EMAIL, password).status_code == 401
    assert staff.login(EMAIL, STAFF_PASSWORD).status_code == 302
