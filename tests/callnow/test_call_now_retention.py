"""A purged referral takes its call-now attempts with it, and the callback attempts they logged."""

from __future__ import annotations

from sqlalchemy import select

from ivr.extensions import db
from ivr.models import CallbackAttempt, CallNowAttempt, StaffUser, token_hash
from ivr.upkeep.retention import purge
from tests.support.fake_twilio import fake_twilio
from tests.support.line import at
from tests.support.records import age, call_for


def test_a_purged_referral_takes_its_call_now_attempts(app, phone):
    dropped = at(phone(), "referral.practice")
    dropped.hang_up()
    kept = at(phone(), "referral.practice")
    kept.hang_up()
    with app.app_context():
        staff = StaffUser(email="sam@nhs.example", password_hash="x")
        for sid in (dropped.call_sid, kept.call_sid):
            referral = call_for(sid).referral
            logged = CallbackAttempt(staff=staff, outcome="busy", referral=referral)
            db.session.add(CallNowAttempt(token_hash=token_hash(sid), staff=staff, referral=referral,
                                          outcome="busy", callback_attempt=logged))
        db.session.commit()
        age(dropped.call_sid, days=40)
        with fake_twilio(app):
            counts = purge()
        assert counts["referrals_incomplete"] == 1
        remaining = db.session.scalars(select(CallNowAttempt)).all()
        assert [a.referral.call.call_sid for a in remaining] == [kept.call_sid]
        assert db.session.scalars(select(CallbackAttempt.id)).all() == [remaining[0].callback_attempt_id]
