"""A safety follow-up written in the turn a caller disclosed risk (or asked for help now), for staff to ring back.

One row a call: the first disclosure sets the category and question; a later one in the same call adds its words.
Written on the turn's own connection, in its transaction, so it is kept exactly when the reply the caller hears is.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update

from ivr.callflow.urgency import added
from ivr.models import SafetyFollowUp, utcnow
from ivr.voice import store

TABLE = SafetyFollowUp.__table__


def keep(call_id: int, disclosure: dict) -> None:
    """Keep a disclosure ({category, step, words, number}) as the call's safety follow-up; none without a number."""
    number, words = disclosure.get("number"), disclosure.get("words") or None
    if not number:
        return  # withheld: nobody to ring back (the referral or enquiry, if any, is still flagged)
    connection = store.turn_connection()
    found = connection.execute(select(TABLE.c.id, TABLE.c.words).where(TABLE.c.call_id == call_id)).first()
    if found is None:
        connection.execute(insert(TABLE).values(
            call_id=call_id, caller_number=number, at=utcnow(), category=disclosure["category"][:40],
            step=disclosure["step"][:80], words=words))
    elif words:
        connection.execute(update(TABLE).where(TABLE.c.id == found.id).values(words=added(found.words, words),
                                                                              done_at=None))
