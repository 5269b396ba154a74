"""Any signed request to the bridge, whatever its token and parameters: TwiML or a plain 4xx, never a crash."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from tests.support.faults import watch_errors
from tests.support.line import AUTH_TOKEN
from tests.support.twiml import PROPERTY, checked_twiml, text

FIELDS = ("CallSid", "Digits", "DialCallStatus", "DialCallDuration", "CallStatus")
form = st.fixed_dictionaries({}, optional={name: text for name in FIELDS})
token = st.one_of(text.filter(bool), st.text("abcdefABCDEF0123456789_-", min_size=20, max_size=60))


@PROPERTY
@given(token=token, step=st.sampled_from(["", "/connect", "/dialled", "/ended"]), params=form)
def test_the_bridge_answers_any_signed_request_calmly(app, client, token, step, params):
    errors = watch_errors(app)
    path = f"/voice/bridge/{quote(token, safe='')}{step}"
    signature = RequestValidator(AUTH_TOKEN).compute_signature(f"http://localhost{path}", params)
    root = checked_twiml(client.post(path, data=params, headers={"X-Twilio-Signature": signature}))
    if root is not None:  # nobody is ever rung for a token that names no attempt
        assert root.find("Dial") is None
    assert not errors.records, [r.getMessage() for r in errors.records]


def test_a_token_with_a_slash_is_refused_not_redirected(client):
    """Found by the property test: '/0' as a token made Werkzeug merge the slashes and answer 308."""
    path = "/voice/bridge/%2F0"
    signature = RequestValidator(AUTH_TOKEN).compute_signature(f"http://localhost{path}", {})
    assert client.post(path, headers={"X-Twilio-Signature": signature}).status_code == 404
