"""The queues: safety follow-ups at the top, then referrals and enquiries waiting for a callback, filtered, urgent and
oldest first."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ivr import audit
from ivr.extensions import db
from ivr.staff import bp
from ivr.staff.display import chosen_language, language_names
from ivr.staff.duplicates import marked_on_page
from ivr.staff.followups import audit_listed, open_followups
from ivr.staff.forms import PlainForm
from ivr.staff.records import KINDS, Kind, chosen_filter, counts, queue_page


@bp.get("/")
def home() -> Response:
    """The dashboard starts at the referral queue."""
    return redirect(url_for("staff.referrals"))


@bp.get("/referrals")
def referrals() -> str:
    """The referral queue."""
    return _queue(KINDS["referrals"])


@bp.get("/enquiries")
def enquiries() -> str:
    """The queue of messages from existing patients."""
    return _queue(KINDS["enquiries"])


def _queue(kind: Kind) -> str:
    filter_name = chosen_filter(kind, request.args.get("filter"))
    language = chosen_language(request.args.get("language"))
    followups, followups_total = open_followups()  # at the top of every queue until done
    audit_listed(followups)
    page = queue_page(kind, filter_name, request.args.get("page", 1, type=int),
                      current_app.config["STAFF_PAGE_SIZE"], language)
    if page.items:  # the rows show ages and phone numbers: say who saw which
        audit.record(f"{kind.name}.queue_viewed", detail={
            "filter": filter_name, "language": language, "page": page.number, "ids": [item.id for item in page.items]})
    if page.items or followups:
        db.session.commit()
    return render_template(f"staff/{kind.plural}.html", kind=kind, page=page, filter_name=filter_name,
                           followups=followups, followups_total=followups_total,
                           counts=counts(kind), export_form=PlainForm(formdata=None),
                           language=language, languages=language_names(),
                           duplicates=marked_on_page(page.items) if kind.name == "referral" else {})
