"""My account: a member of staff's own details, such as the phone Call now rings."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import TelField
from wtforms.validators import Length, ValidationError

from ivr import audit
from ivr.extensions import db
from ivr.staff import bp
from ivr.staff.accounts import AccountError, normalise_phone
from ivr.staff.display import phone_number


class PhoneForm(FlaskForm):
    """The phone Call now rings; empty removes it."""

    phone_number = TelField("Your phone number", validators=[Length(max=40)])

    def validate_phone_number(self, field) -> None:
        """Any common UK way of writing it, kept in E.164."""
        if field.data and field.data.strip():
            try:
                field.data = normalise_phone(field.data)
            except AccountError as error:
                raise ValidationError(str(error)) from None
        else:
            field.data = None


@bp.route("/account", methods=["GET", "POST"])
def my_account() -> Response | str | tuple[str, int]:
    """Show and change the logged-in member of staff's phone number (audited, never its digits)."""
    form = PhoneForm()
    if not form.is_submitted():
        form.phone_number.data = phone_number(current_user.phone_number)
        return render_template("staff/my_account.html", form=form)
    if not form.validate():
        return render_template("staff/my_account.html", form=form), 400
    current_user.phone_number = form.phone_number.data
    audit.record("staff.phone_set" if form.phone_number.data else "staff.phone_removed", "staff_user",
                 current_user.id)
    db.session.commit()
    flash("Your phone number is saved." if form.phone_number.data else "Your phone number is removed.", "success")
    return redirect(url_for("staff.my_account"))
