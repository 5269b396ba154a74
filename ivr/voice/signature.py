"""Only requests Twilio signed reach the call logic: everything else, and anything that fails while checking, gets 403.

A request that passes is marked on flask.g as verified (ivr.upkeep.spool.VERIFIED): the spool keeps no other.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from functools import wraps

from flask import Request, abort, current_app, g, request
from twilio.request_validator import (
    HMAC_SHA1,
    HMAC_SHA256,
    SIGNATURE_HEADER,
    SIGNATURE_SETTINGS_HEADER,
    RequestValidator,
)
from werkzeug.datastructures import MultiDict

from ivr.upkeep.spool import VERIFIED

# The algorithms Twilio signs with: HMAC-SHA1 by default, or the one a Webhook Setting names in the
# X-Twilio-Webhooks-Signature-Settings header ("key=<key id>,algorithm=HMAC_SHA256"). Twilio documents these two
# (https://www.twilio.com/docs/usage/webhooks/webhooks-security, .../webhooks/webhook-shared-keys), as does
# twilio-python 9.13's request_validator (_HASH_FUNCTIONS). Anything else is refused before any hashing: twilio's
# compute_signature() raises ValueError for an algorithm it does not know.
ALGORITHMS = (HMAC_SHA1, HMAC_SHA256)
HASHES = {HMAC_SHA1: hashlib.sha1, HMAC_SHA256: hashlib.sha256}


def signed_url(asked: Request, base: str) -> str:
    """The URL Twilio requested and signed: the public base URL when one is set, as a proxy hides it."""
    if not base:
        return asked.url
    query = asked.query_string.decode("utf-8", "replace")
    return f"{base}{asked.path}" + (f"?{query}" if query else "")


def twilio_signed(view: Callable) -> Callable:
    """Refuse (403) any request without a valid X-Twilio-Signature; mark the others as verified."""

    @wraps(view)
    def checked(*args, **kwargs):
        config = current_app.config
        if not config["ALLOW_UNSIGNED_WEBHOOKS"]:
            if not _signed_by_twilio(request._get_current_object(), config):  # the request once, not by its proxy
                abort(403)
            setattr(g, VERIFIED, True)
        return view(*args, **kwargs)

    return checked


def _signed_by_twilio(asked: Request, config: dict) -> bool:
    """Whether Twilio signed this request; False for any doubt, and for any error while finding out (fail closed)."""
    try:
        token, signature = config["TWILIO_AUTH_TOKEN"], asked.headers.get(SIGNATURE_HEADER, "")
        algorithm = signature_algorithm(asked.headers.get(SIGNATURE_SETTINGS_HEADER))
        if algorithm is None:
            current_app.logger.warning("refused a request to %s: its signature settings name no algorithm Twilio "
                                       "documents", _route())
            return False
        if token and signature and _valid(token, signature, algorithm, signed_url(asked, config["PUBLIC_BASE_URL"]),
                                          asked.form):
            return True
    except Exception as error:  # a header or body that cannot even be checked is no signature
        current_app.logger.warning("refused a request to %s: checking its signature failed (%s)", _route(),
                                   type(error).__name__)
        return False
    current_app.logger.warning("refused an unsigned or forged request to %s", _route())
    return False


def _route() -> str:
    """The refused request's route for the log, not its path: a bridge's path holds its one-time token."""
    return request.url_rule.rule if request.url_rule else "?"


def signature_algorithm(settings: str | None) -> str | None:
    """The algorithm the request says Twilio signed it with: HMAC-SHA1 without the settings header; None when the
    header names no algorithm Twilio documents, names two, or is not Twilio's key=value list at all."""
    if settings is None:
        return HMAC_SHA1
    named = [value.strip() for name, _, value in (part.partition("=") for part in settings.split(","))
             if name.strip() == "algorithm"]
    return named[0] if len(named) == 1 and named[0] in ALGORITHMS else None


def _valid(token: str, signature: str, algorithm: str, url: str, form: MultiDict[str, str]) -> bool:
    """Whether Twilio signed this request. The URL as we know it is tried first, one signature's work; twilio's own
    validate() then also tries it with and without the port, as Twilio may have signed either."""
    return (hmac.compare_digest(signed(token, url, form, algorithm), signature.encode())  # a header may be any Latin-1
            or RequestValidator(token).validate(url, form, signature, algorithm))


def signed(token: str, url: str, form: MultiDict[str, str], algorithm: str) -> bytes:
    """Twilio's signature of a request (https://www.twilio.com/docs/usage/security#validating-requests): the URL,
    then each POST parameter's name and value, sorted by name, HMAC-signed with the auth token, in base64. A repeated
    name's values are sorted and each taken once, as twilio's own RequestValidator.compute_signature() takes them;
    this is the same signature without its pass of Python for each parameter."""
    text = url + "".join([name + value for name, values in sorted(form.lists()) for value in sorted(set(values))])
    return base64.b64encode(hmac.new(token.encode(), text.encode(), HASHES[algorithm]).digest())
