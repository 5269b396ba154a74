"""PDS's access token by NHS England's signed JWT authentication, against a local fake token endpoint that checks the
JWT's signature with the public key of a key pair made here (tests/support/fake_nhs_auth.py) and a local fake of the
PDS sandbox (tests/support/fake_pds.py): the JWT as NHS England checks it, its token sent to PDS, kept until shortly
before it expires, and every failure a sentence for staff with no number taken and nothing secret logged."""

import json
import threading
import time
import uuid
from datetime import date

import jwt
import pytest

from ivr.interop.nhs_auth import SignedJwtTokens
from ivr.interop.pds import Outcome, PdsClient, PdsError, Search
from tests.support.fake_nhs_auth import API_KEY, KEY_ID, fake_token_endpoint, key_pair
from tests.support.fake_pds import fake_pds
from tests.support.servers import free_port

MARTHA = Search(given="Martha", family="Massam", birth_date=date(1920, 8, 11))


class Clock:
    """The token's renewal clock (steady, as time.monotonic), which a test can move on."""

    def __init__(self) -> None:
        self.ahead = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.ahead


@pytest.fixture
def keys(tmp_path):
    """The app's private key file and the public key registered with NHS England under KEY_ID."""
    return key_pair(tmp_path)


@pytest.fixture
def endpoint(keys):
    _path, public = keys
    with fake_token_endpoint({KEY_ID: public}) as fake:
        yield fake


@pytest.fixture
def pds():
    with fake_pds() as (base_url, fake):
        yield base_url, fake


def _tokens(endpoint, keys, **changes) -> SignedJwtTokens:
    settings = {"token_url": endpoint.url, "api_key": API_KEY, "key_id": KEY_ID, "private_key_path": keys[0],
                "timeout": 2} | changes
    return SignedJwtTokens(**settings)


def test_the_signed_jwt_has_what_nhs_england_checks_and_gets_a_token(endpoint, keys):
    token = _tokens(endpoint, keys)()
    assert token == endpoint.issued[0] and endpoint.refusals == []
    [seen] = endpoint.assertions  # the fake verified its RS512 signature with the registered public key
    assert seen["header"] == {"alg": "RS512", "typ": "JWT", "kid": KEY_ID}
    claims = seen["claims"]
    assert claims["iss"] == claims["sub"] == API_KEY and claims["aud"] == endpoint.url
    assert uuid.UUID(claims["jti"]).version == 4
    assert time.time() < claims["exp"] <= time.time() + 300


def test_a_search_reaches_pds_with_the_token_from_the_endpoint(endpoint, keys, pds):
    base_url, fake = pds
    result = PdsClient(base_url, _tokens(endpoint, keys), timeout=2).search(MARTHA)
    assert (result.outcome, result.nhs_number) == (Outcome.ONE, "9693632966")
    assert fake.requests[0]["headers"]["Authorization"] == f"Bearer {endpoint.issued[0]}"


def test_the_token_is_kept_until_shortly_before_it_expires_then_renewed(endpoint, keys, pds):
    base_url, fake = pds
    clock = Clock()
    client = PdsClient(base_url, _tokens(endpoint, keys, clock=clock), timeout=2)
    client.search(MARTHA)
    clock.ahead = 500  # 599 s tokens: 99 s left
    client.search(MARTHA)
    assert len(endpoint.issued) == 1
    clock.ahead = 560  # under a minute left: a new token before the search
    client.search(MARTHA)
    assert len(endpoint.issued) == 2 and endpoint.refusals == []
    first, second = (seen["claims"]["jti"] for seen in endpoint.assertions)
    assert first != second
    assert [request["headers"]["Authorization"] for request in fake.requests] == [
        f"Bearer {endpoint.issued[0]}", f"Bearer {endpoint.issued[0]}", f"Bearer {endpoint.issued[1]}"]


def test_a_token_pds_refuses_is_dropped_and_the_next_search_gets_a_new_one(endpoint, keys, pds):
    base_url, fake = pds
    client = PdsClient(base_url, _tokens(endpoint, keys), timeout=2)
    fake.fault = "401"
    with pytest.raises(PdsError) as refused:
        client.search(MARTHA)
    assert "refused this line's access token" in str(refused.value)
    assert client.search(MARTHA).outcome == Outcome.ONE  # not the refused token again
    assert len(endpoint.issued) == 2
    assert fake.requests[1]["headers"]["Authorization"] == f"Bearer {endpoint.issued[1]}"


