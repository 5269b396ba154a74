"""ivr.audit.record: the trail says who did what, and the app's own jobs are "system"."""

from sqlalchemy import select

from ivr import audit
from ivr.extensions import db
from ivr.models import AuditEvent, StaffUser


def test_a_job_without_a_person_is_recorded_as_system(app):
    with app.app_context():
        audit.record("retention.purge", detail={"referrals": 3, "enquiries": 1})
        db.session.commit()
        event = db.session.scalars(select(AuditEvent)).one()
        assert (event.actor, event.staff_id, event.action) == ("system", None, "retention.purge")
        assert event.detail == {"referrals": 3, "enquiries": 1}
        assert event.at is not None


def test_a_named_staff_member_is_recorded_by_id_and_email(app):
    with app.app_context():
        staff = StaffUser(email="sam@nhs.example", password_hash="x")
        db.session.add(staff)
        db.session.flush()
        audit.record("referral.view", "referral", 42, staff=staff)
        db.session.commit()
        event = db.session.scalars(select(AuditEvent)).one()
        assert (event.actor, event.staff_id, event.subject_type, event.subject_id) == (
            "sam@nhs.example", staff.id, "referral", 42)
        assert event.detail == {}
