"""Twilio's webhooks: the phone line itself."""

from flask import Blueprint

bp = Blueprint("voice", __name__, url_prefix="/voice")

from ivr.voice import interpreting, views  # noqa: E402,F401  (registers the routes)
