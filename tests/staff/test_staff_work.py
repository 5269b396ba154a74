"""Working a referral: callback attempts, notes and status changes, audited, and never a silent overwrite."""

from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent, Referral


def _referral(app, referral_id: int) -> Referral:
    with app.app_context():
        found = db.session.get(Referral, referral_id)
        db.session.expunge(found)
        return found


def _audit(app) -> list[tuple[str, str, int | None, dict]]:
    with app.app_context():
        return [(e.actor, e.action, e.subject_id, e.detail) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.startswith("referral.")).order_by(AuditEvent.id))]


def _logged_in(staff, email="sam.jones@nhs.example"):
    staff.make(email)
    staff.login(email)


def test_a_callback_attempt_is_saved_shown_and_audited(app, staff, client, referral):
    referral_id = referral()
    _logged_in(staff)
    page = f"/staff/referrals/{referral_id}"
    version = _referral(app, referral_id).version
    response = staff.post(f"{page}/callback", {
        "version": version, "attempted_at": "2025-11-20T10:15", "outcome": "voicemail_left"}, page=page)
    assert response.status_code == 302
    shown = client.get(page).get_data(as_text=True)
    assert "Callback attempt saved." in shown
    assert "Callback attempt: <strong>Voicemail left</strong>" in shown
    assert "Thu 20 Nov 2025, 10:15" in shown  # kept as the UK time typed in
    actor, action, subject, detail = [row for row in _audit(app) if row[1] == "referral.callback_logged"][0]
    assert (actor, subject, detail["outcome"]) == ("sam.jones@nhs.example", referral_id, "voicemail_left")


def test_status_moves_on_and_closing_needs_a_reason(app, staff, client, referral):
    referral_id = referral()
    _logged_in(staff)
    page = f"/staff/referrals/{referral_id}"
    for status in ("contacted", "assessment_booked"):
        response = staff.post(f"{page}/status", {"version": _referral(app, referral_id).version,
                                                 "status": status, "closing_reason": ""}, page=page)
        assert response.status_code == 302
    refused = staff.post(f"{page}/status", {"version": _referral(app, referral_id).version,
                                            "status": "closed", "closing_reason": ""}, page=page)
    assert refused.status_code == 400 and "Choose a closing reason" in refused.get_data(as_text=True)
    assert _referral(app, referral_id).status == "assessment_booked"
    staff.post(f"{page}/status", {"version": _referral(app, referral_id).version,
                                  "status": "closed", "closing_reason": "assessed"}, page=page)
    assert _referral(app, referral_id).status == "closed"
    closed = client.get("/staff/referrals?filter=closed").get_data(as_text=True)
    assert f"/staff/referrals/{referral_id}\"" in closed
    changes = [row[3] for row in _audit(app) if row[1] == "referral.status_changed"]
    assert [(c["from"], c["to"]) for c in changes] == [
        ("new", "contacted"), ("contacted", "assessment_booked"), ("assessment_booked", "closed")]
    assert changes[-1]["closing_reason"] == "assessed"


def test_a_note_is_saved_but_its_text_stays_out_of_the_audit_log(app, staff, client, referral):
    referral_id = referral()
    _logged_in(staff)
    page = f"/staff/referrals/{referral_id}"
    staff.post(f"{page}/note", {"version": _referral(app, referral_id).version,
                                "text": "Prefers to be called on Tuesdays"}, page=page)
    assert "Prefers to be called on Tuesdays" in client.get(page).get_data(as_text=True)
    notes = [row for row in _audit(app) if row[1] == "referral.note_added"]
    assert len(notes) == 1 and "Tuesdays" not in repr(notes)


def test_two_staff_changing_the_same_referral_do_not_overwrite_each_other(app, staff, referral):
    referral_id = referral()
    staff.make("first@nhs.example")
    staff.make("second@nhs.example")
    first, second = app.test_client(), app.test_client()
    staff.login("first@nhs.example", client=first)
    staff.login("second@nhs.example", client=second)
    page = f"/staff/referrals/{referral_id}"
    seen = _referral(app, referral_id).version  # both have the page open at this version
    token_first, token_second = staff.token(page, first), staff.token(page, second)

    assert first.post(f"{page}/status", data={"csrf_token": token_first, "version": seen,
                                              "status": "contacted"}).status_code == 302
    clash = second.post(f"{page}/status", data={"csrf_token": token_second, "version": seen,
                                                "status": "closed", "closing_reason": "no_contact"})
    assert clash.status_code == 409
    assert "Someone else changed this referral while you had it open" in clash.get_data(as_text=True)
    assert _referral(app, referral_id).status == "contacted"  # the first change stands
    note = second.post(f"{page}/note", data={"csrf_token": token_second, "version": seen,
                                             "text": "Left a message"})
    assert note.status_code == 409 and "Left a message" in note.get_data(as_text=True)  # their words kept


def test_a_change_racing_between_check_and_write_is_refused(app, referral):
    """The version check holds in the database too: a write that lands after our read is not overwritten."""
    from ivr.models import StaffUser
    from ivr.staff.work import Conflict, change_status

    referral_id = referral()
    with app.app_context():
        staff = StaffUser(email="sam@nhs.example", password_hash="x")
        db.session.add(staff)
        db.session.commit()
        loaded = db.session.get(Referral, referral_id)
        seen = loaded.version
        with db.engine.begin() as other:  # another person's request, committed in between
            other.execute(Referral.__table__.update().where(Referral.__table__.c.id == referral_id)
                          .values(status="contacted", version=seen + 1))
        try:
            change_status(loaded, seen, staff, "closed", "duplicate")
        except Conflict:
            pass
        else:
            raise AssertionError("a stale write went through")
        db.session.expire_all()
        assert db.session.get(Referral, referral_id).status == "contacted"
