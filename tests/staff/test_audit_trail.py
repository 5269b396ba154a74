"""The audit trail: every event made in a request says where it came from (address and browser), reading the
audit log is itself audited, and so is a recording Twilio could not give."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent, Enquiry
from tests.support.fake_twilio import fake_twilio

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 " + "x" * 1000  # a User-Agent is the client's to write


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def test_an_event_keeps_the_address_and_browser_it_came_from(app, client, staff, runner):
    staff.make(admin=True)
    client.environ_base.update(REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT=BROWSER)
    staff.login()
    (login,) = _events(app, "staff.login")
    assert login.address == "198.51.100.7" and login.browser == BROWSER[:200]
    page = client.get("/staff/audit").get_data(as_text=True)
    assert "198.51.100.7" in page and "Chrome/131.0" in page and BROWSER not in page
    runner.invoke(args=["staff", "unlock", "sam.jones@nhs.example"])
    (unlocked,) = _events(app, "staff.account_unlocked")
    assert (unlocked.actor, unlocked.address, unlocked.browser) == ("system", None, None)  # the command line


def test_behind_a_trusted_proxy_the_address_is_the_clients(another_app, staff):
    proxied = another_app(TRUST_PROXY=True)
    desk = type(staff)(proxied, proxied.test_client())
    desk.make()
    # The proxy in front adds the client's address; a forged one the client sent comes before it.
    desk.client.environ_base.update(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.44")
    desk.login()
    (login,) = _events(proxied, "staff.login")
    assert login.address == "192.0.2.44"


def test_without_a_trusted_proxy_a_forwarded_address_is_not_believed(app, client, staff):
    staff.make()
    client.environ_base.update(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.44")
    staff.login()
    assert _events(app, "staff.login")[0].address == "10.0.0.2"


def test_reading_the_audit_log_is_audited(app, client, staff):
    staff.make(admin=True)
    staff.login()
    assert client.get("/staff/audit?action=staff.&actor=sam").status_code == 200
    (viewed,) = _events(app, "audit.viewed")
    assert viewed.actor == "sam.jones@nhs.example" and viewed.address == "127.0.0.1"
    assert viewed.detail == {"page": 1, "shown": 1, "filters": ["action", "actor"]}  # never what was searched for
    assert "audit.viewed" in client.get("/staff/audit").get_data(as_text=True)  # and it shows


def test_staff_who_are_not_admins_cannot_read_it_and_nothing_is_recorded_as_read(app, client, staff):
    staff.make()
    staff.login()
    assert client.get("/staff/audit").status_code == 403
    assert _events(app, "audit.viewed") == []


@pytest.fixture
def enquiry(app, phone) -> int:
    """An existing patient leaves a recorded message on a real signed call."""
    call = phone(caller_number="+447400123456").press("3").press("2")
    call.record(seconds=25)
    call.press("1").press("1")
    call.hang_up()
    with app.app_context():
        return db.session.scalars(select(Enquiry.id)).one()


def test_a_recording_twilio_could_not_give_is_audited_with_why(app, client, staff, enquiry):
    staff.make()
    staff.login()
    played = f"/staff/enquiries/{enquiry}/recording"
    with fake_twilio(app) as twilio:
        assert client.get(played).status_code == 502  # Twilio no longer has it
        twilio.down = True
        assert client.get(played).status_code == 502
    app.config["TWILIO_ACCOUNT_SID"] = ""
    assert client.get(played).status_code == 502
    failed = _events(app, "enquiry.recording_unavailable")
    assert [(e.subject_id, e.detail) for e in failed] == [
        (enquiry, {"reason": "http_404"}), (enquiry, {"reason": "http_503"}),
        (enquiry, {"reason": "twilio_not_configured"})]
    assert {e.actor for e in failed} == {"sam.jones@nhs.example"} and _events(app, "enquiry.recording_played") == []
