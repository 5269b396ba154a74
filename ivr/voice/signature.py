"""Only requests Twilio signed reach the call logic: everything else gets 403."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, request
from twilio.request_validator import (
    SIGNATURE_HEADER,
    SIGNATURE_SETTINGS_HEADER,
    RequestValidator,
    get_signature_algorithm,
)


def signed_url() -> str:
    """The URL Twilio requested and signed: the public base URL when one is set, as a proxy hides it."""
    base = current_app.config["PUBLIC_BASE_URL"]
    if not base:
        return request.url
    query = request.query_string.decode("utf-8", "replace")
    return f"{base}{request.path}" + (f"?{query}" if query else "")


def twilio_signed(view: Callable) -> Callable:
    """Refuse (403) any request without a valid X-Twilio-Signature."""

    @wraps(view)
    def checked(*args, **kwargs):
        config = current_app.config
        if not config["ALLOW_UNSIGNED_WEBHOOKS"]:
            token = config["TWILIO_AUTH_TOKEN"]
            signature = request.headers.get(SIGNATURE_HEADER, "")
            algorithm = get_signature_algorithm(request.headers.get(SIGNATURE_SETTINGS_HEADER))
            if not (token and signature) or not _valid(RequestValidator(token), signature, algorithm):
                current_app.logger.warning("refused an unsigned or forged request to %s", request.path)
                abort(403)
        return view(*args, **kwargs)

    return checked


def _valid(validator: RequestValidator, signature: str, algorithm: str) -> bool:
    """Whether Twilio signed this request (https://www.twilio.com/docs/usage/security#validating-requests: the
    URL, then each POST parameter's name and value, sorted by name, HMAC-signed with the auth token). The URL as we
    know it is tried first, one signature's work; twilio's own validate() then also tries it with and without the
    port, as Twilio may have signed either."""
    url = signed_url()
    computed = validator.compute_signature(url, request.form, algorithm)
    return (hmac.compare_digest(computed.encode(), signature.encode())  # bytes: a header may be any Latin-1
            or validator.validate(url, request.form, signature, algorithm))
