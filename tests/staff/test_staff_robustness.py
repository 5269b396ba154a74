"""Odd input and a slow Twilio: a `next=` with control characters, and record pages that never wait on Twilio."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from ivr.extensions import db
from ivr.models import Enquiry
from tests.support.line import STAFF_PASSWORD

ACCOUNT = "AC" + "1" * 32


@pytest.mark.parametrize("target", ["/staff/overview\r\nSet-Cookie: session=forged", "/staff/overview\n",
                                    "/staff/\x00overview", "/staff/overview\x7f", "/staff/over\tview"])
def test_a_next_with_control_characters_is_refused_not_a_500(staff, client, target):
    staff.make()
    response = client.post("/staff/login", data={
        "email": "sam.jones@nhs.example", "password": STAFF_PASSWORD, "csrf_token": staff.token("/staff/login"),
        "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/staff/referrals"
    assert "forged" not in response.headers.get("Set-Cookie", "")
    again = client.get("/staff/login", query_string={"next": target})  # already logged in
    assert again.status_code == 302 and again.headers["Location"] == "/staff/referrals"


class SlowTwilio(BaseHTTPRequestHandler):
    """A Twilio that answers every request with 503, counting them: a record page must not ask it anything."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.server.asked.append(self.path)
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def twilio(app):
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowTwilio)
    server.asked = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config.update(TWILIO_ACCOUNT_SID=ACCOUNT, TWILIO_API_BASE_URL=f"http://127.0.0.1:{server.server_port}")
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_record_page_renders_without_asking_twilio_and_the_player_explains(app, phone, staff, client, twilio):
    call = phone().press("3").press("2").record(seconds=25)
    call.press("1")
    with app.app_context():
        enquiry_id = db.session.scalars(select(Enquiry.id)).one()
    staff.make()
    staff.login()

    page = client.get(f"/staff/enquiries/{enquiry_id}")
    assert page.status_code == 200 and twilio.asked == []  # rendered without waiting on Twilio
    html = page.get_data(as_text=True)
    assert f'<audio controls preload="none" src="/staff/enquiries/{enquiry_id}/recording"' in html
    assert f'href="/staff/enquiries/{enquiry_id}/recording"' in html  # to see why, if it will not play

    played = client.get(f"/staff/enquiries/{enquiry_id}/recording")
    assert played.status_code == 502 and len(twilio.asked) == 1
    message = played.get_data(as_text=True)
    assert "The recording cannot be played" in message and "Twilio answered with an error (HTTP 503)" in message
    assert f'href="/staff/enquiries/{enquiry_id}"' in message  # back to the enquiry
