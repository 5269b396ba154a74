"""Call now: ring a member of staff's phone, then put them through to a caller, showing the line's number to both.

`attempts` starts a call through Twilio's REST API and logs how it ended; `bridge` holds the Twilio-signed
webhooks the staff member's call fetches (under /voice/bridge/). The staff dashboard imports this package,
never ivr.voice.
"""

from flask import Blueprint

bp = Blueprint("callnow", __name__, url_prefix="/voice/bridge")

from ivr.callnow import bridge  # noqa: E402,F401  (registers the routes)
