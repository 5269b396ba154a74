"""The overview's figures: calls, finished and dropped referrals, where callers left, how long calls took."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from ivr.callflow.flowbook import FlowBook
from ivr.clock import LONDON, today_in_london
from ivr.extensions import db
from ivr.models import UNFINISHED, Call, CallStep, Referral, Status

PERIODS = {"today": "Today", "week": "This week", "30days": "Last 30 days"}
OUTCOMES = {
    "referred": "Referral sent",
    "enquiry": "Message left",
    "under_16": "Under 16",
    "out_of_area": "Out of area",
    "gave_up": "Could not be helped",
    "went_round": "Back at the menu three times (older calls: the line no longer ends a call for this)",
    "crisis_goodbye": "Ended after the crisis helpline",
    "no_message": "Left no message",
    None: "Hung up before the end",
    "on_call": "Still on the call",
}


def period_start(period: str, now: datetime | None = None) -> datetime:
    """When a period began, in UTC: midnight today, Monday this week, or 30 days ago (UK dates)."""
    today = today_in_london(now)
    first = {"today": today, "week": today - timedelta(days=today.weekday()),
             "30days": today - timedelta(days=29)}[period]
    return datetime.combine(first, time(0), LONDON).astimezone(UTC)


def calls_since(start: datetime) -> int:
    """How many calls began since a time."""
    return db.session.scalar(select(func.count()).select_from(Call).where(Call.started_at >= start)) or 0


@dataclass
class FunnelRow:
    """One step of the referral questions: how many calls reached it, and how many ended there."""

    step: str
    label: str
    reached: int
    left: int


@dataclass
class Overview:
    """Everything the overview page shows for one period."""

    calls: int = 0
    referrals_completed: int = 0
    referrals_incomplete: int = 0
    median_seconds: float | None = None
    outcomes: dict[str, int] = field(default_factory=dict)
    funnel: list[FunnelRow] = field(default_factory=list)
    left_elsewhere: list[tuple[str, int]] = field(default_factory=list)


def label(step: str) -> str:
    """A step name in words: 'referral.date_of_birth' -> 'Date of birth'."""
    return step.split(".")[-1].replace("_", " ").capitalize()


def funnel_steps(book: FlowBook) -> list[str]:
    """The questions a referral caller goes through, in the order the flows list them."""
    return [book.start, book.menu] + [
        name for name, step in book.steps.items() if step.flow == "referral" and step.ask
    ]


def overview(book: FlowBook, start: datetime) -> Overview:
    """The figures for calls that began since `start`."""
    calls = db.session.execute(
        select(Call.id, Call.outcome, Call.duration_seconds, Call.ended_at).where(Call.started_at >= start)).all()
    result = Overview(calls=len(calls))
    result.outcomes = {name: 0 for name in OUTCOMES.values()}
    for row in calls:
        key = row.outcome if row.outcome in OUTCOMES else (None if row.ended_at else "on_call")
        result.outcomes[OUTCOMES[key]] += 1
    lengths = [row.duration_seconds for row in calls if row.duration_seconds is not None]
    result.median_seconds = statistics.median(lengths) if lengths else None

    statuses = Counter(db.session.scalars(
        select(Referral.status).join(Call).where(Call.started_at >= start)))
    result.referrals_incomplete = statuses[Status.INCOMPLETE]
    result.referrals_completed = sum(
        n for status, n in statuses.items() if status not in UNFINISHED)

    # Calls that ended (Twilio's status callback came) without reaching an outcome: the caller left.
    ended_without_outcome = {row.id for row in calls if row.outcome is None and row.ended_at is not None}
    reached: defaultdict[str, set[int]] = defaultdict(set)
    last_step: dict[int, str] = {}
    steps = db.session.execute(
        select(CallStep.call_id, CallStep.step).join(Call).where(Call.started_at >= start)
        .order_by(CallStep.id))
    for call_id, step in steps:
        reached[step].add(call_id)
        last_step[call_id] = step
    left = Counter(step for call_id, step in last_step.items() if call_id in ended_without_outcome)
    order = funnel_steps(book)
    result.funnel = [FunnelRow(step, label(step), len(reached[step]), left[step]) for step in order]
    result.left_elsewhere = sorted(
        ((label(step) + f" ({step.split('.')[0]})", n) for step, n in left.items() if step not in order),
        key=lambda item: -item[1])
    return result
