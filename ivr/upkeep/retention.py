"""Retention: delete what the service no longer needs to keep, and audit how much (counts, never who).

Deleted: referrals and enquiries left incomplete (the call dropped, or never finished) for longer
than RETENTION_INCOMPLETE_DAYS, and those closed for longer than RETENTION_CLOSED_DAYS, with the
staff work on them (callback attempts, notes, status changes, a text receipt). Scrubbed: the personal data of
every call older than RETENTION_INCOMPLETE_DAYS that no longer has a referral or enquiry (the
caller's number, their answers in the call state, and the TwiML that read them back), keeping
only the step log, which holds none. Also deleted: replayed spool files of that age, and spooled
webhooks no replay could load (the dead-letter folder) once that old.

Recordings (a referral's recorded name, an enquiry's message), a message's transcript and text receipts are
deleted at Twilio first.
A record whose recording or text Twilio would not delete (a text still being sent, say) is kept, SID and all,
so the next purge tries again: nothing is forgotten while Twilio still holds it. Recordings of callers
forgotten during the call (under 16, out of area) wait in RecordingToDelete and are deleted here the same way.

Safety follow-ups (a caller's disclosure, kept apart from the referral) follow the referral's rule: deleted once
done for longer than RETENTION_CLOSED_DAYS, never while no member of staff has marked them done.

Never deleted here: open referrals and enquiries (staff close them), and urgent referrals and enquiries left
incomplete that no member of staff has worked. Both are counted, and listed by `flask retention report`
(ivr.upkeep.kept). An enquiry's transcript and the words of its flag are in its row, and go with it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, or_, select

from ivr import audit, twilio_api
from ivr.extensions import db
from ivr.models import (
    UNFINISHED,
    Call,
    CallbackAttempt,
    CallNowAttempt,
    Enquiry,
    Note,
    PossibleDuplicate,
    RecordingToDelete,
    Referral,
    SafetyFollowUp,
    Status,
    StatusChange,
    utcnow,
)
from ivr.models.texts import Outbox, TextStatus
from ivr.upkeep import kept, spool

UNSENT = (TextStatus.WAITING, TextStatus.SENDING)


def _closed_at(model):
    """When a record was closed: its last move to closed, else its last change."""
    foreign_key = getattr(StatusChange, f"{model.kind}_id")
    last_closing = (
        select(func.max(StatusChange.at))
        .where(foreign_key == model.id, StatusChange.to_status == Status.CLOSED)
        .scalar_subquery()
    )
    return func.coalesce(last_closing, model.updated_at)


def _expired(model, incomplete_before: datetime, closed_before: datetime) -> dict[str, list[int]]:
    query = select(model.id).where(model.status.in_(UNFINISHED), model.created_at < incomplete_before)
    # An urgent one waits for staff, however old (listed by `flask retention report`).
    query = query.where(~kept.unworked_urgent(model))
    unfinished = db.session.scalars(query).all()
    closed = db.session.scalars(
        select(model.id).where(model.status == Status.CLOSED, _closed_at(model) < closed_before)
    ).all()
    return {"incomplete": list(unfinished), "closed": list(closed)}


def _recording_sids(model, ids: list[int]) -> dict[int, str]:
    """The records among `ids` that have a recording at Twilio: id -> recording SID."""
    column = getattr(model, model.recording_field)
    if not ids:
        return {}
    return dict(db.session.execute(select(model.id, column).where(model.id.in_(ids), column.is_not(None))).all())


def _delete_recordings(expired: dict[str, list[int]], model, dry_run: bool) -> tuple[int, int]:
    """Delete the expired records' recordings at Twilio, dropping from `expired` any whose deletion failed.

    Returns (deleted, not deleted); a dry run deletes nothing and counts what it would delete.
    """
    sids = _recording_sids(model, expired["incomplete"] + expired["closed"])
    if dry_run:
        return len(sids), 0
    kept = {record_id for record_id, sid in sids.items() if not twilio_api.delete(sid)}
    for reason in expired:
        expired[reason] = [record_id for record_id in expired[reason] if record_id not in kept]
    return len(sids) - len(kept), len(kept)


def _delete_texts(expired: dict[str, list[int]], dry_run: bool) -> tuple[int, int]:
    """Delete at Twilio the texts sent for expired referrals, dropping from `expired` any referral whose text
    Twilio would not delete, or that is still being sent: it is kept, with its text's SID, for the next purge.

    Returns (deleted, not deleted); a dry run deletes nothing and counts what it would delete.
    """
    ids = expired["incomplete"] + expired["closed"]
    texts = db.session.execute(select(Outbox.referral_id, Outbox.twilio_sid, Outbox.status)
                               .where(Outbox.referral_id.in_(ids))).all() if ids else []
    if dry_run:
        return sum(sid is not None for _, sid, _ in texts), 0
    kept_ids, deleted = set(), 0
    for referral_id, sid, status in texts:
        if status in UNSENT:  # Twilio may yet take it, and we would not know its SID to delete it
            kept_ids.add(referral_id)
        elif sid is not None:
            if twilio_api.delete_message(sid):
                deleted += 1
            else:
                kept_ids.add(referral_id)
    for reason in expired:
        expired[reason] = [referral_id for referral_id in expired[reason] if referral_id not in kept_ids]
    return deleted, len(kept_ids)


def _delete_transcriptions(expired: dict[str, list[int]], dry_run: bool) -> tuple[int, int]:
    """Delete at Twilio the transcripts of expired enquiries' messages (Twilio keeps them apart from the recording),
    dropping from `expired` any Twilio would not delete: kept, SID and all, for the next purge. (deleted, not)."""
    ids = expired["incomplete"] + expired["closed"]
    sids = dict(db.session.execute(select(Enquiry.id, Enquiry.transcription_sid).where(
        Enquiry.id.in_(ids), Enquiry.transcription_sid.is_not(None))).all()) if ids else {}
    if dry_run:
        return len(sids), 0
    kept_ids = {enquiry_id for enquiry_id, sid in sids.items() if not twilio_api.delete_transcription(sid)}
    for reason in expired:
        expired[reason] = [enquiry_id for enquiry_id in expired[reason] if enquiry_id not in kept_ids]
    return len(sids) - len(kept_ids), len(kept_ids)


def _delete_queued_recordings(dry_run: bool) -> tuple[int, int]:
    """Delete at Twilio the recordings queued when a caller was forgotten mid-call; (deleted, not deleted).

    One Twilio would not delete stays queued for the next purge.
    """
    queued = db.session.scalars(select(RecordingToDelete).order_by(RecordingToDelete.id)).all()
    if dry_run:
        return len(queued), 0
    kept = 0
    for recording in queued:
        if twilio_api.delete(recording.recording_sid):
            db.session.delete(recording)
        else:
            kept += 1
    return len(queued) - kept, kept


def _delete(model, ids: list[int]) -> None:
    """Delete records, the staff work on them and texts (explicitly: SQLite does not cascade by default)."""
    if not ids:
        return
    for work in (CallNowAttempt, CallbackAttempt, Note, StatusChange):  # call-now first: it names a callback
        key = getattr(work, f"{model.kind}_id")
        db.session.execute(delete(work).where(key.in_(ids)))
    if model is Referral:
        db.session.execute(delete(Outbox).where(Outbox.referral_id.in_(ids)))
        db.session.execute(delete(PossibleDuplicate).where(
            or_(PossibleDuplicate.referral_id.in_(ids), PossibleDuplicate.earlier_id.in_(ids))))
    db.session.execute(delete(model).where(model.id.in_(ids)))


def _delete_followups(closed_before: datetime) -> int:
    """Delete safety follow-ups done before `closed_before`, as a closed referral is; an open one is never deleted."""
    done = SafetyFollowUp.done_at.is_not(None) & (SafetyFollowUp.done_at < closed_before)
    ids = db.session.scalars(select(SafetyFollowUp.id).where(done)).all()
    if ids:
        db.session.execute(delete(SafetyFollowUp).where(SafetyFollowUp.id.in_(ids)))
    return len(ids)


def _scrub_calls(before: datetime) -> int:
    """Remove the personal data of old calls whose referral or enquiry is gone (or never was)."""
    has_referral = select(Referral.id).where(Referral.call_id == Call.id).exists()
    has_enquiry = select(Enquiry.id).where(Enquiry.call_id == Call.id).exists()
    calls = db.session.scalars(select(Call).where(
        Call.started_at < before, ~has_referral, ~has_enquiry,
        or_(Call.caller_number.is_not(None), Call.last_response.is_not(None)),
    )).all()
    for call in calls:
        call.caller_number, call.last_response, call.first_response = None, None, None
        call.state = {**(call.state or {}), "values": {}}
    return len(calls)


def _old_spool_files(before: datetime) -> list[Path]:
    """Replayed spool files, and those no replay could load (dead-letter/), last written before `before`."""
    root = Path(current_app.config["SPOOL_DIR"])
    cutoff = before.timestamp()
    files = [*(root / "replayed").glob("*.jsonl"), *(root / spool.DEAD_LETTER).glob("*.jsonl")]
    return [path for path in sorted(files) if path.stat().st_mtime < cutoff]


def purge(dry_run: bool = False, now: datetime | None = None) -> dict[str, int]:
    """Delete and scrub what is past retention; returns the counts (also audited unless a dry run)."""
    now = now or utcnow()
    config = current_app.config
    incomplete_before = now - timedelta(days=config["RETENTION_INCOMPLETE_DAYS"])
    closed_before = now - timedelta(days=config["RETENTION_CLOSED_DAYS"])
    referrals = _expired(Referral, incomplete_before, closed_before)
    enquiries = _expired(Enquiry, incomplete_before, closed_before)
    recordings_gone, recordings_kept = 0, 0
    texts_gone, texts_kept = _delete_texts(referrals, dry_run)  # before the referrals: one kept keeps its text
    transcripts_gone, transcripts_kept = _delete_transcriptions(enquiries, dry_run)  # likewise
    for model, expired in ((Referral, referrals), (Enquiry, enquiries)):
        gone, not_gone = _delete_recordings(expired, model, dry_run)  # first: a record kept keeps its SID
        recordings_gone, recordings_kept = recordings_gone + gone, recordings_kept + not_gone
        _delete(model, expired["incomplete"] + expired["closed"])
    gone, not_gone = _delete_queued_recordings(dry_run)
    recordings_gone, recordings_kept = recordings_gone + gone, recordings_kept + not_gone
    db.session.flush()
    spool_files = _old_spool_files(incomplete_before)
    counts = {
        "referrals_incomplete": len(referrals["incomplete"]),
        "referrals_closed": len(referrals["closed"]),
        "enquiries_incomplete": len(enquiries["incomplete"]),
        "enquiries_closed": len(enquiries["closed"]),
        "safety_followups_done": _delete_followups(closed_before),
        "calls_scrubbed": _scrub_calls(incomplete_before),
        "spool_files": len(spool_files),
        "recordings_deleted": recordings_gone,
        "recordings_not_deleted": recordings_kept,
        "texts_deleted": texts_gone,
        "texts_not_deleted": texts_kept,
        "transcriptions_deleted": transcripts_gone,
        "transcriptions_not_deleted": transcripts_kept,
        **kept.counts(kept.kept(now)),  # never deleted here, and never kept silently
    }
    if dry_run:
        db.session.rollback()
        return counts
    audit.record("retention.purge", detail={
        **counts,
        "incomplete_days": config["RETENTION_INCOMPLETE_DAYS"],
        "closed_days": config["RETENTION_CLOSED_DAYS"],
    })
    db.session.commit()
    for path in spool_files:  # after the commit: a failed purge leaves the files for the next run
        path.unlink()
    return counts


def report(now: datetime | None = None) -> list[kept.KeptRecord]:
    """What the purge keeps past its periods (ivr.upkeep.kept), audited with its counts and ids."""
    records = kept.kept(now)
    config = current_app.config
    audit.record("retention.report", detail={
        **kept.counts(records),
        "referral_ids": [record.id for record in records if record.kind == "referral"],
        "enquiry_ids": [record.id for record in records if record.kind == "enquiry"],
        "incomplete_days": config["RETENTION_INCOMPLETE_DAYS"],
        "closed_days": config["RETENTION_CLOSED_DAYS"],
    })
    db.session.commit()
    return records
