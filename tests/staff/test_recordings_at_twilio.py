"""Recordings through twilio's own REST client: timed out, credentials never sent on a redirect, no URL by hand."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from ivr import twilio_api
from tests.support.fake_twilio import PREFIX, SOUND, fake_twilio

SID = "RE" + "d" * 32
IVR = Path(__file__).resolve().parents[2] / "ivr"


@pytest.fixture
def twilio(app):
    with fake_twilio(app) as account:
        account.held.add(SID)
        yield account


def test_the_sound_comes_by_twilios_redirect_and_the_other_host_never_sees_our_credentials(app, twilio):
    with app.app_context():
        audio = twilio_api.fetch(SID)
    assert (audio.content, audio.content_type) == (SOUND, "audio/mpeg")
    assert ("GET", f"{PREFIX}{SID}.json") in twilio.requests  # the description, through twilio's client
    assert ("GET", f"{PREFIX}{SID}.mp3") in twilio.requests  # the sound, with our credentials
    [media] = twilio.media_requests  # then the redirect to the media host on another port
    assert "Authorization" not in media and "authorization" not in {name.lower() for name in media}


def test_every_call_goes_through_twilios_client(app, twilio):
    with app.app_context():
        twilio_api.check(SID)
        assert twilio_api.delete(SID)
        assert twilio_api.delete(SID)  # already gone: 404 counts as deleted
        with pytest.raises(twilio_api.RecordingUnavailable, match="no longer has this recording"):
            twilio_api.check(SID)
    assert twilio.requests == [("GET", f"{PREFIX}{SID}.json"), ("DELETE", f"{PREFIX}{SID}.json"),
                               ("DELETE", f"{PREFIX}{SID}.json"), ("GET", f"{PREFIX}{SID}.json")]


def test_a_twilio_that_never_answers_is_given_up_on(app, twilio):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections, never answers
    try:
        app.config.update(TWILIO_API_BASE_URL=f"http://127.0.0.1:{silent.getsockname()[1]}",
                          RECORDING_TIMEOUT_SECONDS=1)
        with app.app_context():
            with pytest.raises(twilio_api.RecordingUnavailable, match="could not be reached"):
                twilio_api.fetch(SID)
            assert twilio_api.delete(SID) is False
    finally:
        silent.close()


def test_nothing_in_ivr_builds_a_url_to_twilios_api_by_hand():
    """Every REST call goes through twilio.rest.Client (ivr.twilio_api.client()), which knows the address."""
    hand_built = re.compile(r"api\.twilio\.com|/20\d\d-\d\d-\d\d/Accounts")
    offenders = [f"{path.relative_to(IVR.parent)}:{number}"
                 for path in IVR.rglob("*.py")
                 for number, line in enumerate(path.read_text().splitlines(), start=1)
                 if hand_built.search(line)]
    assert offenders == []
    assert hand_built.search('url = "https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json"')
