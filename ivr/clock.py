"""Time as the service counts it: UK local time, today's date in the UK, age on a day. Standard library only."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    """The current time in UTC, for column defaults."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored time as an aware UTC datetime (SQLite gives them back without a zone)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def london(moment: datetime) -> datetime:
    """A stored time in UK local time."""
    return as_utc(moment).astimezone(LONDON)


def today_in_london(now: datetime | None = None) -> date:
    """Today's date in the UK, which is what a caller's age is counted against."""
    return (now or datetime.now(UTC)).astimezone(LONDON).date()


def age_on(born: date, today: date) -> int:
    """Age in whole years on a given day."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
