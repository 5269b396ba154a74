"""Finding 21.2 for texts: the status callback Twilio is given is always under PUBLIC_BASE_URL. Without one no
caller is offered a text, and a text already waiting stays waiting, with a log line saying what to set."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select, update

from ivr.extensions import db
from ivr.models import Outbox, TextStatus, utcnow
from ivr.tools.phone import Phone
from tests.support.fake_messages import closing_transport, fake_messaging, wait_for_texts
from tests.support.line import AUTH_TOKEN, PUBLIC, walk_referral

ATTACKER = "https://attacker.example"
QUESTION = "Can we text you your reference"


def _outbox(app) -> list[Outbox]:
    with app.app_context():
        texts = db.session.scalars(select(Outbox)).all()
        db.session.expunge_all()
        return texts


def test_without_a_public_address_no_text_is_offered_whatever_host_the_webhooks_name(app, client):
    with fake_messaging(app) as twilio:
        app.config["PUBLIC_BASE_URL"] = ""
        # Webhooks signed for, and sent to, another host: the line has no address of its own to go by.
        call = walk_referral(Phone(closing_transport(client), AUTH_TOKEN, base_url=ATTACKER).dial())
        call.hang_up()
        wait_for_texts()
    heard = " ".join(call.transcript)
    assert "Your reference is" in heard and QUESTION not in heard
    assert twilio.messages == [] and _outbox(app) == []


def test_the_status_callback_is_under_the_public_address_whatever_host_the_webhooks_name(app, client):
    def to_another_host(url: str, form: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        return closing_transport(client)(url.replace(PUBLIC, ATTACKER), form, headers)

    with fake_messaging(app) as twilio:  # the line's address set after start-up: no host check in force
        walk_referral(Phone(to_another_host, AUTH_TOKEN).dial(), text="1").hang_up()
        wait_for_texts()
    [message] = twilio.messages
    [text] = _outbox(app)
    assert message.status_callback == f"{PUBLIC}/voice/text-status?outbox={text.id}"


def test_a_waiting_text_goes_only_once_there_is_a_public_address_and_with_that_callback(app, client, runner,
                                                                                        caplog):
    with fake_messaging(app) as twilio:
        walk_referral(Phone(closing_transport(client), AUTH_TOKEN).dial(), text="1").hang_up()
        wait_for_texts()
        assert len(twilio.messages) == 1
        twilio.messages.clear()
        with app.app_context():  # as a text written before this fix kept it: the URL of a request's Host
            db.session.execute(update(Outbox).values(
                status=TextStatus.WAITING, twilio_sid=None, next_attempt_at=utcnow(),
                status_callback=f"{ATTACKER}/voice/text-status?outbox=1"))
            db.session.commit()

        app.config["PUBLIC_BASE_URL"] = ""
        with caplog.at_level(logging.WARNING):
            assert runner.invoke(args=["outbox", "send"]).exit_code == 0
        assert twilio.messages == []
        assert "set PUBLIC_BASE_URL (the address Twilio reports on texts at) to send it" in caplog.text
        [text] = _outbox(app)
        assert (text.status, text.error_code) == ("waiting", "no public url")

        app.config["PUBLIC_BASE_URL"] = PUBLIC
        with app.app_context():
            db.session.execute(update(Outbox).values(next_attempt_at=utcnow() - timedelta(minutes=1)))
            db.session.commit()
        assert runner.invoke(args=["outbox", "send"]).exit_code == 0
    [message] = twilio.messages
    assert message.status_callback == f"{PUBLIC}/voice/text-status?outbox={text.id}"


def test_a_line_set_up_to_text_without_a_public_address_says_so_at_start_up(another_app, caplog):
    with caplog.at_level(logging.WARNING):
        another_app(TWILIO_ACCOUNT_SID="AC" + "2" * 32, TWILIO_PHONE_NUMBER="+441332000000", PUBLIC_BASE_URL="")
    assert "text receipts are off, and callers are not offered one: set PUBLIC_BASE_URL" in caplog.text
