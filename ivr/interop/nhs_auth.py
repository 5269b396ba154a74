"""An access token for PDS by NHS England's signed JWT authentication, kept until shortly before it expires.

As NHS England's "Application-restricted RESTful APIs - signed JWT authentication" gives it
(https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/application-restricted-restful-apis-signed-jwt-authentication):
- a JWT signed RS512 with the app's private key; header `kid`, the key id registered with its public key, and `typ`
  JWT; claims iss = sub = the app's API key, aud = the token endpoint's URL exactly, jti unique (a UUID), exp no more
  than 5 minutes ahead;
- POSTed form-encoded to the token endpoint (https://int.api.service.nhs.uk/oauth2/token for integration testing,
  https://api.service.nhs.uk/oauth2/token live) as client_assertion, with grant_type=client_credentials and
  client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer;
- answered {"access_token": ..., "expires_in": "599", "token_type": "Bearer", "issued_at": ...} (expires_in in
  seconds, written as a string), or an error {"error", "error_description", "message_id"} with 400, 401 or 403
  (e.g. 401 "Invalid 'kid' header in client_assertion JWT - no matching public key": NHSDigital/identity-service-api).
A failure is a PdsError with a sentence for staff. The private key is read on first use and never logged; what NHS
England said is logged (its error and description name the claim it refused, never a secret) for whoever runs the line.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from http.client import HTTPException
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from ivr.interop.pds import PdsError

log = logging.getLogger(__name__)
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# NHS England refuses an exp more than 5 minutes ahead by its own clock: 4 leaves a minute for ours running fast.
ASSERTION_SECONDS = 240
# A token is renewed this long before it expires, so that a search never reaches PDS with one about to lapse.
RENEW_BEFORE_SECONDS = 60

REFUSED = ("NHS England's sign-in for PDS refused this line's key or settings, so nothing was searched: ask whoever "
           "runs the line to check its PDS onboarding (the API key, the key id and the private key).")
UNAVAILABLE = "NHS England's sign-in for PDS could not answer just now, so nothing was searched. Try again later."
KEY_UNREADABLE = ("This line's private key for PDS could not be read, so nothing was searched: ask whoever runs the "
                  "line to check PDS_PRIVATE_KEY_PATH.")


class SignedJwtTokens:
    """A token provider for PdsClient: one access token at a time, shared by the threads of a process."""

    def __init__(self, token_url: str, api_key: str, key_id: str, private_key_path: str, timeout: float = 10.0,
                 clock: Callable[[], float] = time.monotonic):
        self.token_url, self.api_key, self.key_id = token_url, api_key, key_id
        self.private_key_path, self.timeout, self.clock = Path(private_key_path), timeout, clock
        self._key = None
        self._token: str | None = None
        self._renew_at = 0.0
        self._lock = threading.Lock()  # one exchange at a time: threads arriving meanwhile wait for its token

    def __call__(self) -> str:
        """The current access token, fetched anew when there is none or it is about to expire."""
        with self._lock:
            if self._token is None or self.clock() >= self._renew_at:
                self._token, self._renew_at = self._exchange()
            return self._token

    def forget(self) -> None:
        """Drop the token PDS refused (revoked, or the clocks disagree): the next search exchanges a new one."""
        with self._lock:
            self._token = None

    def assertion(self) -> str:
        """A fresh signed JWT for the token endpoint, as NHS England's page lists its header and claims."""
        now = int(time.time())  # NHS England's clock: the renewal's own (`clock`) is steady, whatever the wall does
        claims = {"iss": self.api_key, "sub": self.api_key, "aud": self.token_url, "jti": str(uuid.uuid4()),
                  "exp": now + ASSERTION_SECONDS}
        return jwt.encode(claims, self._private_key(), algorithm="RS512", headers={"kid": self.key_id, "typ": "JWT"})

    def public_jwks(self) -> dict:
        """The JSON Web Key Set NHS England is given for this key (the portal takes it, or a JWKS URL): public only."""
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self._private_key().public_key(), as_dict=True)
        return {"keys": [jwk | {"kid": self.key_id, "alg": "RS512", "use": "sig"}]}

    def _private_key(self):
        if self._key is None:
            try:
                self._key = load_pem_private_key(self.private_key_path.read_bytes(), password=None)
            except (OSError, ValueError, TypeError) as error:  # missing, unreadable, not a key, or a password on it
                log.warning("PDS private key at %s could not be loaded (%s)", self.private_key_path,
                            type(error).__name__)
                raise PdsError("key_unreadable", KEY_UNREADABLE) from None  # the key's parse error stays out
        return self._key

    def _exchange(self) -> tuple[str, float]:
        form = urlencode({"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
                          "client_assertion": self.assertion()}).encode()
        request = Request(self.token_url, data=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
        asked = self.clock()
        try:
            with urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (https in production: config)
                body = json.loads(response.read())
        except HTTPError as error:
            with error:
                _log_refusal(error)
            raise PdsError(f"token_http_{error.code}", REFUSED if error.code in (400, 401, 403) else UNAVAILABLE) \
                from None
        except (TimeoutError, URLError, OSError, HTTPException) as error:
            timed_out = isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError)
            raise PdsError("token_timeout" if timed_out else "token_unreachable", UNAVAILABLE) from error
        except ValueError:
            raise PdsError("token_unreadable", UNAVAILABLE) from None
        return _token(body, asked)


def _token(body, asked: float) -> tuple[str, float]:
    """(the access token, when to renew it) from a 200's body; anything else is the endpoint failing."""
    token = body.get("access_token") if isinstance(body, dict) else None
    try:
        lifetime = int(body.get("expires_in"))  # "599": a string in NHS England's answers
    except (AttributeError, TypeError, ValueError):
        lifetime = 0
    if not isinstance(token, str) or not token or lifetime <= 0:
        raise PdsError("token_unreadable", UNAVAILABLE)
    # Counted from when it was asked for: the token's life began on NHS England's side after that.
    return token, asked + max(lifetime - RENEW_BEFORE_SECONDS, lifetime / 2)


def _log_refusal(error: HTTPError) -> None:
    try:
        said = json.loads(error.read())
    except (ValueError, OSError):
        said = {}
    said = said if isinstance(said, dict) else {}
    log.warning("PDS token endpoint answered %s: %s: %s (message_id %s)", error.code, str(said.get("error"))[:80],
                str(said.get("error_description"))[:200], str(said.get("message_id"))[:80])
