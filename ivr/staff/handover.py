"""Handing a referral to the patient record system: its FHIR record from the referral's page, and the NHS Talking
Therapies data set's CSV beside the referral export. Both are posts (so the CSRF check applies), both audited."""

from __future__ import annotations

from datetime import datetime

from flask import Response, abort, flash, redirect, request, url_for

from ivr import audit
from ivr.clock import LONDON
from ivr.extensions import db
from ivr.interop import dataset
from ivr.interop.bundle import bundle_json
from ivr.models import Referral, Status
from ivr.staff import bp
from ivr.staff.admin import admin_only
from ivr.staff.records import KINDS, chosen_filter, queue_query


# Any member of staff may take one referral they can already read to the patient record system; only admins take
# a whole list at once (as with the referral export).
@bp.post("/referrals/<int:record_id>/fhir")
def referral_fhir(record_id: int) -> Response:
    """One referral as a FHIR R4 Bundle (UK Core), downloaded as a .json file; the download is audited."""
    referral = db.session.get(Referral, record_id) or abort(404)
    if referral.status == Status.IN_PROGRESS:
        flash("This referral's call has not ended yet: download its FHIR record once it has.", "error")
        return redirect(url_for("staff.referral", record_id=referral.id))
    body = bundle_json(referral)
    audit.record("referral.fhir_exported", "referral", referral.id, {"via": "dashboard"})
    db.session.commit()
    return Response(body, mimetype="application/fhir+json", headers={
        "Content-Disposition": f'attachment; filename="{referral.reference}.fhir.json"'})


@bp.post("/referrals-dataset.csv")
@admin_only
def referrals_dataset_csv() -> Response:
    """Every referral in the current filter as the data set's items (CSV); audited with its row count."""
    filter_name = chosen_filter(KINDS["referrals"], request.form.get("filter"))
    referrals = db.session.scalars(queue_query(KINDS["referrals"], filter_name)).all()
    text = dataset.csv_text(referrals)
    audit.record("referral.dataset_exported", detail={
        "filter": filter_name, "count": len(referrals), "ids": [referral.id for referral in referrals]})
    db.session.commit()
    stamp = datetime.now(LONDON).strftime("%Y-%m-%d-%H%M")
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="talking-therapies-data-set-{filter_name}-{stamp}.csv"'})
