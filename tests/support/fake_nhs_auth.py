"""A local fake of NHS England's OAuth 2.0 token endpoint for signed JWT authentication (application-restricted).

It checks a token request as NHS England's page describes it
(https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/application-restricted-restful-apis-signed-jwt-authentication)
and answers with the words and statuses of its identity service (NHSDigital/identity-service-api's error messages):
- grant_type client_credentials and client_assertion_type ...:jwt-bearer, or 400;
- the JWT's header `kid` one it holds a public key for, or 401 "no matching public key"; `alg` RS512, or 400;
- the signature checked with that public key, or 401 "JWT signature verification failed";
- iss and sub both the app's API key, or 401; aud exactly this endpoint's URL, or 401; jti present and never seen
  before, or 400 "Non-unique 'jti'"; exp present, not past and no more than 5 minutes ahead, or 400;
then 200 {"access_token", "expires_in": "599" (a string, as NHS England's example gives it), "token_type": "Bearer",
"issued_at"}. `fault` makes it fail as a real endpoint can: "500", or "slow" (answers after `delay` seconds).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.servers import send_json, serving

TOKEN_PATH = "/oauth2/token"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
API_KEY = "Q4mF0cK2pL7xV9aT3nB8wE1rY6uI5oZs"  # as the developer portal shows an app's key: letters and digits
KEY_ID = "ivr-int-1"


def key_pair(directory: Path, name: str = "pds") -> tuple[Path, rsa.RSAPublicKey]:
    """A new RSA key pair: the private key written as PEM (as `openssl genrsa` writes it), and its public key."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # NHS England asks 4096; tests are quick
    path = directory / f"{name}.pem"
    path.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    return path, private.public_key()


@dataclass
class FakeTokenEndpoint:
    """What the fake knows (the app's API key, its registered public keys by kid), saw, issued, and how it fails."""

    public_keys: dict[str, rsa.RSAPublicKey]
    api_key: str = API_KEY
    expires_in: int = 599
    fault: str | None = None  # "500" or "slow"
    delay: float = 3.0
    url: str = ""
    assertions: list[dict] = field(default_factory=list)  # each accepted JWT: {"header": ..., "claims": ...}
    issued: list[str] = field(default_factory=list)
    refusals: list[tuple[int, str]] = field(default_factory=list)

    def answer(self, form: dict[str, list[str]]) -> tuple[int, dict]:
        """(status, body) for one token request."""
        if form.get("grant_type") != ["client_credentials"]:
            return _error(400, "grant_type is invalid")
        if form.get("client_assertion_type") != [ASSERTION_TYPE]:
            return _error(400, f"Missing or invalid client_assertion_type - must be '{ASSERTION_TYPE}'")
        [assertion] = form.get("client_assertion") or [""]
        try:
            header = jwt.get_unverified_header(assertion)
        except jwt.DecodeError:
            return _error(400, "Malformed JWT in client_assertion")
        if header.get("kid") not in self.public_keys:
            return _error(401, "Invalid 'kid' header in client_assertion JWT - no matching public key")
        if header.get("alg") != "RS512" or header.get("typ") != "JWT":
            return _error(400, "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be "
                               "'RS512'")
        try:
            claims = jwt.decode(assertion, self.public_keys[header["kid"]], algorithms=["RS512"],
                                options={"verify_aud": False, "verify_exp": False})
        except jwt.InvalidSignatureError:
            return _error(401, "JWT signature verification failed")
        except jwt.InvalidTokenError:
            return _error(400, "Malformed JWT in client_assertion")
        if not (claims.get("iss") == claims.get("sub") == self.api_key):
            return _error(401, "Invalid 'iss'/'sub' claims in client_assertion JWT")
        if claims.get("aud") != self.url:
            return _error(401, "Missing or invalid 'aud' claim in client_assertion JWT")
        if not claims.get("jti") or claims["jti"] in {seen["claims"]["jti"] for seen in self.assertions}:
            return _error(400, "Non-unique 'jti' claim in client_assertion JWT")
        if not isinstance(claims.get("exp"), int) or claims["exp"] < time.time():
            return _error(400, "Invalid 'exp' claim in client_assertion JWT - JWT has expired")
        if claims["exp"] > time.time() + 300:
            return _error(400, "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future")
        self.assertions.append({"header": header, "claims": claims})
        token = secrets.token_hex(14) + "a1"  # letters and digits, as NHS England's tokens ("Sr5PGv19wTEH...")
        self.issued.append(token)
        return 200, {"access_token": token, "expires_in": str(self.expires_in), "token_type": "Bearer",
                     "issued_at": str(int(time.time() * 1000))}


def _error(status: int, description: str) -> tuple[int, dict]:
    return status, {"error": "invalid_request", "error_description": description,
                    "message_id": "rrt-" + secrets.token_hex(8)}


@contextmanager
def fake_token_endpoint(public_keys: dict[str, rsa.RSAPublicKey]) -> Iterator[FakeTokenEndpoint]:
    """Serve the fake on a free 127.0.0.1 port; yields it, its `url` the token endpoint as PDS_TOKEN_URL takes it."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            form = parse_qs(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode())
            if state.fault == "slow":
                time.sleep(state.delay)
            if state.fault == "500":
                status, body = 500, {"error": "internal_server_error", "error_description": "Something went wrong"}
            elif self.path != TOKEN_PATH:
                status, body = 404, {}
            elif self.headers.get("Content-Type") != "application/x-www-form-urlencoded":
                status, body = _error(400, "grant_type is missing")
            else:
                status, body = state.answer(form)
            if status != 200:
                state.refusals.append((status, body.get("error_description", "")))
            send_json(self, status, body)

        def log_message(self, format, *args) -> None:  # noqa: A002 (http.server's name)
            pass

    with serving(Handler, poll_interval=0.05) as server:
        state = FakeTokenEndpoint(public_keys, url=f"http://127.0.0.1:{server.server_address[1]}{TOKEN_PATH}")
        yield state
