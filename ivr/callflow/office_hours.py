"""When a person can answer: opening hours per weekday from settings.yaml, less England's bank holidays
(from the `holidays` package) and the closures the service adds. Pure: no Flask, no database."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from ivr.callflow.flowbook import FlowError
from ivr.clock import LONDON

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


# Years asked of the `holidays` package at once: a worker is restarted long before it needs a sixth.
YEARS_AT_ONCE = 5
ROOT = Path(__file__).resolve().parents[2]  # where the child process finds this module
_known: dict[int, frozenset[date]] = {}


def bank_holidays(year: int) -> frozenset[date]:
    """England's bank holidays in a year, substitute days included.

    The `holidays` package loads every country's calendar with England's (about 11 MB), more than a voice
    worker's turns use in all; so the dates are asked of it in a child process, five years at once, and only
    they are kept. Should the child fail, the package is imported here.
    """
    if year not in _known:
        years = range(year, year + YEARS_AT_ONCE)
        try:
            found = _in_child(years)
        except (OSError, subprocess.SubprocessError, ValueError):
            logging.getLogger(__name__).exception("could not ask a child process for bank holidays: importing them")
            found = _here(years)
        for each in years:
            _known[each] = frozenset(day for day in found if day.year == each)
    return _known[year]


def _in_child(years: range) -> list[date]:
    """_here(years), run by this module in a child process (see the end of the file), as ISO dates."""
    done = subprocess.run([sys.executable, "-m", __name__, str(years[0]), str(years[-1])], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=True)
    return [date.fromisoformat(day) for day in json.loads(done.stdout)]


def _here(years: range) -> list[date]:
    """England's bank holidays in these years, substitute days included (GOV.UK's list, as the package keeps it)."""
    import holidays

    return list(holidays.country_holidays("GB", subdiv="ENG", years=years))


@dataclass(frozen=True)
class OfficeHours:
    """Opening hours by weekday (0 is Monday: opens, closes), and the extra days the service is closed."""

    days: dict[int, tuple[time, time]]
    closures: frozenset[date] = frozenset()

    def is_open(self, moment: datetime) -> bool:
        """Whether a person can answer at this moment (UK local time; a bank holiday or closure is closed)."""
        local = moment.astimezone(LONDON)
        day = local.date()
        if day in self.closures or day in bank_holidays(day.year):
            return False
        hours = self.days.get(local.weekday())
        return hours is not None and hours[0] <= local.time() < hours[1]

    def runs(self) -> list[tuple[int, int, tuple[time, time]]]:
        """Days in a row with the same hours: (first weekday, last weekday, (opens, closes)), Monday first."""
        runs: list[tuple[int, int, tuple[time, time]]] = []
        for weekday in sorted(self.days):
            hours = self.days[weekday]
            if runs and runs[-1][1] == weekday - 1 and runs[-1][2] == hours:
                runs[-1] = (runs[-1][0], weekday, hours)
            else:
                runs.append((weekday, weekday, hours))
        return runs

    def spoken(self) -> str:
        """The hours as the line says them in English: 'Monday to Friday, 9 am to 5 pm' (other languages:
        ivr.callflow.saying)."""
        parts = [
            f"{_day(first)}{f' to {_day(last)}' if last > first else ''}, {_clock(opens)} to {_clock(closes)}"
            for first, last, (opens, closes) in self.runs()
        ]
        return "; ".join(parts)


def _day(weekday: int) -> str:
    return WEEKDAYS[weekday].capitalize()


def _clock(moment: time) -> str:
    """'9 am', '4:30 pm', '12 noon'."""
    if (moment.hour, moment.minute) == (12, 0):
        return "12 noon"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes} {'am' if moment.hour < 12 else 'pm'}"


def from_settings(settings: dict) -> OfficeHours | None:
    """The office hours in settings.yaml (`opening_hours:` and `closures:`), checked; None if there are none."""
    raw = settings.get("opening_hours")
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) - set(WEEKDAYS):
        raise FlowError(f"settings.yaml: opening_hours must name weekdays ({', '.join(WEEKDAYS)})")
    days = {}
    for name, text in raw.items():
        if text in (None, "", "closed"):
            continue
        days[WEEKDAYS.index(name)] = _hours(name, str(text))
    return OfficeHours(days=days, closures=frozenset(_closure(day) for day in settings.get("closures") or ()))


def _hours(name: str, text: str) -> tuple[time, time]:
    wrong = FlowError(f"settings.yaml: opening_hours.{name} '{text}' is not like '09:00-17:00' (or 'closed')")
    found = HOURS.match(text)
    if found is None:
        raise wrong
    try:
        opens, closes = time(int(found[1]), int(found[2])), time(int(found[3]), int(found[4]))
    except ValueError:  # 25:00, 09:75
        raise wrong from None
    if closes <= opens:
        raise wrong
    return opens, closes


def _closure(day) -> date:
    if isinstance(day, date):
        return day
    try:
        return date.fromisoformat(str(day))
    except ValueError:
        raise FlowError(f"settings.yaml: closures: '{day}' is not a date like 2026-12-24") from None


if __name__ == "__main__":  # _in_child's child: python -m ivr.callflow.office_hours FIRST LAST
    first, last = int(sys.argv[1]), int(sys.argv[2])
    print(json.dumps(sorted(day.isoformat() for day in _here(range(first, last + 1)))))
