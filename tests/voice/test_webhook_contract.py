"""What an operator relies on: signatures checked behind a proxy, and an apology, not silence, on a fault."""

import logging
import xml.etree.ElementTree as ET

from twilio.request_validator import RequestValidator

from ivr.tools.phone import Phone, flask_transport
from ivr.voice import turn
from tests.support.line import AUTH_TOKEN


def test_behind_a_tls_proxy_the_public_url_is_the_one_checked(app, client):
    app.config["PUBLIC_BASE_URL"] = "https://ivr.derbyshire.example"
    # Twilio signs the public https URL; the app itself is reached over plain http by the proxy.
    call = Phone(flask_transport_to(client, "http://10.0.0.5:8000"), AUTH_TOKEN,
                 base_url="https://ivr.derbyshire.example").dial()
    assert "the I P T line" in call.said
    # A signature for the internal URL is not accepted.
    form = {"CallSid": "CAinternal", "From": "+447400123456"}
    internal = RequestValidator(AUTH_TOKEN).compute_signature("http://10.0.0.5:8000/voice/incoming", form)
    response = client.post("http://10.0.0.5:8000/voice/incoming", data=form,
                           headers={"X-Twilio-Signature": internal})
    assert response.status_code == 403


def flask_transport_to(client, internal_base: str):
    """Send each request to the app's internal address, keeping the signature made for the public URL."""
    send = flask_transport(client)

    def proxied(url, form, headers):
        path = url.split("://", 1)[1].split("/", 1)[1]
        return send(f"{internal_base}/{path}", form, headers)

    return proxied


def test_an_unexpected_fault_apologises_gives_the_alternatives_and_hangs_up(app, phone, monkeypatch, caplog):
    call = phone()

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(turn, "advance", broken)
    with caplog.at_level(logging.ERROR):
        call.press("2")
    assert "something has gone wrong on our side" in call.said
    assert "refer yourself through our website" in call.said and "9 9 9" in call.said
    assert call.ended and call.responses[-1][-1].tag == "Hangup"
    assert call.call_sid in caplog.text
    assert all(ET.tostring(r).startswith(b"<Response") for r in call.responses)


def test_a_signature_over_the_url_with_its_port_is_accepted_and_a_garbled_one_refused(app, client):
    app.config["PUBLIC_BASE_URL"] = "https://ivr.derbyshire.example"
    form = {"CallSid": "CA" + "2" * 32, "From": "+447400123456"}
    # Twilio may sign the address with the scheme's port written out (twilio's validate() tries both).
    with_port = RequestValidator(AUTH_TOKEN).compute_signature("https://ivr.derbyshire.example:443/voice/incoming",
                                                              form)
    answered = client.post("/voice/incoming", data=form, headers={"X-Twilio-Signature": with_port})
    assert answered.status_code == 200 and b"<Say" in answered.data
    garbled = client.post("/voice/incoming", data=form, headers={"X-Twilio-Signature": "sïgnature=="})
    assert garbled.status_code == 403
