"""In production the line refuses to start without its secrets, and says what to set."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ivr.app import create_app
from ivr.config import ConfigError
from tests.support.line import FLOWS

STRONG_KEY = "4f1c0e9a7b2d4c8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a"


def production(database_url, **settings):
    return {"ENVIRONMENT": "production", "SQLALCHEMY_DATABASE_URI": database_url,
            "TWILIO_AUTH_TOKEN": "a-real-looking-token", "SECRET_KEY": STRONG_KEY,
            "ALLOW_UNSIGNED_WEBHOOKS": False, "PUBLIC_BASE_URL": "https://ivr.example.nhs.uk", "TRUST_PROXY": False,
            **settings}


@pytest.mark.parametrize(("settings", "message"), [
    ({"TWILIO_AUTH_TOKEN": ""}, "Set TWILIO_AUTH_TOKEN to the Twilio account's auth token."),
    ({"SECRET_KEY": "dev"}, "Set SECRET_KEY to a random value of at least 32 characters"),
    ({"SECRET_KEY": "change-me"}, "Set SECRET_KEY to a random value of at least 32 characters"),
    ({"SECRET_KEY": "short-but-not-in-the-weak-list"}, "secrets.token_hex(32)"),
    ({"ALLOW_UNSIGNED_WEBHOOKS": True}, "ALLOW_UNSIGNED_WEBHOOKS must not be set in production."),
    ({"PUBLIC_BASE_URL": ""}, "Set PUBLIC_BASE_URL to the https:// address"),
    ({"PUBLIC_BASE_URL": "http://ivr.example.nhs.uk"}, "Set PUBLIC_BASE_URL to the https:// address"),
    # Finding 21.2: a trusted proxy's X-Forwarded-Host no longer stands in for the public address.
    ({"PUBLIC_BASE_URL": "", "TRUST_PROXY": True}, "TRUST_PROXY does not replace it"),
])
def test_production_refuses_to_start_and_says_what_to_set(database_url, settings, message):
    with pytest.raises(ConfigError) as refused:
        create_app(production(database_url, **settings))
    assert message in str(refused.value)


def test_production_starts_with_a_token_and_a_strong_key(database_url):
    app = create_app(production(database_url))
    assert app.config["ENVIRONMENT"] == "production"


def test_production_starts_behind_a_trusted_proxy_with_its_public_url(database_url):
    app = create_app(production(database_url, TRUST_PROXY=True))
    assert app.config["TRUST_PROXY"] and app.config["TRUSTED_HOSTS"] == ["ivr.example.nhs.uk"]


def test_development_starts_without_secrets_and_still_refuses_unsigned_webhooks(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TWILIO_AUTH_TOKEN": "", "SECRET_KEY": "dev",
                      "ALLOW_UNSIGNED_WEBHOOKS": False})
    assert app.config["ENVIRONMENT"] == "development"
    # Without a token nothing can be checked, so nothing reaches the call logic.
    response = app.test_client().post("/voice/incoming", data={"CallSid": "CA" + "1" * 32, "From": "+447700900123"})
    assert response.status_code == 403


def test_the_operator_sees_the_sentence_when_the_server_will_not_start(database_url):
    env = {key: value for key, value in os.environ.items() if key not in {"TWILIO_AUTH_TOKEN", "SECRET_KEY"}}
    env.update(IVR_ENV="production", DATABASE_URL=database_url, SECRET_KEY=STRONG_KEY)
    started = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=FLOWS.parent, env=env,
                             capture_output=True, text=True, timeout=60)
    assert started.returncode != 0
    assert "Set TWILIO_AUTH_TOKEN to the Twilio account's auth token." in started.stderr


@pytest.mark.parametrize("named", ["Production", "prod", "PRODUCTION", "production ", "staging", "testing", ""])
def test_ivr_env_must_name_a_known_environment_exactly(database_url, named):
    """Finding 21.8: a misspelt production started as development, without production's checks."""
    with pytest.raises(ConfigError) as refused:
        create_app(production(database_url, ENVIRONMENT=named, ALLOW_UNSIGNED_WEBHOOKS=True))
    assert f"IVR_ENV is {named!r}: set it to one of development, production" in str(refused.value)


@pytest.mark.parametrize("named", ["development", "production"])
def test_the_known_environments_start(database_url, named):
    assert create_app(production(database_url, ENVIRONMENT=named)).config["ENVIRONMENT"] == named


def test_a_misspelt_production_with_unsigned_webhooks_does_not_start_the_server(database_url):
    env = {**os.environ, "IVR_ENV": "prod", "ALLOW_UNSIGNED_WEBHOOKS": "1", "DATABASE_URL": database_url}
    started = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=FLOWS.parent, env=env,
                             capture_output=True, text=True, timeout=60)
    assert started.returncode != 0
    assert "IVR_ENV is 'prod': set it to one of development, production" in started.stderr