def test_searches_at_once_share_one_token(endpoint, keys):
    tokens = _tokens(endpoint, keys)
    got: list[str] = []
    threads = [threading.Thread(target=lambda: got.append(tokens())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert got == [endpoint.issued[0]] * 8 and len(endpoint.issued) == 1


@pytest.mark.parametrize(("fault", "code", "said"), [
    ("500", "token_http_500", "NHS England's sign-in for PDS could not answer just now"),
    ("slow", "token_timeout", "NHS England's sign-in for PDS could not answer just now"),
    ("wrong api key", "token_http_401", "refused this line's key or settings"),
    ("unregistered key id", "token_http_401", "refused this line's key or settings"),
    ("another private key", "token_http_401", "refused this line's key or settings"),
    ("wrong audience", "token_http_401", "refused this line's key or settings"),
    ("not listening", "token_unreachable", "could not answer just now"),
])
def test_the_token_endpoint_failing_is_a_sentence_for_staff_and_pds_is_not_asked(
        endpoint, keys, pds, tmp_path, caplog, fault, code, said):
    base_url, fake = pds
    changes = {"timeout": 0.3}
    if fault in ("500", "slow"):
        endpoint.fault, endpoint.delay = fault, 2
    elif fault == "wrong api key":
        changes["api_key"] = "someone-elses-key"
    elif fault == "unregistered key id":
        changes["key_id"] = "ivr-int-2"
    elif fault == "another private key":
        changes["private_key_path"] = key_pair(tmp_path, "another")[0]
    elif fault == "wrong audience":
        changes["token_url"] = endpoint.url  # posted here, but the endpoint knows itself by another name
        endpoint.url = "https://int.api.service.nhs.uk/oauth2/token"
    else:
        changes["token_url"] = f"http://127.0.0.1:{free_port()}/oauth2/token"
    client = PdsClient(base_url, _tokens(endpoint, keys, **changes), timeout=2)
    with pytest.raises(PdsError) as raised:
        client.search(MARTHA)
    assert raised.value.code == code and said in str(raised.value) and "nothing was searched" in str(raised.value)
    assert fake.requests == [] and endpoint.issued == []
    private_key = keys[0].read_text().splitlines()[1]
    assert private_key not in caplog.text and "BEGIN" not in caplog.text


def test_what_nhs_england_said_is_logged_for_whoever_runs_the_line(endpoint, keys, caplog):
    with pytest.raises(PdsError):
        _tokens(endpoint, keys, key_id="ivr-int-2")()
    assert "PDS token endpoint answered 401" in caplog.text
    assert "Invalid 'kid' header in client_assertion JWT - no matching public key" in caplog.text


@pytest.mark.parametrize("key_file", ["missing", "not a key", "a public key"])
def test_a_private_key_that_cannot_be_read_says_so_and_asks_nobody(endpoint, keys, tmp_path, caplog, key_file):
    path = tmp_path / "key.pem"
    if key_file == "not a key":
        path.write_text("-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n")
    elif key_file == "a public key":
        path.write_text(keys[0].read_text().replace("PRIVATE", "PUBLIC"))
    with pytest.raises(PdsError) as raised:
        _tokens(endpoint, keys, private_key_path=path)()
    assert raised.value.code == "key_unreadable" and "check PDS_PRIVATE_KEY_PATH" in str(raised.value)
    assert endpoint.assertions == endpoint.refusals == []
    assert "bm90IGEga2V5" not in caplog.text and "bm90IGEga2V5" not in str(raised.value.__cause__)


def test_an_answer_without_a_token_is_an_error_not_a_search(endpoint, keys, pds):
    base_url, fake = pds
    endpoint.expires_in = 0  # "expires_in": "0": nothing usable
    with pytest.raises(PdsError) as raised:
        PdsClient(base_url, _tokens(endpoint, keys), timeout=2).search(MARTHA)
    assert raised.value.code == "token_unreadable" and fake.requests == []


def test_the_jwks_to_register_is_the_public_key_that_checks_the_lines_jwt(app, runner, keys):
    private_key_path, _public = keys
    app.config.update(PDS_PRIVATE_KEY_PATH=str(private_key_path), PDS_KEY_ID=KEY_ID)
    result = runner.invoke(args=["pds", "jwks"])
    assert result.exit_code == 0, result.output
    jwks = json.loads(result.output)
    [key] = jwks["keys"]
    assert (key["kty"], key["kid"], key["alg"], key["use"]) == ("RSA", KEY_ID, "RS512", "sig")
    assert not {"d", "p", "q", "dp", "dq", "qi"} & key.keys()  # nothing of the private key
    with fake_token_endpoint({KEY_ID: jwt.PyJWKSet.from_dict(jwks)[KEY_ID].key}) as registered:
        assert _tokens(registered, keys)() == registered.issued[0]


def test_the_jwks_command_says_what_to_set(runner):
    result = runner.invoke(args=["pds", "jwks"])
    assert result.exit_code == 1 and "Set PDS_PRIVATE_KEY_PATH and PDS_KEY_ID first" in result.output
