"""Office hours without Flask: opening hours by weekday in UK time, England's bank holidays, the service's closures."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, time

import pytest

from ivr.callflow.answers import Context, Event
from ivr.callflow.engine import Ask, advance, new_state
from ivr.callflow.flowbook import FlowError
from ivr.callflow.line import load_line
from ivr.callflow.office_hours import bank_holidays, from_settings
from ivr.clock import LONDON
from tests.support.line import FLOWS

WEEKDAYS_9_TO_5 = {"opening_hours": {day: "09:00-17:00" for day in ("monday", "tuesday", "wednesday", "thursday",
                                                                     "friday")} | {"saturday": "closed"}}
HOURS = from_settings({**WEEKDAYS_9_TO_5, "closures": [date(2026, 12, 24), "2026-08-14"]})


def uk(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(("moment", "is_open"), [
    (uk(2026, 11, 26, 10, 0), True),  # a Thursday morning
    (uk(2026, 11, 26, 9, 0), True),  # opening time
    (uk(2026, 11, 26, 8, 59), False),
    (uk(2026, 11, 26, 17, 0), False),  # closing time: closed
    (uk(2026, 11, 26, 16, 59), True),
    (uk(2026, 11, 28, 11, 0), False),  # Saturday: closed
    (uk(2026, 11, 29, 11, 0), False),  # Sunday: not listed, closed
    (datetime(2026, 7, 1, 8, 30, tzinfo=UTC), True),  # 09:30 in summer time
    (datetime(2026, 1, 7, 8, 30, tzinfo=UTC), False),  # 08:30 in winter
    (uk(2026, 12, 25, 10, 0), False),  # Christmas Day, a Friday
    (uk(2026, 12, 28, 10, 0), False),  # Boxing Day falls on a Saturday: the Monday is the bank holiday
    (uk(2026, 5, 4, 10, 0), False),  # Early May bank holiday
    (uk(2026, 4, 3, 10, 0), False),  # Good Friday
    (uk(2026, 12, 24, 10, 0), False),  # a closure the service added (a date)
    (uk(2026, 8, 14, 10, 0), False),  # and one written as text
    (uk(2026, 12, 23, 10, 0), True),
])
def test_open_only_in_hours_on_working_days(moment, is_open):
    assert HOURS.is_open(moment) is is_open


def test_bank_holidays_are_englands_not_scotlands():
    assert date(2026, 8, 31) in bank_holidays(2026)  # Summer bank holiday in England
    assert date(2026, 8, 3) not in bank_holidays(2026)  # Scotland's is the first Monday of August
    assert date(2027, 1, 2) not in bank_holidays(2027)  # 2 January is Scotland's


@pytest.mark.parametrize(("hours", "spoken"), [
    (WEEKDAYS_9_TO_5["opening_hours"], "Monday to Friday, 9 am to 5 pm"),
    ({"monday": "08:30-16:30", "tuesday": "08:30-16:30", "friday": "09:00-12:00"},
     "Monday to Tuesday, 8:30 am to 4:30 pm; Friday, 9 am to 12 noon"),
])
def test_the_hours_are_said_as_people_say_them(hours, spoken):
    assert from_settings({"opening_hours": hours}).spoken() == spoken


@pytest.mark.parametrize(("settings", "message"), [
    ({"opening_hours": {"monday": "9 till 5"}}, "opening_hours.monday '9 till 5'"),
    ({"opening_hours": {"monday": "17:00-09:00"}}, "opening_hours.monday"),
    ({"opening_hours": {"monday": "09:00-25:00"}}, "opening_hours.monday"),
    ({"opening_hours": {"mon": "09:00-17:00"}}, "must name weekdays"),
    ({"opening_hours": {"monday": "09:00-17:00"}, "closures": ["Christmas Eve"]}, "'Christmas Eve' is not a date"),
])
def test_a_mistake_in_the_settings_is_named_at_start_up(settings, message):
    with pytest.raises(FlowError, match=message):
        from_settings(settings)


def test_no_hours_in_the_settings_means_never_open():
    assert from_settings({}) is None


LINE = load_line(str(FLOWS), str(FLOWS.parent / "prompts"))


def _menu_said(moment: datetime | None) -> list[str]:
    ctx = Context(today=date(2026, 11, 26), now=moment, office_hours=LINE.prompts.office_hours)
    _, actions = advance(LINE.book, new_state(), Event("start"), ctx)
    ask = next(a for a in actions if isinstance(a, Ask))
    return [key for prompt in ask.prompts for key in prompt.keys]


def test_the_menu_offers_a_person_only_in_office_hours():
    assert "menu.speak" in _menu_said(uk(2026, 11, 26, 10, 0))
    assert "menu.speak" not in _menu_said(uk(2026, 11, 26, 19, 0))
    assert "menu.speak" not in _menu_said(uk(2026, 12, 25, 10, 0))
    assert "menu.speak" not in _menu_said(None)  # no clock: nobody promised
    assert LINE.prompts.office_hours.days[0] == (time(9, 0), time(17, 0))  # the shipped settings


@pytest.mark.parametrize(("moment", "step"), [
    (uk(2026, 11, 26, 10, 0), "speak.put_through"),
    (uk(2026, 11, 26, 19, 0), "speak.closed"),  # the hours, then a referral, a message or the menu
    (uk(2026, 12, 28, 10, 0), "speak.closed"),
])
def test_asking_for_a_person_goes_to_reception_or_hears_the_hours(moment, step):
    ctx = Context(today=moment.date(), now=moment, office_hours=LINE.prompts.office_hours)
    state, _ = advance(LINE.book, new_state(), Event("start"), ctx)
    state, actions = advance(LINE.book, state, Event("speech", "can I speak to someone please"), ctx)
    assert state["step"] == step


@pytest.mark.parametrize("when", ["office_hours", "weather.sunny"])
def test_a_choice_offered_when_an_unknown_condition_holds_is_refused(tmp_path, when):
    flows = tmp_path / "flows"
    shutil.copytree(FLOWS, flows)
    main = flows / "main.yaml"
    main.write_text(main.read_text().replace("when: office_hours.open", f"when: {when}"))
    with pytest.raises(FlowError, match=f"choice 8 has 'when: {when}'"):
        load_line(str(flows), str(FLOWS.parent / "prompts"))


def test_bank_holidays_come_from_a_child_process_and_from_here_alike():
    from ivr.callflow import office_hours

    years = range(2030, 2030 + office_hours.YEARS_AT_ONCE)
    asked = office_hours._in_child(years)
    assert date(2030, 12, 25) in asked and date(2034, 8, 28) in asked  # Christmas; the Summer bank holiday
    assert sorted(asked) == sorted(office_hours._here(years))


def test_bank_holidays_are_still_known_when_the_child_process_cannot_run(monkeypatch):
    from ivr.callflow import office_hours

    monkeypatch.setattr(office_hours.sys, "executable", "/nonexistent/python")
    monkeypatch.setattr(office_hours, "_known", {})
    assert date(2040, 12, 25) in bank_holidays(2040)
