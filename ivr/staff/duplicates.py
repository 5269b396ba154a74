"""Possible duplicates on the dashboard: the mark on the queue and on both referrals' pages, and staff's two answers
to it: Merge (close this referral as a duplicate of the other, which keeps the work) or Dismiss (not the same
person). Both are posts with the page's token, and audited. The line finds them: ivr/voice/duplicates.py."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased
from werkzeug.wrappers import Response

from ivr import audit
from ivr.extensions import db
from ivr.models import Note, PossibleDuplicate, Referral, StaffUser, Status, StatusChange, utcnow
from ivr.staff import bp
from ivr.staff.forms import PlainForm, WorkForm
from ivr.staff.work import Conflict, claim, saving

OPEN_MARK = PossibleDuplicate.resolution.is_(None)


def open_marks(referral: Referral) -> list[PossibleDuplicate]:
    """The marks on this referral no one has merged or dismissed, either side of the pair, oldest first."""
    return list(db.session.scalars(select(PossibleDuplicate).where(
        OPEN_MARK, or_(PossibleDuplicate.referral_id == referral.id, PossibleDuplicate.earlier_id == referral.id))
        .order_by(PossibleDuplicate.id)))


def marked_on_page(referrals: list) -> dict[int, list[str]]:
    """For a page of the queue (or an export): each referral's open marks, as the other referrals' references, in
    one query."""
    ids = {referral.id for referral in referrals}
    if not ids:
        return {}
    newer, earlier = aliased(Referral), aliased(Referral)
    pairs = db.session.execute(
        select(newer.id, newer.reference, earlier.id, earlier.reference).select_from(PossibleDuplicate)
        .join(newer, newer.id == PossibleDuplicate.referral_id)
        .join(earlier, earlier.id == PossibleDuplicate.earlier_id)
        .where(OPEN_MARK, or_(newer.id.in_(ids), earlier.id.in_(ids))).order_by(PossibleDuplicate.id)).all()
    shown: dict[int, list[str]] = {}
    for newer_id, newer_reference, earlier_id, earlier_reference in pairs:
        for mine, other in ((newer_id, earlier_reference), (earlier_id, newer_reference)):
            if mine in ids:
                shown.setdefault(mine, []).append(other)
    return shown


def merge(mark: PossibleDuplicate, referral: Referral, seen_version: int, staff: StaffUser) -> Referral:
    """Close `referral` as a duplicate of the other of the pair, noting it on both; the other is returned.

    The closed referral keeps its answers and its history (retention deletes it when its time comes); the note on
    the other names it, so whoever works that one can read what this call said too."""
    other = mark.other(referral)
    with saving():
        claim(referral, seen_version)
        db.session.add(StatusChange(referral=referral, staff=staff, from_status=referral.status,
                                    to_status=Status.CLOSED, closing_reason="duplicate"))
        referral.status = Status.CLOSED
        db.session.add(Note(referral=referral, staff=staff, text=f"Closed as a duplicate of {other.reference}."))
        db.session.add(Note(referral=other, staff=staff, text=(
            f"{referral.reference} was closed as a duplicate of this referral: its answers are kept on it.")))
        _resolve(mark, "merged", staff, closed=referral)
        audit.record("referral.duplicate_merged", "referral", referral.id,
                     {"mark_id": mark.id, "into": other.id}, staff=staff)
    return other


def dismiss(mark: PossibleDuplicate, referral: Referral, staff: StaffUser) -> None:
    """Not the same person: the mark goes from both referrals."""
    _resolve(mark, "dismissed", staff)
    audit.record("referral.duplicate_dismissed", "referral", referral.id,
                 {"mark_id": mark.id, "other": mark.other(referral).id}, staff=staff)
    db.session.commit()


def _resolve(mark: PossibleDuplicate, resolution: str, staff: StaffUser, closed: Referral | None = None) -> None:
    mark.resolution, mark.resolved_at, mark.resolved_by_id = resolution, utcnow(), staff.id
    mark.closed_id = closed.id if closed is not None else None


@bp.post("/referrals/<int:record_id>/duplicates/<int:mark_id>/<any(merge,dismiss):action>")
def duplicate(record_id: int, mark_id: int, action: str) -> Response:
    """Merge this referral into the other of a possible duplicate, or dismiss the mark."""
    referral = db.session.get(Referral, record_id) or abort(404)
    mark = db.session.get(PossibleDuplicate, mark_id)
    if mark is None or record_id not in (mark.referral_id, mark.earlier_id):
        abort(404)
    form = WorkForm() if action == "merge" else PlainForm()
    if not form.validate_on_submit():
        abort(400)
    here = url_for("staff.referral", record_id=referral.id)
    if mark.resolution is not None:  # someone else answered it first: say so, change nothing
        flash("Someone has already merged or dismissed this possible duplicate.", "error")
        return redirect(here + "#duplicates")
    if action == "dismiss":
        dismiss(mark, referral, current_user)
        flash(f"Possible duplicate of {mark.other(referral).reference} dismissed.", "success")
        return redirect(here + "#duplicates")
    if referral.status in (Status.IN_PROGRESS, Status.CLOSED):
        flash("Only an open referral can be closed as a duplicate.", "error")
        return redirect(here + "#duplicates")
    try:
        other = merge(mark, referral, form.version.data, current_user)
    except Conflict:
        db.session.rollback()
        flash("Someone else changed this referral while you had it open: check it, then merge again.", "error")
        return redirect(here + "#duplicates")
    flash(f"{referral.reference} closed as a duplicate of {other.reference}.", "success")
    return redirect(url_for("staff.referral", record_id=other.id) + "#work")
