"""Texts go only to the caller's own UK mobile, at most one a number a day: a caller cannot aim the line at
someone else's phone. Calls through the signed pretend phone; texts to a fake Twilio on 127.0.0.1."""

from __future__ import annotations

import logging
import os
import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from ivr.extensions import db
from ivr.models import Call, Outbox, Referral, utcnow
from ivr.texts import outbox
from ivr.tools.caller import Caller
from ivr.tools.phone import Phone
from ivr.voice import store
from tests.support.fake_messages import wait_for_texts
from tests.support.line import CALLER, at, walk_referral

LANDLINE = "+441332123456"
SOMEONE_ELSE = "+447400765432"  # a mobile the caller keys in: whose, the line cannot know
OWN_QUESTION = "if that number is your own mobile"
THE_NUMBER = ("7400765432", "07400 765432", "7400 765432", "7400123456", "07400 123456", "7400 123456")



def keyed_referral(call: Phone, number: str, theirs: str) -> Phone:
    """Refer, giving `number` as the one to call back and answering "is it your own mobile?" with `theirs`."""
    at(call, "referral.callback_key", {"referral.callback_offer": "2"})  # not the number they are calling from
    call.press(number.replace("+44", "0")).press("1")  # keyed, and read back right
    assert OWN_QUESTION in call.said
    Caller(call.press(theirs)).to_the_end()  # voicemail, no help, ..., safe
    assert call.ended and "Your reference is" in " ".join(call.transcript)
    return call


def referrals(app) -> list[Referral]:
    with app.app_context():
        found = db.session.scalars(select(Referral).order_by(Referral.id)).all()
        db.session.expunge_all()
        return found


def refusals(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "ivr.texts.outbox" and "no text receipt" in r.msg]


def without_the_number(caplog) -> None:
    written = " ".join(r.getMessage() for r in caplog.records)
    for form in THE_NUMBER:
        assert form not in written


@pytest.mark.parametrize("calling_from", [LANDLINE, "anonymous"])
def test_a_caller_keying_someone_elses_mobile_gets_it_no_text(app, caller, twilio, calling_from):
    keyed_referral(caller(caller_number=calling_from), SOMEONE_ELSE, theirs="2")  # "no, it isn't mine"
    wait_for_texts()
    [referral] = referrals(app)
    assert (referral.status, referral.callback_number) == ("new", SOMEONE_ELSE)  # the referral goes on
    assert (referral.text_ok, referral.own_mobile_confirmed) == (False, False)
    assert twilio.requests == 0


@pytest.mark.parametrize("calling_from", [LANDLINE, "anonymous"])
def test_a_caller_who_says_the_keyed_mobile_is_their_own_gets_their_text(app, caller, twilio, calling_from):
    keyed_referral(caller(caller_number=calling_from), SOMEONE_ELSE, theirs="1")
    wait_for_texts()
    [message] = twilio.messages
    [referral] = referrals(app)
    assert message.to == SOMEONE_ELSE and referral.reference in message.body
    assert referral.own_mobile_confirmed is True


def test_a_mobile_caller_is_not_asked_whether_their_own_number_is_theirs(app, caller, twilio):
    call = walk_referral(caller(), text="1")  # the keys line up only if nothing more is asked
    wait_for_texts()
    assert OWN_QUESTION not in " ".join(call.transcript)
    assert [message.to for message in twilio.messages] == [CALLER]


