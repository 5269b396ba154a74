"""Finding 21.13: an id no row can have is a 404, not a 500 page; every response, wherever it comes from, carries
the security headers; and gunicorn does not say it is gunicorn."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest

from ivr.headers import ALWAYS
from tests.support.line import AUTH_TOKEN
from tests.support.servers import gunicorn

TOO_BIG = ["2147483648", "99999999999999999999", "9" * 40]  # one past PostgreSQL's integer; past SQLite's too


@pytest.mark.parametrize("record_id", TOO_BIG)
def test_an_id_no_row_can_have_is_not_found(app, client, staff, record_id):
    staff.make(admin=True)
    staff.login()
    for page in (f"/staff/referrals/{record_id}", f"/staff/enquiries/{record_id}"):
        assert client.get(page).status_code == 404
    posts = [f"/staff/referrals/{record_id}/call-now", f"/staff/referrals/{record_id}/note",
             f"/staff/referrals/1/call-now/{record_id}/confirm", f"/staff/accounts/{record_id}/disable"]
    token = staff.token("/staff/account")
    for url in posts:
        assert client.post(url, data={"csrf_token": token}).status_code == 404, url
    assert client.get(f"/staff/audit?subject_id={record_id}").status_code == 200
    assert client.get("/staff/audit?subject_id=%C2%B2").status_code == 200  # '²': isdigit(), but no number


def _has_the_headers(response) -> None:
    for name, value in ALWAYS.items():
        assert response.headers.get(name) == value, (response.request.path, name)
    assert response.headers["Cache-Control"] == "no-store"


def test_every_response_carries_the_security_headers(app, client, phone):
    _has_the_headers(client.get("/"))  # 404 outside /staff/ and /voice/
    _has_the_headers(client.get("/favicon.ico"))
    _has_the_headers(client.get("/voice/nowhere"))
    _has_the_headers(client.get("/voice/incoming"))  # 405: webhooks are posts
    _has_the_headers(client.post("/voice/incoming", data={"CallSid": "CA" + "1" * 32}))  # unsigned: 403
    _has_the_headers(client.get("/staff/nowhere"))
    _has_the_headers(client.get("/staff/login"))
    answered = client.post("/voice/incoming", data={"CallSid": "CA" + "2" * 32, "From": "+447400123456"},
                           headers={"X-Twilio-Signature": _signed("/voice/incoming",
                                                                   {"CallSid": "CA" + "2" * 32,
                                                                    "From": "+447400123456"})})
    assert answered.status_code == 200 and answered.mimetype == "text/xml"
    _has_the_headers(answered)


def test_a_request_for_another_host_is_refused_with_the_headers_too(another_app):
    line = another_app(PUBLIC_BASE_URL="https://ivr.example.nhs.uk")
    refused = line.test_client().get("/staff/login", headers={"Host": "attacker.example"})
    assert refused.status_code == 400
    _has_the_headers(refused)


def _signed(path: str, form: dict[str, str]) -> str:
    from twilio.request_validator import RequestValidator

    return RequestValidator(AUTH_TOKEN).compute_signature(f"http://localhost{path}", form)


def test_gunicorn_sends_no_server_header(database_url, tmp_path):
    settings = {"DATABASE_URL": database_url, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "IVR_ENV": "development",
                "SECRET_KEY": "no-server-header-test-key-0123456789abcdef", "PUBLIC_BASE_URL": "",
                "IVR_SPOOL_DIR": str(tmp_path / "spool")}
    with gunicorn(settings, tmp_path, workers=1) as server:
        address = urlsplit(server)
        for method, path in [("GET", "/"), ("GET", "/staff/login"), ("POST", "/voice/incoming")]:
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
            try:
                connection.request(method, path)
                response = connection.getresponse()
                response.read()
            finally:
                connection.close()
            assert response.status in (200, 403, 404), (path, response.status)
            assert response.getheader("Server") is None, (path, response.getheader("Server"))
            assert response.getheader("X-Content-Type-Options") == "nosniff"
