"""The queue and a referral's page: what staff see of a call-captured referral, and who saw it."""

import re

from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent, Referral
from tests.support.line import at


def _listed(page: str) -> list[int]:
    """The referrals a queue page lists, top to bottom, by id."""
    return [int(n) for n in re.findall(r'href="/staff/referrals/(\d+)"', page)]


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_the_queue_shows_a_referral_from_a_call_with_each_column(app, staff, client, referral):
    referral_id = referral()
    staff.make()
    staff.login()
    page = client.get("/staff/referrals").get_data(as_text=True)
    with app.app_context():
        reference = db.session.get(Referral, referral_id).reference
    assert _listed(page) == [referral_id] and reference in page
    assert "07400 123456" in page  # the caller's own number, written the UK way
    assert "Practice to check" in page and "Morning" in page
    assert ">Yes<" in page  # voicemail OK
    (event,) = _events(app, "referral.queue_viewed")
    assert event.actor == "sam.jones@nhs.example" and event.detail["ids"] == [referral_id]


def test_urgent_referrals_come_first_then_the_oldest(staff, client, referral):
    first, urgent, last = referral(), referral(urgent=True), referral()
    staff.make()
    staff.login()
    assert _listed(client.get("/staff/referrals").get_data(as_text=True)) == [urgent, first, last]
    assert _listed(client.get("/staff/referrals?filter=urgent").get_data(as_text=True)) == [urgent]


def test_a_dropped_call_is_in_the_incomplete_filter_not_new(app, staff, client, phone):
    call = at(phone(), "referral.practice")
    call.hang_up(duration=40)
    staff.make()
    staff.login()
    with app.app_context():
        dropped = db.session.scalars(select(Referral)).one()
        dropped_id, reference = dropped.id, dropped.reference
    assert "No referrals here." in client.get("/staff/referrals?filter=new").get_data(as_text=True)
    incomplete = client.get("/staff/referrals?filter=incomplete").get_data(as_text=True)
    assert _listed(incomplete) == [dropped_id] and reference in incomplete
    assert "Incomplete (call dropped)" in incomplete


def test_the_referral_page_shows_every_answer_and_the_calls_steps(app, staff, client, referral):
    referral_id = referral()
    staff.make()
    staff.login()
    response = client.get(f"/staff/referrals/{referral_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for answer in ("Jane Smith", "14 March 1988", "07400 123456", "Morning", "Ask at the assessment", "still no idea",
                   "Referral: date of birth", "3 min 05 s"):
        assert answer in page, answer
    (event,) = _events(app, "referral.viewed")
    assert (event.subject_type, event.subject_id) == ("referral", referral_id)


def test_an_unknown_filter_or_page_falls_back_calmly(app, staff, client, referral):
    first, urgent, last = referral(), referral(urgent=True), referral()
    app.config["STAFF_PAGE_SIZE"] = 2
    staff.make()
    staff.login()
    unknown = client.get("/staff/referrals?filter=<script>&page=abc")
    page = unknown.get_data(as_text=True)
    assert unknown.status_code == 200 and "<script>" not in page
    assert _listed(page) == [urgent, first] and "All open: 3 referrals" in page and "Page 1 of 2" in page
    beyond = client.get("/staff/referrals?page=999").get_data(as_text=True)
    assert _listed(beyond) == [last] and "Page 2 of 2" in beyond  # the last page, not an empty one
    assert _listed(client.get("/staff/referrals?page=-3").get_data(as_text=True)) == [urgent, first]
    assert client.get("/staff/referrals/999999").status_code == 404