def test_the_outbox_refuses_a_keyed_number_the_caller_never_said_was_theirs(app, caller, twilio, caplog):
    # A call that was asked the old question before this line was updated: a yes to a text, but no word on
    # whose the number is. The submitting turn comes after the update.
    call = at(caller(caller_number=LANDLINE), "referral.urgent", {  # "yes", voicemail, no help, morning, phone
        "referral.callback_offer": "2", "referral.callback_key": SOMEONE_ELSE.replace("+44", "0"),
        "referral.text_own": "1"})
    with app.app_context():
        db.session.execute(update(Referral).values(own_mobile_confirmed=None))
        db.session.commit()
    caplog.set_level(logging.WARNING, logger="ivr.texts.outbox")
    call.press("2")  # not urgent: the referral is sent
    wait_for_texts()
    [referral] = referrals(app)
    assert (referral.status, referral.text_ok) == ("new", True)
    assert twilio.requests == 0
    assert refusals(caplog) == [f"no text receipt for referral {referral.id}: neither the caller's number nor one "
                                "they said is their own mobile"]
    without_the_number(caplog)


def test_a_number_gets_one_text_receipt_a_day_however_many_calls_give_it(app, caller, twilio, caplog):
    caplog.set_level(logging.WARNING, logger="ivr.texts.outbox")
    walk_referral(caller(), text="1")  # the mobile's owner, calling from it
    keyed_referral(caller(caller_number=LANDLINE), CALLER, theirs="1")  # someone else says it is theirs
    keyed_referral(caller(caller_number="anonymous"), CALLER, theirs="1")
    walk_referral(caller(), text="1")  # a fourth call, from the number itself, within the day
    wait_for_texts()
    sent = referrals(app)
    assert len(sent) == 4 and all(referral.status == "new" for referral in sent)
    assert [message.to for message in twilio.messages] == [CALLER]
    assert sent[0].reference in twilio.messages[0].body
    assert refusals(caplog) == [f"no text receipt for referral {referral.id}: this number had a text receipt "
                                "within the last 24 hours" for referral in sent[1:]]
    without_the_number(caplog)

    with app.app_context():  # a day on, the number may have another
        db.session.execute(update(Outbox).values(created_at=utcnow() - timedelta(hours=24, minutes=1)))
        db.session.commit()
    walk_referral(caller(), text="1")
    wait_for_texts()
    assert [message.to for message in twilio.messages] == [CALLER, CALLER]


def test_the_gap_between_texts_to_a_number_is_a_setting(app, caller, twilio):
    app.config["TEXT_RECEIPT_GAP_HOURS"] = 1
    walk_referral(caller(), text="1")
    wait_for_texts()  # the first text is out before its time is moved back
    with app.app_context():
        db.session.execute(update(Outbox).values(created_at=utcnow() - timedelta(hours=2)))
        db.session.commit()
    walk_referral(caller(), text="1")
    wait_for_texts()
    assert len(twilio.messages) == 2


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"),
                    reason="two transactions at once on separate connections need a real PostgreSQL")
def test_two_referrals_sent_at_the_same_moment_text_a_number_once(app, twilio):
    with app.app_context():
        rows = [Referral(call=Call(call_sid=f"CA{n:032x}"), status="new", callback_number=CALLER) for n in (1, 2)]
        db.session.add_all(rows)
        db.session.commit()
        ids = [(row.id, row.reference) for row in rows]
    first_written, results = threading.Event(), []

    def send_referral(referral_id: int, reference: str, hold: bool) -> None:
        referral = SimpleNamespace(id=referral_id, reference=reference, callback_number=CALLER, text_ok=True,
                                   own_mobile_confirmed=None, voicemail_ok=True, language=None)  # English
        with app.app_context(), store.transaction() as connection:
            outbox.queue_receipt(connection, referral, CALLER)
            if hold:  # the first call's turn is still open when the second's sends its referral
                first_written.set()
                threading.Event().wait(0.5)
        results.append(referral_id)

    first = threading.Thread(target=send_referral, args=(*ids[0], True))
    second = threading.Thread(target=send_referral, args=(*ids[1], False))
    first.start()
    assert first_written.wait(10)
    second.start()
    first.join(10)
    second.join(10)
    assert sorted(results) == sorted(referral_id for referral_id, _ in ids)
    with app.app_context():
        assert db.session.scalars(select(Outbox.referral_id)).all() == [ids[0][0]]
