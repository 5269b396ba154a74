"""What the text tests share: the fake Twilio Messages API, and calls whose responses close as a server's do."""

from __future__ import annotations

import pytest

from ivr.tools.phone import Phone
from tests.support.fake_messages import closing_transport, fake_messaging
from tests.support.line import AUTH_TOKEN


@pytest.fixture
def twilio(app):
    with fake_messaging(app) as account:
        yield account


@pytest.fixture
def caller(client):
    """Make a call through a transport that closes each response, as a WSGI server does (texts go then)."""

    def dial(**kwargs) -> Phone:
        return Phone(closing_transport(client), AUTH_TOKEN, **kwargs).dial()

    return dial
