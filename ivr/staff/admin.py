"""Admin-only pages: the audit log and the staff accounts."""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import false, func, select
from werkzeug.wrappers import Response

from ivr import audit
from ivr.extensions import ROW_ID_MAX, db
from ivr.models import AuditEvent, StaffUser
from ivr.staff import bp
from ivr.staff.accounts import end_sessions, unlock
from ivr.staff.forms import PlainForm
from ivr.staff.records import page_of


def admin_only(view):
    """Staff who are not admins get 403."""

    @wraps(view)
    def checked(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return checked


@bp.get("/audit")
@admin_only
def audit_log() -> str:
    """Who saw or changed what, from where, newest first, with simple filters; each view is audited."""
    query = select(AuditEvent)
    wanted = {key: request.args.get(key, "").strip() for key in ("actor", "action", "subject_type", "subject_id")}
    if wanted["actor"]:
        query = query.where(func.lower(AuditEvent.actor).contains(wanted["actor"].lower(), autoescape=True))
    if wanted["action"]:
        query = query.where(AuditEvent.action.startswith(wanted["action"], autoescape=True))
    if wanted["subject_type"]:
        query = query.where(AuditEvent.subject_type == wanted["subject_type"])
    if wanted["subject_id"].isascii() and wanted["subject_id"].isdigit():  # not '²', which isdigit() takes
        subject_id = int(wanted["subject_id"])
        # An id past any row's matches none, rather than overflowing the database's integer.
        query = query.where(AuditEvent.subject_id == subject_id if subject_id <= ROW_ID_MAX else false())
    page = page_of(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()),
                   request.args.get("page", 1, type=int), current_app.config["STAFF_PAGE_SIZE"] * 2)
    # Reading who did what is itself recorded; only which filters were used, as a search may name anyone.
    audit.record("audit.viewed", detail={"page": page.number, "shown": len(page.items),
                                         "filters": sorted(key for key, value in wanted.items() if value)})
    db.session.commit()
    return render_template("staff/audit.html", page=page, wanted=wanted)


@bp.get("/accounts")
@admin_only
def accounts() -> str:
    """Every staff account; admins can disable, enable and unlock them here, and create them with the CLI."""
    staff = db.session.scalars(select(StaffUser).order_by(StaffUser.email)).all()
    return render_template("staff/accounts.html", accounts=staff, form=PlainForm())


@bp.post("/accounts/<int:staff_id>/<any(disable,enable,unlock):change>")
@admin_only
def change_account(staff_id: int, change: str) -> Response:
    """Disable, enable or unlock an account."""
    staff = db.session.get(StaffUser, staff_id) or abort(404)
    if staff.id == current_user.id and change == "disable":
        flash("You cannot disable your own account.", "error")
        return redirect(url_for("staff.accounts"))
    if change == "unlock":
        unlock(staff)
    else:
        staff.active = change == "enable"
        if not staff.active:
            end_sessions(staff)
    audit.record(f"staff.account_{change}d" if change != "unlock" else "staff.account_unlocked",
                 "staff_user", staff.id)
    db.session.commit()
    flash(f"{staff.email}: {change}d." if change != "unlock" else f"{staff.email}: unlocked.", "success")
    return redirect(url_for("staff.accounts"))
