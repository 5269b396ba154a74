"""After a text is sent: Twilio's signed delivery reports move it on (never back), staff see how it went, and
however many servers try at once, or stop halfway, a text goes once."""

from __future__ import annotations

import csv
import io
import queue
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from ivr.extensions import db
from ivr.models import Outbox, Referral, TextStatus, utcnow
from ivr.texts.sender import send_due
from ivr.tools.phone import Phone
from tests.support.fake_messages import closing_transport, fake_messaging, wait_for_texts
from tests.support.line import AUTH_TOKEN, CALLER, walk_referral


@pytest.fixture
def twilio(app):
    with fake_messaging(app) as account:
        yield account


@pytest.fixture
def sent(app, client, twilio):
    """A referral whose caller asked for a text, which Twilio has taken; returns Twilio's message."""
    walk_referral(Phone(closing_transport(client), AUTH_TOKEN).dial(), text="1").hang_up()
    wait_for_texts()
    [message] = twilio.messages
    return message


def text_now(app) -> Outbox:
    with app.app_context():
        text = db.session.scalars(select(Outbox)).one()
        db.session.expunge(text)
        return text


def test_delivery_reports_move_the_text_on_and_never_back(app, client, twilio, sent):
    assert text_now(app).status == "queued"
    assert twilio.report(client, sent, "delivered") == 204  # arrives before "sent": out of order
    assert text_now(app).status == "delivered"
    assert twilio.report(client, sent, "sent") == 204  # the late one changes nothing
    assert twilio.report(client, sent, "delivered") == 204  # nor does a repeat
    text = text_now(app)
    assert (text.status, text.error_code, text.twilio_sid) == ("delivered", None, sent.sid)


def test_reports_in_order_go_sent_then_delivered(app, client, twilio, sent):
    twilio.report(client, sent, "sending")
    assert text_now(app).status == "queued"
    twilio.report(client, sent, "sent")
    assert text_now(app).status == "sent"
    twilio.report(client, sent, "delivered")
    assert text_now(app).status == "delivered"


def test_a_forged_or_unsigned_delivery_report_gets_403_and_changes_nothing(app, client, twilio, sent):
    assert twilio.report(client, sent, "undelivered", token="someone-elses-auth-token") == 403
    unsigned = client.post(sent.status_callback, data={"MessageSid": sent.sid, "MessageStatus": "failed"})
    assert unsigned.status_code == 403
    assert text_now(app).status == "queued"


def test_a_text_not_delivered_stands_out_to_staff_and_in_the_export(app, client, runner, staff, twilio, sent):
    assert twilio.report(client, sent, "sent") == 204
    assert twilio.report(client, sent, "undelivered", error_code="30003") == 204  # phone off or out of range
    assert twilio.report(client, sent, "delivered") == 204  # nothing moves a settled text
    assert (text_now(app).status, text_now(app).error_code) == ("undelivered", "30003")
    staff.make(admin=True)  # the export is for admins
    staff.login()
    with app.app_context():
        referral_id = db.session.scalars(select(Referral.id)).one()

    queue_page = client.get("/staff/referrals").get_data(as_text=True)
    assert "Text not delivered" in queue_page
    page = client.get(f"/staff/referrals/{referral_id}").get_data(as_text=True)
    assert "Text receipt" in page and "Not delivered (Twilio error 30003)" in page
    assert "give it when you call" in page
    [row] = csv.DictReader(io.StringIO(staff.export().get_data(as_text=True)))
    assert (row["text_status"], row["text_error_code"]) == ("undelivered", "30003")

    status = runner.invoke(args=["outbox", "status"])
    assert status.exit_code == 1 and "1 text failed or could not be delivered" in status.output
    with app.app_context():  # staff have called the caller back: nothing more to alert on
        db.session.execute(update(Referral).values(status="contacted"))
        db.session.commit()
    assert runner.invoke(args=["outbox", "status"]).exit_code == 0


