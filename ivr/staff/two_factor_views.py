"""The login's second step: enrol an authenticator app, or type its code (or a recovery code)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ivr import audit
from ivr.clock import as_utc
from ivr.extensions import db
from ivr.models import StaffUser, utcnow
from ivr.staff import bp, two_factor
from ivr.staff.accounts import take_a_try
from ivr.staff.auth import begin_session

LOCKED = ("After too many wrong codes this account must wait before trying again: wait a few minutes, "
          "or ask an admin to unlock it.")
EXPIRED = f"Please log in again: the code must follow the password within {two_factor.PENDING_SECONDS // 60} minutes."


class CodeForm(FlaskForm):
    """The 6 digits the authenticator app shows now."""

    code = StringField("6-digit code", validators=[DataRequired(message="Enter the 6-digit code."), Length(max=20)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class RecoveryForm(FlaskForm):
    """One of the recovery codes shown at enrolment."""

    recovery_code = StringField("Recovery code", validators=[
        DataRequired(message="Enter one of your recovery codes."), Length(max=40)],
        render_kw={"autocomplete": "off"})


@bp.before_request
def second_factor_kept() -> Response | None:
    """While a second factor is required, a session logged in without one (before it was) ends."""
    if (request.endpoint != "staff.static" and current_user.is_authenticated
            and current_app.config["STAFF_REQUIRE_2FA"] and not session.get("second_factor")):
        logout_user()
        session.clear()
        flash("Logins now need a code from an authenticator app. Please log in again.", "info")
        return redirect(url_for("staff.login"))
    return None


def _half_login() -> tuple[StaffUser, dict] | Response:
    """The half-logged-in account, or where to go instead: the queue if logged in, else the login page."""
    if current_user.is_authenticated:
        return redirect(url_for("staff.referrals"))
    found = two_factor.pending()
    if found is None:
        if session.pop("pending_login", None) is not None:
            flash(EXPIRED, "info")
        return redirect(url_for("staff.login"))
    return found


def _counted(staff: StaffUser) -> int | Response | None:
    """Count this code try with the password tries (the same lockout); a redirect if it may not try now.

    None means slowed: too many wrong tries in a row, wait a little.
    """
    tries = take_a_try(staff)
    if tries is None and staff.locked_until is not None and as_utc(staff.locked_until) > utcnow():
        session.pop("pending_login", None)
        flash(LOCKED, "error")
        return redirect(url_for("staff.login"))
    return tries


def _wrong(staff: StaffUser, tries: int | None, method: str) -> Response | None:
    """Audit a wrong code (never what was typed); a redirect to the login page if it locked the account."""
    audit.record("staff.two_factor_failed", "staff_user", staff.id, {"method": method}, staff=staff)
    locked = tries is not None and tries >= current_app.config["STAFF_LOCK_AFTER"]
    if locked:
        audit.record("staff.locked_out", "staff_user", staff.id, {"failed_logins": tries}, staff=staff)
    db.session.commit()
    if locked:
        session.pop("pending_login", None)
        flash(LOCKED, "error")
        return redirect(url_for("staff.login"))
    return None


def _slowed() -> str:
    return (f"Too many wrong codes in a row: wait {current_app.config['STAFF_SLOW_SECONDS']} seconds, "
            "then type the code your app shows then.")


def _log_in(staff: StaffUser, method: str) -> None:
    audit.record("staff.two_factor_verified", "staff_user", staff.id, {"method": method}, staff=staff)
    begin_session(staff)
    session["second_factor"] = True


@bp.route("/login/enrol", methods=["GET", "POST"])
def enrol_second_factor() -> Response | str | tuple[str, int]:
    """First login: scan the QR code (or type the secret), then type a code to show the app has it."""
    found = _half_login()
    if isinstance(found, Response):
        return found
    staff, state = found
    factor = two_factor.factor_of(staff)
    if factor is None or factor.confirmed_at is not None:
        return redirect(url_for("staff.second_factor"))
    form = CodeForm()
    page = {"form": form, "qr_code": two_factor.qr_code(staff, factor.secret),
            "secret": two_factor.spaced(factor.secret), "email": staff.email, "issuer": two_factor.ISSUER}
    if not form.validate_on_submit():
        return render_template("staff/two_factor_enrol.html", **page), 400 if form.is_submitted() else 200
    tries = _counted(staff)
    if isinstance(tries, Response):
        return tries
    if tries is None:
        form.code.errors.append(_slowed())
        return render_template("staff/two_factor_enrol.html", **page), 429
    if not two_factor.code_matches(factor, form.code.data):
        refused = _wrong(staff, tries, "enrolment")
        if refused:
            return refused
        form.code.errors.append("That code is not right. Check the app shows this account, then type its "
                                "newest code.")
        return render_template("staff/two_factor_enrol.html", **page), 401
    codes = two_factor.confirm(factor)
    audit.record("staff.two_factor_enrolled", "staff_user", staff.id, {"recovery_codes": len(codes)}, staff=staff)
    _log_in(staff, "totp")
    return render_template("staff/two_factor_recovery_codes.html", codes=codes, next_url=state["next"])


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor() -> Response | str | tuple[str, int]:
    """The 6-digit code from the authenticator app, after the password."""
    found = _half_login()
    if isinstance(found, Response):
        return found
    staff, state = found
    factor = two_factor.factor_of(staff)
    if factor is None or factor.confirmed_at is None:
        return redirect(url_for("staff.enrol_second_factor"))
    form = CodeForm()
    if not form.validate_on_submit():
        return _code_page(form, RecoveryForm(formdata=None), 400 if form.is_submitted() else 200)
    tries = _counted(staff)
    if isinstance(tries, Response):
        return tries
    if tries is None:
        form.code.errors.append(_slowed())
        return _code_page(form, RecoveryForm(formdata=None), 429)
    if not two_factor.code_matches(factor, form.code.data):
        refused = _wrong(staff, tries, "totp")
        if refused:
            return refused
        form.code.errors.append("That code is not right, or was used already. Type the newest code your app shows.")
        return _code_page(form, RecoveryForm(formdata=None), 401)
    _log_in(staff, "totp")
    return redirect(state["next"])


@bp.post("/login/recovery")
def recovery_code() -> Response | str | tuple[str, int]:
    """A recovery code instead of the app's code (a lost or new phone); each works once."""
    found = _half_login()
    if isinstance(found, Response):
        return found
    staff, state = found
    if not two_factor.enrolled(staff):
        return redirect(url_for("staff.enrol_second_factor"))
    form = RecoveryForm()
    if not form.validate_on_submit():
        return _code_page(CodeForm(formdata=None), form, 400)
    tries = _counted(staff)
    if isinstance(tries, Response):
        return tries
    if tries is None:
        form.recovery_code.errors.append(_slowed())
        return _code_page(CodeForm(formdata=None), form, 429)
    left = two_factor.recovery_code_matches(staff, form.recovery_code.data)
    if left is None:
        refused = _wrong(staff, tries, "recovery_code")
        if refused:
            return refused
        form.recovery_code.errors.append("That recovery code is not right, or was used already.")
        return _code_page(CodeForm(formdata=None), form, 401)
    audit.record("staff.recovery_code_used", "staff_user", staff.id, {"left": left}, staff=staff)
    _log_in(staff, "recovery_code")
    flash(f"Recovery code accepted: you have {left} left. If you have lost your phone, ask an admin to reset "
          "your authenticator so that you can set up a new one." if left else
          "That was your last recovery code. Ask an admin to reset your authenticator to get new ones.", "info")
    return redirect(state["next"])


def _code_page(form: CodeForm, recovery: RecoveryForm, status: int) -> tuple[str, int]:
    return render_template("staff/two_factor_code.html", form=form, recovery=recovery), status
