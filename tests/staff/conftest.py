"""Fixtures for the dashboard's tests."""

import pytest


@pytest.fixture
def required(app):
    """STAFF_REQUIRE_2FA on, as in production: logins need an authenticator app's code after the password."""
    app.config["STAFF_REQUIRE_2FA"] = True
