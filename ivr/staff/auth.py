"""Logging in and out, with slowing and lockout after repeated wrong passwords."""

from __future__ import annotations

import time

from flask import Response, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ivr import audit
from ivr.extensions import db, login_manager
from ivr.models import StaffUser
from ivr.staff import bp
from ivr.staff.accounts import find, login_refusal, note_failure, note_success, password_matches
from ivr.staff.forms import LoginForm, PlainForm

WRONG = "The email address or password is not right."


@login_manager.user_loader
def load_staff(staff_id: str) -> StaffUser | None:
    """The logged-in account; a disabled one is logged out at its next request."""
    try:
        staff = db.session.get(StaffUser, int(staff_id))
    except ValueError:
        return None
    return staff if staff is not None and staff.is_active else None


def _safe_next(target: str | None) -> str:
    # Only back to a page of ours, never to another site; no control characters (CR/LF would split headers).
    if target and target.startswith("/staff/") and not target.startswith("//") and target.isprintable():
        return target
    return url_for("staff.referrals")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    """The login page and form."""
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated:
        return redirect(_safe_next(form.next.data))
    if not form.validate_on_submit():
        return render_template("staff/login.html", form=form), 400 if request.method == "POST" else 200
    staff = find(form.email.data)
    refusal = login_refusal(staff) if staff is not None else None
    if refusal:
        form.form_errors.append(refusal)
        return render_template("staff/login.html", form=form), 429
    if not password_matches(staff, form.password.data):
        if staff is not None:
            note_failure(staff)
            audit.record("staff.login_failed", "staff_user", staff.id, staff=staff)
            db.session.commit()
        form.form_errors.append(WRONG)
        return render_template("staff/login.html", form=form), 401
    if not staff.is_active:
        form.form_errors.append("This account has been disabled. Ask an admin if you need it again.")
        return render_template("staff/login.html", form=form), 403
    note_success(staff)
    session.clear()  # nothing from before the login carries over
    login_user(staff)
    session["seen"], session.permanent = int(time.time()), True
    audit.record("staff.login", "staff_user", staff.id, staff=staff)
    db.session.commit()
    return redirect(_safe_next(form.next.data))


@bp.post("/logout")
def logout() -> Response:
    """Log out (a form post, so another site cannot log anyone out)."""
    if PlainForm().validate_on_submit():
        audit.record("staff.logout", "staff_user", current_user.id)
        db.session.commit()
    logout_user()
    session.clear()
    flash("You have logged out.", "info")
    return redirect(url_for("staff.login"))
