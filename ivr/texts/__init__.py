"""Text receipts by SMS: the reference and what happens next, sent with the caller's consent, once, never lost.

outbox: written with the referral, moved on by Twilio's status callbacks. sender: claims and sends.
compose: the words, from prompts/texts.yaml. cli: `flask outbox send|status`. Here: the wiring, and the
send that starts once the caller's webhook has been answered, so the caller never waits on Twilio.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, Response, current_app, g

from ivr.extensions import db
from ivr.texts import compose, outbox
from ivr.texts.sender import send_due

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Load and check the text's wording, and send new texts after each answer."""
    app.extensions[outbox.TEMPLATE] = compose.load(app.config["PROMPTS_DIR"])
    # Each offered language's own wording (prompts/texts.pl-PL.yaml), where there is one; English's otherwise.
    languages = app.extensions["ivr_line"].languages if "ivr_line" in app.extensions else {}
    app.extensions[outbox.TEMPLATES] = {code: template for code in languages
                                        if (template := compose.load(app.config["PROMPTS_DIR"], code)) is not None}
    app.after_request(_send_once_answered)
    config = app.config
    if config["TWILIO_ACCOUNT_SID"] and config["TWILIO_PHONE_NUMBER"] and not config["PUBLIC_BASE_URL"]:
        # Not queued to wait: a caller is never told a text is coming that cannot be sent.
        log.warning("text receipts are off, and callers are not offered one: set PUBLIC_BASE_URL, the address "
                    "Twilio reports on each text at")


def _send_once_answered(response: Response) -> Response:
    """Texts this request wrote go out from a thread started once the response is on its way to Twilio."""
    text_ids = g.pop(outbox.QUEUED_NOW, None)
    if text_ids:
        app = current_app._get_current_object()
        response.call_on_close(lambda: threading.Thread(
            target=_send_now, args=(app, text_ids), name="text-receipt", daemon=True).start())
    return response


def _send_now(app: Flask, text_ids: list[int]) -> None:
    """Send these texts now; whatever cannot go is left for `flask outbox send` to retry."""
    with app.app_context():
        try:
            send_due(only=text_ids)
        except Exception:  # the database or the network: the outbox keeps the text for the next run
            log.exception("could not send text receipts %s now; `flask outbox send` will", text_ids)
        finally:
            db.session.remove()
