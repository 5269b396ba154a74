"""Text receipts end to end: the consent question, one text per referral through twilio's own client to a
fake Twilio on 127.0.0.1, sent after the caller's webhook has been answered, retried after an outage."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select, update

from ivr.extensions import db
from ivr.models import Outbox, Referral, utcnow
from ivr.tools.caller import Caller
from ivr.tools.phone import Phone
from tests.support.fake_messages import wait_for_texts
from tests.support.line import CALLER, at, heard_sent, walk_referral

QUESTION = "Can we text you your reference"
LANDLINE = "+441332123456"



def stored(app) -> tuple[Referral, Outbox | None]:
    with app.app_context():
        referral = db.session.scalars(select(Referral)).one()
        db.session.expunge_all()
        return referral, db.session.scalars(select(Outbox)).first()


def heard(call: Phone) -> str:
    return " ".join(call.transcript)


def test_a_consenting_mobile_caller_gets_one_text_with_the_reference_and_nothing_personal(app, caller, twilio):
    twilio.hold = threading.Event()  # Twilio is slow to answer: the caller must not wait for it
    call = walk_referral(caller(), text="1")

    assert heard_sent(call)  # the caller has their answer...
    assert twilio.wait_for_requests(1) and twilio.messages == []  # ...while Twilio is still being asked
    twilio.hold.set()
    wait_for_texts()

    referral, text = stored(app)
    [message] = twilio.messages
    # Sent from, and naming, the number the goodbye says we call from (settings.yaml), not the line's own number.
    assert (message.to, message.sender, message.messaging_service_sid) == (CALLER, "+443001230542", "")
    body = message.body
    assert referral.reference in body and "within 3 working days, from 0300 123 0542" in body
    assert "999" in body and "NHS 111 option 2" in body and "Samaritans on 116 123" in body
    assert body.startswith("NHS Talking Therapies for Derby and Derbyshire:")  # they agreed to a voicemail naming it
    for personal in ("Jane", "Smith", "1988", "14 March", "14/03", "somewhere", "07400", "123456"):
        assert personal not in body
    assert message.status_callback == f"https://ivr.example.nhs.uk/voice/text-status?outbox={text.id}"
    assert (text.status, text.twilio_sid, text.attempts, text.body) == ("queued", message.sid, 1, body)
    assert referral.text_ok is True

    call.hang_up()  # no second text however the call ends
    wait_for_texts()
    assert twilio.requests == 1


def test_twilio_sending_the_same_webhook_again_sends_no_second_text(app, caller, twilio):
    call = at(caller(), "referral.reference", {"referral.text_consent": "1"})  # the referral is sent
    summary = call.responses[-2].find("Gather").get("action")  # the question whose answer sent it
    code, again = call._post(summary, {"Digits": "2"})  # Twilio retries that webhook
    assert code == 200 and "Your reference is" in again
    wait_for_texts()
    assert len(twilio.messages) == 1
    with app.app_context():
        assert len(db.session.scalars(select(Outbox)).all()) == 1


def test_a_caller_who_says_no_gets_no_text(app, caller, twilio):
    call = walk_referral(caller(), text="2")
    call.hang_up()
    wait_for_texts()

    assert QUESTION in heard(call)
    referral, text = stored(app)
    assert (referral.status, referral.text_ok, text) == ("new", False, None)
    assert twilio.requests == 0


def test_the_question_is_answered_by_speech_too(app, caller, twilio):
    call = at(caller(), "referral.text_consent")
    assert QUESTION in call.said
    call.say("yes please")
    assert "voicemail" in call.said
    walk_on = Caller(call).to_the_end()  # voicemail, no help, morning, phone, safe
    assert heard_sent(walk_on)
    wait_for_texts()
    assert stored(app)[0].text_ok is True and len(twilio.messages) == 1


def test_a_landline_caller_is_not_asked(app, caller, twilio):
    call = walk_referral(caller(caller_number=LANDLINE))
    call.hang_up()
    wait_for_texts()

    assert QUESTION not in heard(call)
    referral, text = stored(app)
    assert (referral.status, referral.callback_number, referral.voicemail_ok) == ("new", LANDLINE, True)
    assert (referral.best_time, referral.session_preference) == ("morning", None)
    assert (referral.text_ok, text) == (None, None) and twilio.requests == 0


def test_a_landline_caller_who_gives_their_own_mobile_is_asked_and_texted(app, caller, twilio):
    call = at(caller(caller_number=LANDLINE), "referral.text_own",  # not this number: a mobile, confirmed
              {"referral.callback_offer": "2", "referral.callback_key": "07400123456"})
    assert "if that number is your own mobile" in call.said  # keyed: a text only if it is theirs
    Caller(call.press("1")).to_the_end()  # theirs, text; voicemail, no help, ...
    wait_for_texts()
    [message] = twilio.messages
    assert message.to == CALLER


def test_a_line_without_a_twilio_account_does_not_ask(app, caller):
    call = walk_referral(caller())  # a mobile, but TWILIO_ACCOUNT_SID is not set
    call.hang_up()
    assert QUESTION not in heard(call)
    referral, text = stored(app)
    assert (referral.status, referral.text_ok, text) == ("new", None, None)


def test_a_caller_who_said_no_to_a_voicemail_gets_a_text_that_says_only_nhs(app, caller, twilio):
    walk_referral(caller(), text="1", voicemail="2")
    wait_for_texts()
    [message] = twilio.messages
    assert message.body.startswith("NHS: we have your referral.")
    assert "Talking Therapies" not in message.body and "Derbyshire" not in message.body


def test_a_messaging_service_sends_it_when_one_is_set(app, caller, twilio):
    app.config["TWILIO_MESSAGING_SERVICE_SID"] = "MG" + "3" * 32
    walk_referral(caller(), text="1")
    wait_for_texts()
    [message] = twilio.messages
    assert (message.messaging_service_sid, message.sender) == ("MG" + "3" * 32, "")
    assert stored(app)[1].status == "queued"  # Twilio's "accepted"


def _a_minute_passes(app) -> None:
    with app.app_context():
        db.session.execute(update(Outbox).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()


def test_twilio_failing_once_delays_the_text_and_outbox_send_sends_it(app, caller, runner, twilio):
    twilio.errors = [500]
    call = walk_referral(caller(), text="1")
    assert heard_sent(call)
    wait_for_texts()
    _, text = stored(app)
    assert (text.status, text.attempts, text.error_code) == ("waiting", 1, "20500")
    assert twilio.messages == []

    early = runner.invoke(args=["outbox", "send"])  # cron, a moment later: not due yet
    assert early.exit_code == 0 and "Twilio took 0 texts" in early.output and twilio.requests == 1
    assert runner.invoke(args=["outbox", "status"]).exit_code == 0  # waiting, but not for long

    _a_minute_passes(app)
    sent = runner.invoke(args=["outbox", "send"])
    assert sent.exit_code == 0 and "Twilio took 1 text;" in sent.output, sent.output
    [message] = twilio.messages
    _, text = stored(app)
    assert (text.status, text.attempts, text.error_code, text.twilio_sid) == ("queued", 2, None, message.sid)
    assert runner.invoke(args=["outbox", "send"]).output.startswith("Twilio took 0 texts")
    assert len(twilio.messages) == 1


def test_outbox_status_alerts_while_a_text_has_waited_over_ten_minutes(app, caller, runner, twilio):
    twilio.errors = [503, 503, 503]
    walk_referral(caller(), text="1")
    wait_for_texts()
    with app.app_context():
        db.session.execute(update(Outbox).values(created_at=utcnow() - timedelta(minutes=11)))
        db.session.commit()

    late = runner.invoke(args=["outbox", "status"])
    assert late.exit_code == 1 and "1 text waited more than 10 minutes to be sent" in late.output
    _a_minute_passes(app)
    assert "1 text to try again later" in runner.invoke(args=["outbox", "send"]).output  # Twilio still down
    _a_minute_passes(app)
    runner.invoke(args=["outbox", "send"])
    _a_minute_passes(app)
    assert "Twilio took 1 text" in runner.invoke(args=["outbox", "send"]).output  # back: sent, never lost
    assert runner.invoke(args=["outbox", "status"]).exit_code == 0
    assert len(twilio.messages) == 1


def test_a_number_twilio_refuses_fails_for_good_and_is_reported(app, caller, runner, twilio):
    twilio.errors = [400]  # e.g. a number that cannot take texts: trying again will not help
    walk_referral(caller(), text="1")
    wait_for_texts()
    _, text = stored(app)
    assert (text.status, text.error_code) == ("failed", "21211")
    _a_minute_passes(app)
    assert runner.invoke(args=["outbox", "send"]).output.startswith("Twilio took 0 texts")
    status = runner.invoke(args=["outbox", "status"])
    assert status.exit_code == 1 and "1 text failed or could not be delivered" in status.output


def test_a_caller_who_goes_through_again_and_gives_a_landline_gets_no_text(app, caller, twilio):
    call = at(caller(), "referral.text_consent").press("1")  # their mobile; yes to a text
    call.press("0").press("0").press("2")  # ...then back to the main menu, and refer again
    at(call, "referral.voicemail", {"referral.callback_offer": "2", "referral.callback_key": "01332123456"})
    assert "voicemail" in call.said  # this time a landline
    Caller(call).to_the_end()
    assert heard_sent(call)
    wait_for_texts()
    referral, text = stored(app)
    assert (referral.callback_number, referral.text_ok, text) == (LANDLINE, None, None)
    assert twilio.requests == 0
