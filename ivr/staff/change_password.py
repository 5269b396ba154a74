"""Changing your own password from My account: the current one first, the new one twice; other sessions end."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo

from ivr import audit
from ivr.extensions import db
from ivr.staff import bp, passwords
from ivr.staff.accounts import end_sessions, hasher, password_matches, take_a_try, unlock

NOT_RIGHT = ("Your current password is not right. After several wrong passwords the account must wait "
             "before trying again.")


class ChangePasswordForm(FlaskForm):
    """The current password, then the new one twice."""

    current_password = PasswordField("Your current password", render_kw={"autocomplete": "current-password"},
                                     validators=[DataRequired(message="Enter your current password.")])
    new_password = PasswordField("New password", render_kw={"autocomplete": "new-password"},
                                 validators=[DataRequired(message="Enter a new password.")])
    new_password_again = PasswordField("New password again", render_kw={"autocomplete": "new-password"}, validators=[
        DataRequired(message="Enter the new password again."),
        EqualTo("new_password", message="The two new passwords are not the same.")])


@bp.route("/account/password", methods=["GET", "POST"])
def change_password() -> Response | str | tuple[str, int]:
    """Check the current password (counted like a login try), then set the new one; audited."""
    form = ChangePasswordForm()
    if not form.is_submitted():
        return render_template("staff/change_password.html", form=form)
    staff = current_user._get_current_object()
    if form.validate():  # the rules first: they need no secret, and a refused form counts no try
        refused = passwords.problem(form.new_password.data, staff.email)
        if refused is None and form.new_password.data == form.current_password.data:
            refused = "Choose a new password, not the one you have now."
        if refused is not None:
            form.new_password.errors.append(refused)
    if form.errors:
        return render_template("staff/change_password.html", form=form), 400
    # Whoever holds a session may not guess the password without limit: each try counts as a login's does.
    tries = take_a_try(staff)
    if not password_matches(staff if tries is not None else None, form.current_password.data):
        if tries is not None:
            audit.record("staff.password_change_refused", "staff_user", staff.id)
            if tries >= current_app.config["STAFF_LOCK_AFTER"]:
                audit.record("staff.locked_out", "staff_user", staff.id, {"failed_logins": tries})
            db.session.commit()
        form.current_password.errors.append(NOT_RIGHT)
        return render_template("staff/change_password.html", form=form), 400
    staff.password_hash = hasher.hash(form.new_password.data)
    unlock(staff)
    end_sessions(staff)  # whoever else holds a session, e.g. one left open elsewhere, is logged out
    audit.record("staff.password_changed", "staff_user", staff.id)
    db.session.commit()
    session["session_version"] = staff.session_version  # but this one, which just proved the password, goes on
    flash("Your password is changed. Any other session you had has ended.", "success")
    return redirect(url_for("staff.my_account"))
