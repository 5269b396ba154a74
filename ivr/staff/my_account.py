"""My account: a member of staff's own details, such as the phone Call now rings (verified by a texted code)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import PasswordField, StringField, TelField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from ivr.extensions import db
from ivr.staff import bp, phone_check
from ivr.staff.accounts import AccountError, normalise_phone
from ivr.staff.display import phone_number

# A number that cannot be texted is the form's fault; too many codes today is a limit; else Twilio failed.
REFUSED_STATUS = {"not_a_mobile": 400, "too_many_today": 429}


class PhoneForm(FlaskForm):
    """The phone Call now rings; empty removes it. Any change needs the password again."""

    phone_number = TelField("Your phone number", validators=[Length(max=40)])
    password = PasswordField("Your password", validators=[
        DataRequired(message="Enter your password to change your phone number.")])

    def validate_phone_number(self, field) -> None:
        """Any common UK way of writing it, kept in E.164."""
        if field.data and field.data.strip():
            try:
                field.data = normalise_phone(field.data)
            except AccountError as error:
                raise ValidationError(str(error)) from None
        else:
            field.data = None


class CodeForm(FlaskForm):
    """The code texted to the phone."""

    code = StringField("The 6-digit code we texted you", validators=[
        DataRequired(message="Enter the code from the text."),
        Regexp(r"^\s*[0-9]{6}\s*$", message="The code is 6 digits, like 123456.")])


def _page(form: PhoneForm, code_form: CodeForm | None = None) -> str:
    return render_template("staff/my_account.html", form=form, code_form=code_form or CodeForm(formdata=None),
                           phone_minutes=phone_check.CODE_MINUTES)


@bp.route("/account", methods=["GET", "POST"])
def my_account() -> Response | str | tuple[str, int]:
    """Show and change the logged-in member of staff's phone number (audited, only its last 3 digits)."""
    form = PhoneForm()
    if not form.is_submitted():
        form.phone_number.data = phone_number(current_user.phone_number)
        return _page(form)
    valid = form.validate()
    unchanged = valid and form.phone_number.data == current_user.phone_number and current_user.phone_verified
    if valid and form.phone_number.data and not unchanged and not phone_check.can_take_texts(form.phone_number.data):
        form.phone_number.errors.append(phone_check.NOT_A_MOBILE)  # said before a password try is spent
    if not valid or form.phone_number.errors:
        return _page(form), 400
    if not phone_check.password_confirmed(current_user, form.password.data):
        form.password.errors.append("That is not your password. After several wrong passwords your account must "
                                    "wait before trying again.")
        return _page(form), 401
    if not form.phone_number.data:
        phone_check.remove(current_user)
        db.session.commit()
        flash("Your phone number is removed.", "success")
        return redirect(url_for("staff.my_account"))
    if unchanged:
        db.session.commit()
        flash("That is already your phone number, and it is verified.", "info")
        return redirect(url_for("staff.my_account"))
    try:
        phone_check.change(current_user, form.phone_number.data)
    except phone_check.PhoneCheckRefused as refusal:
        form.phone_number.errors.append(str(refusal))
        return _page(form), REFUSED_STATUS.get(refusal.reason, 503)
    flash(f"We have texted a code to {phone_number(current_user.phone_number)}. Enter it below within "
          f"{phone_check.CODE_MINUTES} minutes; until then Call now will not ring it.", "success")
    return redirect(url_for("staff.my_account") + "#phone-code")


@bp.post("/account/phone-code")
def phone_code() -> Response | str | tuple[str, int]:
    """Check the code texted to the phone; the right one verifies it for Call now."""
    code_form, form = CodeForm(), PhoneForm(formdata=None)
    form.phone_number.data = phone_number(current_user.phone_number)
    if not code_form.validate():
        return _page(form, code_form), 400
    try:
        phone_check.enter(current_user, code_form.code.data.strip())
    except phone_check.PhoneCheckRefused as refusal:
        code_form.code.errors.append(str(refusal))
        return _page(form, code_form), 400
    flash("Your phone number is verified. Call now will ring it.", "success")
    return redirect(url_for("staff.my_account"))
