"""Forged webhooks that name a signing algorithm: every one is refused with 403, and nothing is kept or replayed.

The review's attack: a bogus X-Twilio-Signature with X-Twilio-Webhooks-Signature-Settings naming MD5 made
twilio's compute_signature raise; the error handler then answered 200 and spooled the unsigned form, which
`flask spool replay` turned into a referral in the forger's name.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from ivr.extensions import db
from ivr.models import Call, CallNowAttempt, Referral, StaffUser, token_hash, utcnow
from ivr.tools.phone import Phone, flask_transport
from tests.support.faults import spooled
from tests.support.line import AUTH_TOKEN, CALLER, at, walk_referral

SETTINGS = "X-Twilio-Webhooks-Signature-Settings"
# What the forger names: algorithms twilio cannot compute, none, two, and no key=value list at all.
FORGED_SETTINGS = [
    "algorithm=MD5", "algorithm=SHA999", "algorithm=", "key=webhooks_sharedkey_01,algorithm=",
    "garbage", "algorithm", "=,=", "algorithm=HMAC_SHA1,algorithm=MD5", "algorithm=hmac_sha256", "",
]
BOGUS = "bm90IGEgc2lnbmF0dXJl"  # base64 of "not a signature"
FORGER = "+447700900666"
TOKEN = "t" * 43  # a Call now bridge token, as secrets.token_urlsafe(32) makes them
BRIDGE_SID = "CA" + "b" * 32


def everything_stored(app) -> dict[str, list[tuple]]:
    """Every row of every table: what a refused request must leave exactly as it was."""
    with app.app_context():
        return {table.name: sorted(map(tuple, db.session.execute(table.select()).all()), key=repr)
                for table in db.metadata.sorted_tables}


def spool_files(app) -> list[Path]:
    root = Path(app.config["SPOOL_DIR"])
    return sorted(root.rglob("*")) if root.exists() else []


@pytest.fixture
def worth_forging(app, phone, staff, referral):
    """A call in progress at its date of birth, and a Call now whose staff member has answered: the state a forged
    answer, hang-up, connect or dial would change, or read back."""
    referral_id = referral()
    staff_id = staff.make()
    with app.app_context():
        db.session.add(CallNowAttempt(token_hash=token_hash(TOKEN), staff=db.session.get(StaffUser, staff_id),
                                      referral=db.session.get(Referral, referral_id), call_sid=BRIDGE_SID,
                                      outcome="requested", used_at=utcnow() - timedelta(seconds=5)))
        db.session.commit()
    app.config["TWILIO_PHONE_NUMBER"] = "+441332555000"
    return at(phone(), "referral.date_of_birth_confirm")  # "14 March 1988. Is that right?"


def forged_requests(app, call) -> list[tuple[str, dict[str, str]]]:
    """One forged request for every webhook the line serves (every POST route under /voice/), each with what would
    do most harm were it believed: a new caller, a confirmed answer, a hang-up, a put-through, a logged dial."""
    with app.app_context():
        seq = db.session.scalars(select(Call.seq).where(Call.call_sid == call.call_sid)).one()
    ongoing = {"CallSid": call.call_sid, "AccountSid": call.account_sid, "From": FORGER, "To": call.line_number,
               "CallStatus": "in-progress", "Direction": "inbound", "ApiVersion": "2010-04-01"}
    forms = {
        "voice.incoming": ({**ongoing, "CallSid": "CA" + "f" * 32, "CallStatus": "ringing"}, ""),
        "voice.answer": ({**ongoing, "Digits": "1"}, f"?seq={seq}"),
        "voice.status": ({**ongoing, "CallStatus": "completed", "CallDuration": "60"}, ""),
        "voice.text-status": ({"MessageSid": "SM" + "f" * 32, "MessageStatus": "delivered"}, "?outbox=1"),
        "voice.fallback": ({**ongoing, "Digits": "1", "ErrorCode": "11200",
                            "ErrorUrl": f"https://ivr.example.nhs.uk/voice/answer?seq={seq}"}, ""),
        "callnow.answered": ({**ongoing, "CallSid": BRIDGE_SID}, ""),
        "callnow.connect": ({**ongoing, "CallSid": BRIDGE_SID, "Digits": "1"}, ""),
        "callnow.dialled": ({**ongoing, "CallSid": BRIDGE_SID, "DialCallStatus": "completed",
                             "DialCallDuration": "30"}, ""),
        "callnow.ended": ({**ongoing, "CallSid": BRIDGE_SID, "CallStatus": "completed"}, ""),
    }
    requests = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/voice/") and "POST" in rule.methods:
            form, query = forms.get(rule.endpoint, ({**ongoing, "Digits": "1", "RecordingSid": "RE" + "f" * 32,
                                                    "RecordingUrl": "https://api.twilio.com/x"}, ""))
            requests.append((rule.rule.replace("<token>", TOKEN) + query, form))
    assert {path.split("?")[0] for path, _ in requests} >= {  # every kind of voice webhook, and any added later
        "/voice/incoming", "/voice/answer", "/voice/status", "/voice/text-status", "/voice/fallback",
        f"/voice/bridge/{TOKEN}", f"/voice/bridge/{TOKEN}/connect", f"/voice/bridge/{TOKEN}/dialled",
        f"/voice/bridge/{TOKEN}/ended"}
    return requests


@pytest.mark.parametrize("settings", FORGED_SETTINGS)
def test_a_forged_webhook_naming_any_algorithm_is_refused_at_every_endpoint(app, client, runner, worth_forging,
                                                                             settings, caplog):
    before = everything_stored(app)
    for path, form in forged_requests(app, worth_forging):
        for signature in (BOGUS, "", RequestValidator("not the token").compute_signature(
                "http://localhost" + path, form)):
            response = client.post(path, data=form, headers={"X-Twilio-Signature": signature, SETTINGS: settings})
            assert response.status_code == 403, (path, settings, response.get_data(as_text=True)[:200])
            body = response.get_data(as_text=True)
            assert "1988" not in body and CALLER not in body and FORGER not in body
    assert spool_files(app) == []
    assert everything_stored(app) == before
    assert "refused a request to /voice/bridge/<token>/connect" in caplog.text  # the route, not the token
    assert TOKEN not in caplog.text and FORGER not in caplog.text

    replayed = runner.invoke(args=["spool", "replay"])
    assert replayed.exit_code == 0 and "Replayed 0 of 0" in replayed.output, replayed.output
    assert everything_stored(app) == before
    assert worth_forging.press("1").waiting_for is not None  # the real caller carries on, unaware


def test_a_whole_referral_forged_turn_by_turn_becomes_nothing(app, client, runner):
    """The review's 42 requests: each turn of a real referral, sent again by a forger under their own CallSid and
    number with each algorithm; none is answered, and no replay makes a referral of them."""
    forger_sid, refused = "CA" + "e" * 32, []
    genuine = flask_transport(client)

    def forger_alongside(url: str, form: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        forged = {**form, "CallSid": forger_sid, "From": FORGER, "Caller": FORGER}
        for settings in ("algorithm=MD5", "algorithm=SHA999", "algorithm="):
            refused.append(client.post(url, data=forged, headers={"X-Twilio-Signature": BOGUS,
                                                                  SETTINGS: settings}).status_code)
        return genuine(url, form, headers)

    call = walk_referral(Phone(forger_alongside, AUTH_TOKEN).dial())
    call.hang_up()
    assert len(refused) >= 42 and set(refused) == {403}
    assert spooled(app) == []
    replayed = runner.invoke(args=["spool", "replay"])
    assert replayed.exit_code == 0 and "Replayed 0 of 0" in replayed.output, replayed.output
    with app.app_context():
        assert db.session.scalars(select(Call).where(Call.call_sid == forger_sid)).first() is None
        assert [r.callback_number for r in db.session.scalars(select(Referral))] == [CALLER]


@pytest.mark.parametrize("settings", [None, "algorithm=HMAC_SHA1", "key=webhooks_sharedkey_01,algorithm=HMAC_SHA256",
                                      " algorithm = HMAC_SHA256 , key=webhooks_sharedkey_01"])
def test_the_algorithms_twilio_documents_still_pass(client, settings):
    """HMAC-SHA1 by default, or the documented algorithm the settings header names
    (https://www.twilio.com/docs/usage/webhooks/webhook-shared-keys)."""
    url, form = "http://localhost/voice/incoming", {"CallSid": "CA" + "3" * 32, "From": CALLER,
                                                     "CallStatus": "ringing"}
    algorithm = "HMAC_SHA256" if settings and "SHA256" in settings else "HMAC_SHA1"
    headers = {"X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(url, form, algorithm)}
    if settings is not None:
        headers[SETTINGS] = settings
    response = client.post(url, data=form, headers=headers)
    assert response.status_code == 200 and "<Gather" in response.get_data(as_text=True)
