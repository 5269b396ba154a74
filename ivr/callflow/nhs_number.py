"""The NHS number, asked on the call and optional: ten digits keyed (or said), checked by its modulus 11 check digit
and read back in groups of 3, 3 and 4, as the NHS writes it. Pure."""

from __future__ import annotations

import nhs_number as nhs

from ivr.callflow.answers import Answer, Context, Event, Retry, digits_in
from ivr.callflow.phrasing import yes_no_said

DIGITS = 10
GROUPS = [3, 3]  # then the last 4: "943 476 5919"
UNKNOWN = "unknown"  # the outcome for "I don't know it": the call goes on at once


def is_nhs_number(value: str) -> bool:
    """Ten digits whose last is the modulus 11 check digit of the first nine (NHS Data Dictionary, NHS NUMBER), by the
    nhs-number package."""
    return len(value) == DIGITS and value.isdigit() and nhs.is_valid(value)


def nhs_number(event: Event, ctx: Context) -> Answer | Retry:
    """Ten digits whose check digit is right; "no" or "I don't know" (outcome 'unknown'); else asked again, saying
    why: too few or too many digits, or a number that is not an NHS number (a slip: its check digit is wrong)."""
    digits = digits_in(event, ctx.hearing)
    if not digits and event.kind == "speech" and yes_no_said(event.text, ctx.hearing) in {"no", "unsure"}:
        return Answer(None, outcome=UNKNOWN)
    if len(digits) != DIGITS:
        return Retry("ten_digits")
    if not is_nhs_number(digits):
        return Retry("check_digit")
    return Answer(digits, spoken=ctx.saying.digits(digits, GROUPS))
