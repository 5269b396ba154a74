"""Decisions a flow's `decide:` step takes from what the call knows, without asking: pure functions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ivr.callflow import answers, needs
from ivr.callflow.answers import Context
from ivr.clock import age_on


def _age_band(values: dict, ctx: Context) -> str:
    born = date.fromisoformat(values["date_of_birth"])
    return "adult" if age_on(born, ctx.today) >= 16 else "under_16"


def _caller_number(values: dict, ctx: Context) -> str:
    return "known" if values.get("caller_number") else "withheld"


def _text_receipt(values: dict, ctx: Context) -> str:
    number = values.get("callback_number")
    if not (ctx.texts and answers.is_uk_mobile(number)):
        return "skip"
    return "ask" if number == values.get("caller_number") else "ask_own"  # keyed: it may be someone else's


def _callback(values: dict, ctx: Context) -> str:
    """Whether staff have a number to call back: one confirmed, or at least the one the caller rang from."""
    return "known" if values.get("callback_number") or values.get("caller_number") else "none"


def _office_hours(values: dict, ctx: Context) -> str:
    hours, now = ctx.office_hours, ctx.now
    return "open" if hours is not None and now is not None and hours.is_open(now) else "closed"


DECISIONS: dict[str, Callable[[dict, Context], str]] = {
    "age_band": _age_band,
    "caller_number": _caller_number,
    "text_receipt": _text_receipt,  # a text only to a UK mobile, on a line that can send one; ask_own if keyed
    "office_hours": _office_hours,  # open | closed: whether a person can answer now
    "needs_known": needs.known,  # known | ask: an interpreter or text relay asked for already (at the menu)
    "interpreter": needs.interpreter,  # asked | none: an interpreter asked for (staff hear the language first)
    "callback": _callback,  # known | none: a number to call back on (the goodbye promises a call only with one)
}
