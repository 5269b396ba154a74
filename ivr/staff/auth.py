"""Logging in and out: slowing and lockout after wrong passwords, a limit per address, sessions that end."""

from __future__ import annotations

import time

from flask import Response, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ivr import audit
from ivr.extensions import db
from ivr.models import StaffUser
from ivr.staff import bp, throttle, two_factor
from ivr.staff.accounts import end_sessions, find, note_failure, note_success, password_matches, take_a_try
from ivr.staff.extensions import login_manager
from ivr.staff.forms import LoginForm, PlainForm

# One answer for every refused login, whether or not the account exists or may try just now.
WRONG = ("The email address or password is not right. After several wrong passwords an account must wait "
         "before trying again: wait a few minutes, or ask an admin to unlock it.")


@login_manager.user_loader
def load_staff(staff_id: str) -> StaffUser | None:
    """The logged-in account; a disabled one, or a session it has since ended (logout, new password), is not."""
    try:
        staff = db.session.get(StaffUser, int(staff_id))
    except ValueError:
        return None
    if staff is None or not staff.is_active or session.get("session_version") != staff.session_version:
        return None
    return staff


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
    network = throttle.take_a_failure()  # None: its network is at its limit, which only an account that may try passes
    tries = take_a_try(staff) if staff is not None else None
    # An unknown account, or one that must wait, checks a dummy hash: the same answer in the same time.
    if not password_matches(staff if tries is not None else None, form.password.data):
        if tries is not None:
            note_failure(staff, tries)
        elif staff is not None:
            audit.record("staff.login_refused", "staff_user", staff.id, staff=staff)
        else:
            audit.record("staff.login_failed" if network is not None else "staff.login_throttled",
                         detail={"account": "unknown"})
        db.session.commit()
        form.form_errors.append(WRONG)
        return render_template("staff/login.html", form=form), 401
    throttle.forgive(network)  # the right password: no failure of its network's (committed with what follows)
    if not staff.is_active:
        db.session.commit()
        form.form_errors.append("This account has been disabled. Ask an admin if you need it again.")
        return render_template("staff/login.html", form=form), 403
    if two_factor.needed(staff):  # the password was one step: the code comes before any page
        return two_factor.ask(staff, _safe_next(form.next.data))
    begin_session(staff)
    return redirect(_safe_next(form.next.data))


def begin_session(staff: StaffUser) -> None:
    """Log the account in: the failure count cleared, a fresh session, audited. Commits."""
    note_success(staff)
    session.clear()  # nothing from before the login carries over
    login_user(staff)
    now = int(time.time())
    session["seen"] = session["since"] = now
    session["session_version"], session.permanent = staff.session_version, True
    audit.record("staff.login", "staff_user", staff.id, staff=staff)
    db.session.commit()


@bp.post("/logout")
def logout() -> Response:
    """Log out (a form post, so another site cannot log anyone out); a copy of the cookie dies with it."""
    if PlainForm().validate_on_submit():
        end_sessions(current_user)
        audit.record("staff.logout", "staff_user", current_user.id)
        db.session.commit()
    logout_user()
    session.clear()
    flash("You have logged out.", "info")
    return redirect(url_for("staff.login"))
