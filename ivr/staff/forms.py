"""The dashboard's forms; every one carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import HiddenInput

from ivr.clock import LONDON
from ivr.models import CALLBACK_OUTCOMES, CLOSING_REASONS, STATUS_LABELS, Status


def _choices(labels: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


# Where staff can move a referral or enquiry; "new" and "incomplete" come from the phone line.
MOVABLE_STATUSES = {s: STATUS_LABELS[s] for s in (Status.CONTACTED, Status.ASSESSMENT_BOOKED, Status.CLOSED)}


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField("Email address", validators=[DataRequired(message="Enter your email address.")])
    password = PasswordField("Password", validators=[DataRequired(message="Enter your password.")])
    next = HiddenField()


class PlainForm(FlaskForm):
    """A form that is only a button, e.g. log out; still needs its token."""


class WorkForm(FlaskForm):
    """Every change to a referral or enquiry says which version of it the person was looking at."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class CallbackForm(WorkForm):
    """A callback attempt: when, and what happened."""

    attempted_at = DateTimeLocalField("When you rang", format="%Y-%m-%dT%H:%M",
                                      validators=[DataRequired(message="Enter when you rang.")])
    outcome = SelectField("What happened", choices=_choices(CALLBACK_OUTCOMES),
                          validators=[DataRequired()])

    def validate_attempted_at(self, field) -> None:
        """Staff type UK local time; a callback cannot have happened in the future."""
        if field.data and self.rang_at() > datetime.now(UTC) + timedelta(minutes=5):
            raise ValidationError("The time you rang cannot be in the future.")

    def rang_at(self) -> datetime:
        """The time typed in, as UTC."""
        return self.attempted_at.data.replace(tzinfo=LONDON).astimezone(UTC)


class NoteForm(WorkForm):
    """A free-text note."""

    text = TextAreaField("Note", validators=[
        DataRequired(message="Write the note before saving it."), Length(max=5000)])


class StatusForm(WorkForm):
    """Move a referral or enquiry on; closing needs a reason."""

    status = SelectField("New status", choices=_choices(MOVABLE_STATUSES), validators=[DataRequired()])
    closing_reason = SelectField("Closing reason (when closing)",
                                 choices=_choices({"": "Choose a reason", **CLOSING_REASONS}), default="")

    def validate_closing_reason(self, field) -> None:
        """A closed referral always says why."""
        if self.status.data == Status.CLOSED and not field.data:
            raise ValidationError("Choose a closing reason to close it.")
        if self.status.data != Status.CLOSED:
            field.data = None


class NhsNumberSearchForm(FlaskForm):
    """The names to search NHS England's Personal Demographics Service for: first guessed from the name as heard."""

    given = StringField("Given name")
    family = StringField("Family name")
