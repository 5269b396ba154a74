"""Sending text receipts: claim one due text for this server alone, ask Twilio to send it, keep the outcome.

A text is claimed before it is sent (on PostgreSQL with FOR UPDATE SKIP LOCKED, so another server skips
it rather than waits; everywhere by an update that only succeeds while the text is still due), so
however many servers, threads or cron runs try at once, one sends it. A failed attempt is tried again
with backoff (1, 2, 4 ... minutes, then hourly); Twilio refusing the text itself (HTTP 400, e.g. a number
that cannot take texts) or 24 hours of trying fail it for good, which staff see. Each text carries our
status callback URL, so if a server stops between Twilio accepting a text and our noting it, Twilio's
report settles the text before its claim runs out and it is tried again.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from ivr import twilio_api
from ivr.clock import as_utc
from ivr.extensions import db
from ivr.models import Outbox, TextStatus, utcnow
from ivr.texts.outbox import FROM_TWILIO, TEMPLATE, moved_on, status_callback

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)  # a claim older than this belongs to a server that stopped while sending
LONGEST_BACKOFF_MINUTES = 60
GIVE_UP_AFTER = timedelta(hours=24)  # a receipt this late has lost its point
CLAIM_TRIES = 5  # another server may take a text between our reading it and claiming it: read again


@dataclass(frozen=True)
class Attempt:
    """What Twilio said to one request to send a text."""

    message_sid: str | None = None
    status: TextStatus | None = None
    error_code: str | None = None
    permanent: bool = False  # Twilio refused the text itself: trying again will not help


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next try, after this many: 1, 2, 4 ... minutes, then hourly."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), LONGEST_BACKOFF_MINUTES))


def _due(now: datetime):
    return or_(
        and_(Outbox.status == TextStatus.WAITING, Outbox.next_attempt_at <= now),
        and_(Outbox.status == TextStatus.SENDING, Outbox.claimed_until < now),
    )


def claim(now: datetime, only: list[int] | None = None) -> int | None:
    """Claim the next due text (of `only`, if given) for this server; its id, or None when none is due."""
    for _ in range(CLAIM_TRIES):
        query = select(Outbox.id).where(_due(now)).order_by(Outbox.next_attempt_at, Outbox.id).limit(1)
        if only is not None:
            query = query.where(Outbox.id.in_(only))
        text_id = db.session.scalar(query.with_for_update(skip_locked=True))
        if text_id is None:
            db.session.rollback()
            return None
        claimed = db.session.execute(
            update(Outbox).where(Outbox.id == text_id, _due(now))
            .values(status=TextStatus.SENDING, claimed_until=now + LEASE, attempts=Outbox.attempts + 1,
                    updated_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
        if claimed:
            return text_id
    return None


def _ask_twilio(to: str, body: str, reports_to: str) -> Attempt:
    """One request to Twilio's Messages API, through twilio's own client."""
    # Imported here, as twilio_api does: a voice worker that never sends a text never loads requests.
    from requests.exceptions import RequestException
    from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException

    config = current_app.config
    # From the number we call callers from, as the text itself says; Twilio sends only from an SMS-capable number on
    # the account, so where that number cannot text, a Messaging Service sends it
    # (https://www.twilio.com/docs/messaging/api/message-resource, https://www.twilio.com/docs/api/errors/21606).
    sender = ({"messaging_service_sid": config["TWILIO_MESSAGING_SERVICE_SID"]}
              if config["TWILIO_MESSAGING_SERVICE_SID"] else {"from_": current_app.extensions[TEMPLATE].call_from})
    sender["status_callback"] = reports_to
    try:
        message = twilio_api.client().messages.create(to=to, body=body, **sender)
    except (TwilioRestException, TwilioServiceException) as error:  # Twilio answered, with an error
        log.warning("Twilio did not take a text: HTTP %s, error %s", error.status, error.code)
        return Attempt(error_code=str(error.code or f"HTTP {error.status}")[:16], permanent=error.status == 400)
    except twilio_api.TwilioNotConfigured:
        log.warning("a text is waiting: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to send it")
        return Attempt(error_code="not configured")
    except (TwilioException, RequestException, OSError) as error:
        log.warning("Twilio could not be reached to send a text (%s)", error.__class__.__name__)
        return Attempt(error_code="unreachable")
    return Attempt(message_sid=message.sid, status=FROM_TWILIO.get(message.status or "", TextStatus.QUEUED))


def _keep(text_id: int, attempt: Attempt) -> TextStatus | None:
    """Note what Twilio said; a status callback may have come in meanwhile, and it is never undone."""
    text = db.session.scalars(select(Outbox).where(Outbox.id == text_id).with_for_update()
                              .execution_options(populate_existing=True)).first()
    if text is None:  # purged with its referral meanwhile
        db.session.rollback()
        return None
    now = utcnow()
    if attempt.message_sid:
        moved_on(text, attempt.status, attempt.message_sid)
        text.error_code = None
    elif text.status == TextStatus.SENDING:  # still ours: no report from Twilio says it went after all
        text.error_code, text.claimed_until = attempt.error_code, None
        if attempt.permanent or now - as_utc(text.created_at) >= GIVE_UP_AFTER:
            text.status = TextStatus.FAILED
            log.warning("text %s failed for good (%s): staff will see it", text.id, attempt.error_code)
        else:
            text.status, text.next_attempt_at = TextStatus.WAITING, now + backoff(text.attempts)
    status = TextStatus(text.status)
    db.session.commit()
    return status


def send(text_id: int) -> TextStatus | None:
    """Send one claimed text; its status afterwards."""
    text = db.session.get(Outbox, text_id)
    if text is None:  # purged with its referral since it was claimed
        db.session.rollback()
        return None
    to, body = text.to_number, text.body
    db.session.commit()  # no transaction stays open while Twilio answers
    # Made now from PUBLIC_BASE_URL, not read from the row: a text written before it was set waits for it.
    reports_to = status_callback(text_id)
    if reports_to is None:
        log.warning("text %s is waiting: set PUBLIC_BASE_URL (the address Twilio reports on texts at) to send it",
                    text_id)
        return _keep(text_id, Attempt(error_code="no public url"))
    return _keep(text_id, _ask_twilio(to, body, reports_to))


def send_due(only: list[int] | None = None, limit: int = 500) -> Counter:
    """Send every text that is due (or just those in `only`); counts of how each ended up."""
    outcomes: Counter = Counter()
    for _ in range(limit):
        text_id = claim(utcnow(), only)
        if text_id is None:
            break
        outcomes[send(text_id)] += 1
    return outcomes
