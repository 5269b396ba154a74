"""Who a text receipt may go to: the caller's own UK mobile, once a day at most.

Their own is the number they are calling from, or a number they keyed and said at the read-back is their own
mobile: a text never goes to a number someone else keyed in for them. However many calls give a number, it
gets at most one receipt in TEXT_RECEIPT_GAP_HOURS, so the line cannot be used to pester a phone.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app
from sqlalchemy import Connection, func, select, text

from ivr.callflow.answers import is_uk_mobile
from ivr.models import Outbox, utcnow

NOT_A_UK_MOBILE = "not a UK mobile"
NOT_THEIR_OWN = "neither the caller's number nor one they said is their own mobile"
TEXTED_LATELY = "this number had a text receipt within the last {hours} hours"


def refusal(connection: Connection, callback_number: str | None, caller_number: str | None,
            own_mobile_confirmed: bool | None) -> str | None:
    """Why no text receipt may go to `callback_number` (words without the number, for the log); None if one may.

    Call it in the transaction that writes the text: on PostgreSQL it holds a lock on the number until that
    commits, so two calls ending at once cannot both text it.
    """
    if not is_uk_mobile(callback_number):
        return NOT_A_UK_MOBILE
    if callback_number != caller_number and own_mobile_confirmed is not True:
        return NOT_THEIR_OWN
    hours = current_app.config["TEXT_RECEIPT_GAP_HOURS"]
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(callback_number)})
    since = utcnow() - timedelta(hours=hours)
    lately = connection.scalar(select(func.count()).select_from(Outbox)
                               .where(Outbox.to_number == callback_number, Outbox.created_at >= since))
    return TEXTED_LATELY.format(hours=hours) if lately else None


def _lock_key(number: str) -> int:
    """A number as a PostgreSQL advisory lock's 64-bit key (a hash: the number itself is never in the lock table)."""
    return int.from_bytes(hashlib.blake2b(number.encode(), digest_size=8, person=b"text-receipt").digest(),
                          "big", signed=True)
