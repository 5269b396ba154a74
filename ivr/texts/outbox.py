"""The outbox: a text receipt is written in the transaction that sends its referral, and moved on by Twilio's
signed status callbacks, never backwards. Sending it is ivr.texts.sender's job."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, g, has_request_context
from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from ivr.extensions import db
from ivr.models import Outbox, Referral, Status, TextStatus, utcnow
from ivr.models.texts import NOT_ARRIVING
from ivr.texts import recipient

log = logging.getLogger(__name__)

TEMPLATE = "ivr_text_template"  # app.extensions key: the loaded prompts/texts.yaml, or None
TEMPLATES = "ivr_text_templates"  # app.extensions key: each language's own (texts.pl-PL.yaml), by its code
QUEUED_NOW = "texts_queued"  # flask.g key: texts this request wrote, to send once it has been answered
STATUS_PATH = "/voice/text-status"  # Twilio's status callback for a text (ivr.voice.views)
WAITED_TOO_LONG = timedelta(minutes=10)
MESSAGE_SID = re.compile(r"^(SM|MM)[0-9a-fA-F]{32}$")
# Twilio's message statuses as ours; those it reports before a text leaves count as queued. See
# https://www.twilio.com/docs/messaging/api/message-resource#message-status-values
FROM_TWILIO = {
    "accepted": TextStatus.QUEUED, "scheduled": TextStatus.QUEUED, "queued": TextStatus.QUEUED,
    "sending": TextStatus.QUEUED, "sent": TextStatus.SENT, "delivered": TextStatus.DELIVERED,
    "read": TextStatus.DELIVERED, "undelivered": TextStatus.UNDELIVERED, "failed": TextStatus.FAILED,
    "canceled": TextStatus.FAILED,
}
# How far on each status is: a report never moves a text back (Twilio's callbacks may arrive out of order).
PROGRESS = {
    TextStatus.WAITING: 0, TextStatus.SENDING: 1, TextStatus.QUEUED: 2, TextStatus.SENT: 3,
    TextStatus.DELIVERED: 4, TextStatus.UNDELIVERED: 4, TextStatus.FAILED: 4,
}


def possible() -> bool:
    """Whether this line can send text receipts: Twilio's account details, the line's number, the wording, and
    the public address Twilio reports on each text at. Without them no caller is offered a text."""
    config = current_app.config
    return bool(config.get("TWILIO_ACCOUNT_SID") and config.get("TWILIO_AUTH_TOKEN")
                and config.get("TWILIO_PHONE_NUMBER") and config.get("PUBLIC_BASE_URL")
                and current_app.extensions.get(TEMPLATE) is not None)


def queue_receipt(connection: Connection, referral: Any, caller_number: str | None) -> None:
    """Write a sent referral's text receipt, if the caller asked for one, on `connection` in the referral's own
    transaction, once: only to the caller's own UK mobile, at most one a number a day (ivr.texts.recipient).

    A text refused, or a problem here, is logged (never the number) and costs the caller nothing: the referral
    is sent all the same.
    """
    if not (referral.text_ok and possible()):
        return
    try:
        with connection.begin_nested():
            if connection.scalar(select(Outbox.id).where(Outbox.referral_id == referral.id)) is not None:
                return  # the same referral sent again: one text only
            refused = recipient.refusal(connection, referral.callback_number, caller_number,
                                        referral.own_mobile_confirmed)
            if refused:
                log.warning("no text receipt for referral %s: %s", referral.id, refused)
                return
            text_id = connection.scalar(insert(Outbox).values(
                referral_id=referral.id, to_number=referral.callback_number,
                body=_body(referral.reference, referral.voicemail_ok, referral.language),
                status=TextStatus.WAITING, next_attempt_at=utcnow(),
            ).returning(Outbox.id))
            connection.execute(update(Outbox).where(Outbox.id == text_id)
                               .values(status_callback=status_callback(text_id) or ""))
    except (SQLAlchemyError, KeyError, ValueError):
        log.exception("could not write the text receipt for referral %s: the referral is sent without it",
                      referral.id)
        return
    if has_request_context():
        g.setdefault(QUEUED_NOW, []).append(text_id)


def _body(reference: str, voicemail_ok: bool | None, language: str | None = None) -> str:
    # In the caller's language where it has its own wording. The service is named only to a caller who agreed to a
    # voicemail naming it: a phone may be shared.
    template = current_app.extensions.get(TEMPLATES, {}).get(language) or current_app.extensions[TEMPLATE]
    return template.fill(reference, template.call_from, name_the_service=voicemail_ok is True)


def status_callback(text_id: int) -> str | None:
    """Our webhook for Twilio's reports on this text, under PUBLIC_BASE_URL (never a request's Host, which its
    sender chooses); None without one."""
    base = current_app.config.get("PUBLIC_BASE_URL", "")
    return f"{base}{STATUS_PATH}?outbox={text_id}" if base else None


def moved_on(text: Outbox, status: TextStatus, message_sid: str) -> bool:
    """Take Twilio's word for where the text is, unless we already know it got further."""
    if text.twilio_sid is not None and PROGRESS[status] <= PROGRESS[TextStatus(text.status)]:
        return False
    text.twilio_sid, text.status, text.claimed_until = message_sid, status, None
    return True


def _error_code(form: Mapping[str, str]) -> str | None:
    return re.sub(r"\D", "", form.get("ErrorCode", ""))[:16] or None


def delivery_reported(form: Mapping[str, str], text_id: int | None) -> None:
    """Twilio's status callback for a text: move it on, never back; a repeat or a late report changes nothing."""
    sid, reported = form.get("MessageSid", ""), form.get("MessageStatus", "").strip().lower()
    status = FROM_TWILIO.get(reported)
    if not MESSAGE_SID.match(sid) or status is None:
        log.warning("text status callback without a message SID or a known status (%r)", reported[:20])
        return
    query = select(Outbox).with_for_update().execution_options(populate_existing=True)
    text = db.session.scalars(query.where(Outbox.id == text_id if text_id else Outbox.twilio_sid == sid)).first()
    if text is None or text.twilio_sid not in (None, sid):
        log.warning("text status callback for message %s matches no text in the outbox", sid)
        db.session.rollback()
        return
    if moved_on(text, status, sid):
        text.error_code = _error_code(form) if status in NOT_ARRIVING else None
    db.session.commit()


@dataclass(frozen=True)
class Overdue:
    """Texts that need someone to look: waiting too long to go, or not arriving for a referral not yet worked."""

    waiting: int
    waiting_since: datetime | None
    not_arriving: int


def overdue(now: datetime | None = None) -> Overdue:
    """What `flask outbox status` reports (counts only: nothing personal)."""
    before = (now or utcnow()) - WAITED_TOO_LONG
    unsent = (Outbox.status.in_((TextStatus.WAITING, TextStatus.SENDING)), Outbox.created_at < before)
    waiting, since = db.session.execute(select(func.count(), func.min(Outbox.created_at)).where(*unsent)).one()
    not_arriving = db.session.scalar(
        select(func.count()).select_from(Outbox).join(Outbox.referral)
        .where(Outbox.status.in_(NOT_ARRIVING), Referral.status == Status.NEW))
    return Overdue(waiting, since, not_arriving)
