"""Possible duplicates, found as a referral is sent: an earlier referral, from the last DUPLICATE_WINDOW_DAYS, with
the same NHS number (once the line keeps one), the same date of birth and a similar name, or the same callback
number. Each is marked (ivr.models.PossibleDuplicate) for staff to merge or dismiss on either referral's page.

It runs in the sending turn's transaction, so a sent referral is never left unchecked: one SELECT, by the indexed
date of birth and callback number, of at most a few rows, and an INSERT only when something is found. It never
writes the other referral's row, which staff may be editing. A call that drops before sending is checked at the
status callback (not a turn the caller waits for) if it has a date of birth: the same person often rings again,
and staff should ring back once, not twice. Checked on that path too, the turn's own hang-up included; not on the
spool's replay of a call cut short by a fault, which stays incomplete unchecked (rare, and staff see it).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import timedelta
from typing import Any

from flask import current_app
from rapidfuzz import fuzz
from sqlalchemy import bindparam, exists, insert, or_, select
from sqlalchemy.exc import SQLAlchemyError

from ivr.models import PossibleDuplicate, Status, utcnow
from ivr.voice import store
from ivr.voice.statements import RECORDS

log = logging.getLogger(__name__)

REFERRALS, MARKS = RECORDS["referral"], PossibleDuplicate.__table__
# Names compared as rapidfuzz's token_sort_ratio (0-100) of the names lower-cased, accents and punctuation gone:
# word order does not matter ("Smith Jane"), and one or two letters misheard or misspelt still match ("Jayne Smith"
# 95, "Jane Smyth" 90), while a different first name of the same length does not ("John Smith" 80). Only ever
# with the same date of birth, so a false mark costs staff a look and a Dismiss; a missed one, a second callback.
SIMILAR_NAME = 85
# The columns an earlier referral may share; the NHS number's as soon as the referral has one (issue 25, item 3).
SHARED = tuple(name for name in ("nhs_number", "date_of_birth", "callback_number") if name in REFERRALS.c)
# Enough for any real person's referrals in six months; a number called by many (a care home, a ward) stops here.
LOOKED_AT = 20
CANDIDATES = (
    select(REFERRALS.c.id, REFERRALS.c.name, *(REFERRALS.c[name] for name in SHARED))
    .where(REFERRALS.c.id != bindparam("row"),
           REFERRALS.c.created_at >= bindparam("since"),
           REFERRALS.c.status != Status.IN_PROGRESS,  # a call still going is checked when it is sent
           or_(*(REFERRALS.c[name] == bindparam(name, type_=REFERRALS.c[name].type) for name in SHARED)),
           ~exists().where(MARKS.c.closed_id == REFERRALS.c.id),  # merged into another: that one stands for it
           ~exists().where(MARKS.c.referral_id == bindparam("row"), MARKS.c.earlier_id == REFERRALS.c.id))
    .order_by(REFERRALS.c.created_at.desc())
    .limit(LOOKED_AT)
)


def normalised(name: str | None) -> str:
    """A name as compared: lower case, accents gone, only letters, one space between words."""
    plain = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z]+", " ", plain).split())


def similar_names(one: str | None, other: str | None) -> bool:
    """Whether two names said on the phone may be the same person's (both given)."""
    one, other = normalised(one), normalised(other)
    return bool(one and other) and fuzz.token_sort_ratio(one, other) >= SIMILAR_NAME


def reasons(referral: dict[str, Any], earlier: dict[str, Any]) -> list[str]:
    """Why two referrals may be one person (ivr.models.DUPLICATE_REASONS' codes); none: not alike."""
    found = []
    if referral.get("nhs_number") and referral.get("nhs_number") == earlier.get("nhs_number"):
        found.append("nhs_number")
    if (referral["date_of_birth"] and referral["date_of_birth"] == earlier["date_of_birth"]
            and similar_names(referral["name"], earlier["name"])):
        found.append("name_and_date_of_birth")
    if referral["callback_number"] and referral["callback_number"] == earlier["callback_number"]:
        found.append("callback_number")
    return found


def mark(referral: store.RecordRow) -> int:
    """Mark the referral being sent (or dropped) as a possible duplicate of each earlier one like it; how many.

    A problem here is logged and costs the caller nothing: the referral is sent all the same, unmarked."""
    mine = {name: getattr(referral, name) for name in (*SHARED, "name")}
    if not any(mine[name] for name in SHARED):
        return 0
    since = utcnow() - timedelta(days=current_app.config["DUPLICATE_WINDOW_DAYS"])
    connection = store.turn_connection()
    try:
        with connection.begin_nested():
            earlier = connection.execute(CANDIDATES, {"row": referral.id, "since": since,
                                                      **{name: mine[name] for name in SHARED}}).mappings().all()
            found = [{"referral_id": referral.id, "earlier_id": row["id"], "reasons": " ".join(why),
                      "found_at": utcnow()} for row in earlier if (why := reasons(mine, row))]
            if found:
                connection.execute(insert(MARKS), found)
            return len(found)
    except SQLAlchemyError:
        log.exception("could not look for duplicates of referral %s: it is sent unmarked", referral.id)
        return 0
