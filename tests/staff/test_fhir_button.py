"""The referral page's "Download FHIR record": behind the login, a post with the page's token, a .json file the FHIR
library validates, and a row in the audit log naming who took it."""

import json

from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent, Referral


def _fhir_exports(app) -> list[AuditEvent]:
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "referral.fhir_exported")).all()


def test_any_member_of_staff_downloads_a_referrals_fhir_record(app, staff, client, referral):
    referral_id = referral(urgent=True)
    staff.make()  # not an admin: one referral they can already read
    staff.login()
    page = client.get(f"/staff/referrals/{referral_id}").get_data(as_text=True)
    assert "Download FHIR record" in page
    response = staff.post(f"/staff/referrals/{referral_id}/fhir", {}, page=f"/staff/referrals/{referral_id}")
    assert response.status_code == 200 and response.mimetype == "application/fhir+json"
    with app.app_context():
        reference = db.session.get(Referral, referral_id).reference
    assert response.headers["Content-Disposition"] == f'attachment; filename="{reference}.fhir.json"'
    Bundle.model_validate_json(response.get_data(as_text=True))
    entries = json.loads(response.get_data(as_text=True))["entry"]
    [request] = [entry["resource"] for entry in entries if entry["resource"]["resourceType"] == "ServiceRequest"]
    assert request["identifier"][0]["value"] == reference and request["priority"] == "urgent"
    [event] = _fhir_exports(app)
    assert (event.subject_id, event.actor, event.detail) == (referral_id, "sam.jones@nhs.example", {"via": "dashboard"})
    assert event.address == "127.0.0.1"


def test_nobody_logged_out_gets_a_record(app, client, referral):
    referral_id = referral()
    response = client.post(f"/staff/referrals/{referral_id}/fhir")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    assert _fhir_exports(app) == []


def test_a_post_without_the_pages_token_is_refused(app, staff, client, referral):
    referral_id = referral()
    staff.make()
    staff.login()
    response = client.post(f"/staff/referrals/{referral_id}/fhir")
    assert response.status_code == 400 and "This form has expired" in response.get_data(as_text=True)
    assert _fhir_exports(app) == []


def test_an_unknown_referral_is_not_found(app, staff, client):
    staff.make()
    staff.login()
    response = staff.post("/staff/referrals/2147483647/fhir", {}, page="/staff/referrals")
    assert response.status_code == 404 and _fhir_exports(app) == []