def test_staff_see_a_delivered_text_and_the_export_says_so(app, client, staff, twilio, sent):
    twilio.report(client, sent, "delivered")
    staff.make(admin=True)  # the export is for admins
    staff.login()
    with app.app_context():
        referral_id = db.session.scalars(select(Referral.id)).one()
    assert "Text not delivered" not in client.get("/staff/referrals").get_data(as_text=True)
    assert "Delivered, " in client.get(f"/staff/referrals/{referral_id}").get_data(as_text=True)
    [row] = csv.DictReader(io.StringIO(staff.export().get_data(as_text=True)))
    assert (row["text_status"], row["text_error_code"]) == ("delivered", "")


def test_a_report_for_another_text_changes_nothing(app, client, twilio, sent):
    stranger = type(sent)("SM" + "f" * 32, sent.to, sent.sender, "", sent.body, sent.status_callback)
    assert twilio.report(client, stranger, "failed") == 204
    assert text_now(app).status == "queued"


def _waiting_text(app, referral_id: int) -> None:
    with app.app_context():
        db.session.add(Outbox(referral_id=referral_id, to_number=CALLER, body="Your reference is IPT-123456.",
                              status=TextStatus.WAITING, next_attempt_at=utcnow()))
        db.session.commit()


def test_two_servers_sending_at_once_send_the_text_once(app, referral, another_app):
    """PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: the claim is an update that only one can make."""
    _waiting_text(app, referral())  # made on a line that does not text: the walk asks nothing more
    other = another_app()  # a second app server on the same database
    with fake_messaging(app, other) as twilio:
        twilio.hold = threading.Event()
        start, handled = threading.Barrier(2), queue.Queue()

        def server(instance) -> None:
            with instance.app_context():
                start.wait()
                try:
                    handled.put(sum(send_due().values()))
                finally:
                    db.session.remove()

        servers = [threading.Thread(target=server, args=(instance,)) for instance in (app, other)]
        for thread in servers:
            thread.start()
        first = handled.get(timeout=20)  # the server that claimed nothing, while Twilio holds the other
        assert twilio.wait_for_requests(1)
        twilio.hold.set()
        second = handled.get(timeout=20)
        for thread in servers:
            thread.join(20)
    with other.app_context():
        db.engine.dispose()
    assert (first, second) == (0, 1)
    assert twilio.requests == 1 and len(twilio.messages) == 1
    assert text_now(app).status == "queued"


def test_a_text_claimed_by_a_server_that_stopped_is_sent_once_its_claim_runs_out(app, runner, referral):
    _waiting_text(app, referral())
    with app.app_context():
        db.session.execute(update(Outbox).values(status="sending", attempts=1,
                                                 claimed_until=utcnow() + timedelta(minutes=4)))
        db.session.commit()
    with fake_messaging(app) as twilio:
        assert runner.invoke(args=["outbox", "send"]).output.startswith("Twilio took 0 texts")  # still claimed
        with app.app_context():
            db.session.execute(update(Outbox).values(claimed_until=utcnow() - timedelta(seconds=1)))
            db.session.commit()
        assert runner.invoke(args=["outbox", "send"]).output.startswith("Twilio took 1 text;")
    assert len(twilio.messages) == 1 and text_now(app).attempts == 2


def test_a_text_twilio_took_while_we_stopped_listening_is_not_sent_again(app, client, runner, twilio):
    app.config["RECORDING_TIMEOUT_SECONDS"] = 1
    twilio.slow = 3  # Twilio takes the text but answers after the app has stopped waiting
    walk_referral(Phone(closing_transport(client), AUTH_TOKEN).dial(), text="1")
    wait_for_texts()
    assert twilio.wait_for_messages(1)
    text = text_now(app)
    assert (text.status, text.error_code, text.twilio_sid) == ("waiting", "unreachable", None)

    [message] = twilio.messages
    assert twilio.report(client, message, "sent") == 204  # Twilio's report says it went after all
    assert (text_now(app).status, text_now(app).twilio_sid) == ("sent", message.sid)
    with app.app_context():
        db.session.execute(update(Outbox).values(next_attempt_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    assert runner.invoke(args=["outbox", "send"]).output.startswith("Twilio took 0 texts")
    assert len(twilio.messages) == 1
