"""The overview's figures from real calls, and the `flask staff` commands' plain one-line errors."""

import re

from ivr.tools.caller import Caller
from tests.support.line import STAFF_PASSWORD, at, walk_referral


def _calls(phone) -> None:
    walk_referral(phone()).hang_up(duration=185)  # a referral sent
    at(phone(), "referral.practice").hang_up(duration=40)  # left at the practice question
    Caller(phone(), {"referral.date_of_birth": "14032015"}).to_the_end().hang_up(duration=30)  # under 16
    Caller(phone(), {"referral.practice": ["Paris in France", "Lyon"],  # not registered in Derbyshire
                     "referral.registered_here": "2"}).to_the_end().hang_up(duration=60)


def _figure(page: str, what: str) -> str:
    match = re.search(r'<span class="figure">([^<]*)</span><span class="what">' + re.escape(what), page)
    assert match, what
    return match.group(1)


def test_the_overview_counts_calls_outcomes_and_where_callers_left(staff, client, phone):
    _calls(phone)
    staff.make()
    staff.login()
    response = client.get("/staff/overview")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _figure(page, "calls today") == "4"
    assert _figure(page, "calls this week") == "4"
    assert _figure(page, "median call length") == "50 s"
    assert _figure(page, "under 16 · out of area") == "1 · 1"
    assert "1 completed" in page and "1 incomplete" in page
    assert "<svg" in page and "<script" not in page
    practice_row = re.search(r">Practice</text>.*?<text[^>]*>(\d+)<tspan[^>]*> · (\d+) hung up here", page, re.S)
    assert practice_row and practice_row.groups() == ("3", "1")  # 3 reached it; 1 hung up there


def test_the_overview_shows_no_personal_data(staff, client, phone):
    _calls(phone)
    staff.make()
    staff.login()
    response = client.get("/staff/overview?period=30days")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h1>Overview</h1>" in page
    assert "Referrals: last 30 days" in page and _figure(page, "calls today") == "4"  # the figures are there
    assert "1 completed" in page and "1 incomplete" in page
    assert "IPT-" not in page and "Jane" not in page and "07400" not in page


def test_create_asks_twice_and_refuses_short_or_mismatched_passwords(runner):
    short = runner.invoke(args=["staff", "create", "sam@nhs.example"], input="short\n")
    assert short.exit_code == 1
    assert short.output.strip() == "Error: The password must be at least 12 characters long."
    bad_email = runner.invoke(args=["staff", "create", "not-an-email"], input=STAFF_PASSWORD + "\n")
    assert bad_email.exit_code == 1 and "is not an email address" in bad_email.output
    assert runner.invoke(args=["staff", "create", "sam@nhs.example", "--admin"],
                         input=STAFF_PASSWORD + "\n").exit_code == 0
    again = runner.invoke(args=["staff", "create", "SAM@nhs.example"], input=STAFF_PASSWORD + "\n")
    assert again.exit_code == 1 and "already exists" in again.output and "Traceback" not in again.output
    listing = runner.invoke(args=["staff", "list"]).output
    assert "sam@nhs.example" in listing and "admin" in listing and "active" in listing


def test_commands_for_unknown_accounts_fail_in_one_line(runner):
    for command in ("disable", "enable", "unlock"):
        result = runner.invoke(args=["staff", command, "nobody@nhs.example"])
        assert result.exit_code == 1
        assert result.output.strip() == "Error: There is no account for nobody@nhs.example."


def test_the_terminal_prompt_asks_for_the_password_twice_without_showing_it(runner, monkeypatch):
    monkeypatch.setattr("ivr.staff.cli._interactive", lambda: True)  # as if typed at a terminal
    result = runner.invoke(args=["staff", "create", "kim@nhs.example"],
                           input=f"{STAFF_PASSWORD}\nsomething else\n{STAFF_PASSWORD}\n{STAFF_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Password:") == 2 and "Repeat the password:" in result.output
    assert STAFF_PASSWORD not in result.output


def test_the_overview_shows_the_flow_map_behind_the_login(staff, client):
    assert client.get("/staff/flows.svg").status_code == 302
    staff.make()
    staff.login()
    assert 'src="/staff/flows.svg"' in client.get("/staff/overview").get_data(as_text=True)
    drawn = client.get("/staff/flows.svg")
    assert drawn.status_code == 200 and drawn.mimetype == "image/svg+xml"
    assert "date_of_birth_confirm" in drawn.get_data(as_text=True)
