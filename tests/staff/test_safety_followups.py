"""Staff see every safety follow-up at the top of the queues, with the caller's number, the kind of risk, where in
the call and the words said; who looked is audited; a follow-up marked done goes, and is kept as a referral is."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent, SafetyFollowUp, utcnow
from ivr.upkeep.retention import purge
from tests.support.line import at

WORDS = "I want to kill myself"


def under_16_who_disclosed(phone) -> None:
    """A 13-year-old says it at the date of birth, carries on, and is told we keep nothing."""
    call = at(phone(), "referral.date_of_birth").say(WORDS).press("2")
    at(call, "referral.date_of_birth_confirm", {"referral.date_of_birth": "01052013"}).press("1")
    assert call.ended and "We haven't kept any of your details" in call.said


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_follow_up_is_at_the_top_of_the_queue_with_the_words_and_viewing_it_is_audited(app, phone, staff, client):
    under_16_who_disclosed(phone)
    staff.make()
    staff.login()
    page = client.get("/staff/referrals").get_data(as_text=True)
    top = page[page.index("Safety follow-ups: 1 to ring back"):]
    assert "07400 123456" in top and f"“{WORDS}”" in top and "Referral: date of birth" in top
    assert "intent, a plan or active thoughts" in top
    (listed,) = _events(app, "safety_followup.listed")
    assert listed.actor == "sam.jones@nhs.example" and len(listed.detail["ids"]) == 1
    followup_id = int(re.search(r'href="/staff/followups/(\d+)"', page)[1])

    detail = client.get(f"/staff/followups/{followup_id}").get_data(as_text=True)
    assert "Number to ring</dt><dd>07400 123456" in detail and WORDS in detail
    assert "None kept (the call ended first, or the caller was under 16 or out of area)" in detail
    (viewed,) = _events(app, "safety_followup.viewed")
    assert viewed.subject_id == followup_id and viewed.subject_type == "safety_followup"


def test_the_enquiries_queue_shows_it_too(phone, staff, client):
    under_16_who_disclosed(phone)
    staff.make()
    staff.login()
    assert f"“{WORDS}”" in client.get("/staff/enquiries").get_data(as_text=True)


def test_marking_it_done_takes_it_off_the_queue_and_is_audited(app, phone, staff, client):
    under_16_who_disclosed(phone)
    staff.make()
    staff.login()
    with app.app_context():
        followup_id = db.session.scalars(select(SafetyFollowUp.id)).one()
    url = f"/staff/followups/{followup_id}"
    response = client.post(f"{url}/done", data={"csrf_token": staff.token(url)})
    assert response.status_code == 302
    assert "to ring back" not in client.get("/staff/referrals").get_data(as_text=True)
    assert len(_events(app, "safety_followup.done")) == 1


def test_a_follow_up_without_a_token_is_not_marked_done(app, phone, staff, client):
    under_16_who_disclosed(phone)
    staff.make()
    staff.login()
    with app.app_context():
        followup_id = db.session.scalars(select(SafetyFollowUp.id)).one()
    assert client.post(f"/staff/followups/{followup_id}/done").status_code == 400
    with app.app_context():
        assert db.session.get(SafetyFollowUp, followup_id).done_at is None


def test_retention_keeps_an_open_follow_up_and_deletes_one_done_long_ago(app, phone):
    under_16_who_disclosed(phone)
    under_16_who_disclosed(phone)
    with app.app_context():
        first, second = db.session.scalars(select(SafetyFollowUp).order_by(SafetyFollowUp.id)).all()
        long_ago = utcnow() - timedelta(days=app.config["RETENTION_CLOSED_DAYS"] + 1)
        first.at = second.at = long_ago
        first.done_at = long_ago
        db.session.commit()
        assert purge()["safety_followups_done"] == 1
        assert db.session.scalars(select(SafetyFollowUp.id)).all() == [second.id]
