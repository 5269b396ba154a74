"""In real headless Chromium: a referral from a signed call is found, worked and exported by a CLI-made account,
and called back with one click on "Call now"; a message to check is listed before an older ordinary one."""

from __future__ import annotations

import csv
import io
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from ivr.extensions import db
from ivr.models import AuditEvent, Referral
from ivr.tools.phone import Phone
from tests.support.call_now import LINE_NUMBER, STAFF_PHONE, AnsweredCall
from tests.support.fake_messages import fake_messaging
from tests.support.fake_twilio import fake_twilio
from tests.support.line import AUTH_TOKEN, CALLER, STAFF_PASSWORD, walk_referral
from tests.support.twiml import checked_transport

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = "/tmp"


def http_transport(url: str, form: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
    """Send the phone's signed requests over real HTTP, as Twilio does."""
    request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()


@pytest.fixture
def server(app):
    """The app served over HTTP on a free local port, in a thread."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def browser():
    """Debian's Chromium, headless, driven by Playwright (never Playwright's own download)."""
    import os

    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: apt-get install chromium chromium-driver (make browser does it)")
    playwright = playwright_api.sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()
    playwright.stop()


def logged_in(runner, browser, server: str, start: str, *create: str, **context):
    """A page in a new Chromium context, logged in as robin.lee@nhs.example, an account made with the CLI (`create`:
    "--admin"), having first asked for `start` and been sent to log in."""
    made = runner.invoke(args=["staff", "create", "robin.lee@nhs.example", *create], input=STAFF_PASSWORD + "\n")
    assert made.exit_code == 0, made.output
    page = browser.new_context(viewport={"width": 1280, "height": 900}, **context).new_page()
    page.goto(f"{server}{start}")
    assert "/staff/login" in page.url  # nothing without logging in
    page.get_by_label("Email address").fill("robin.lee@nhs.example")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/staff/login" not in url)
    return page


def test_a_called_in_referral_is_found_worked_exported_and_audited(app, runner, server, browser):
    phone = Phone(checked_transport(http_transport), AUTH_TOKEN, base_url=server, caller_number=CALLER)
    call = walk_referral(phone.dial())
    call.hang_up(duration=190)
    with app.app_context():
        referral = db.session.scalars(select(Referral)).one()
        reference, referral_id = referral.reference, referral.id
    page = logged_in(runner, browser, server, "/staff/referrals", "--admin", accept_downloads=True)
    page.wait_for_url(f"{server}/staff/referrals")
    row = page.get_by_role("row").filter(has_text=reference)
    assert "07400 123456" in row.inner_text() and "Morning" in row.inner_text()
    page.screenshot(path=f"{SCREENSHOTS}/staff-queue.png", full_page=True)

    row.get_by_role("link", name=reference).click()
    page.wait_for_url(f"{server}/staff/referrals/{referral_id}")
    assert page.get_by_role("heading", name=f"Referral {reference}").is_visible()
    assert "Jane Smith" in page.content() and "14 March 1988" in page.content()

    page.get_by_label("What happened").select_option(label="No answer")
    page.get_by_role("button", name="Save callback attempt").click()
    assert page.get_by_text("Callback attempt saved.").is_visible()
    page.get_by_label("New status").select_option(label="Contacted")
    page.get_by_role("button", name="Change status").click()
    assert page.get_by_text("Status changed.").is_visible()
    assert "Callback attempt: No answer" in page.locator(".history").inner_text()
    page.screenshot(path=f"{SCREENSHOTS}/staff-referral.png", full_page=True)

    page.get_by_role("link", name="Referrals", exact=True).click()
    page.get_by_role("link", name="Contacted").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download this list (CSV)").click()  # a POST with its token
    with open(download_info.value.path(), encoding="utf-8") as exported:
        rows = list(csv.DictReader(io.StringIO(exported.read())))
    assert [(row["reference"], row["status"], row["callback_number"]) for row in rows] == [
        (reference, "contacted", CALLER)]

    page.get_by_role("link", name="Overview").click()
    assert page.get_by_role("heading", name="Where callers left: this week").is_visible()
    page.screenshot(path=f"{SCREENSHOTS}/staff-overview.png", full_page=True)

    page.get_by_role("link", name="Audit log").click()
    audit_text = page.locator("table").inner_text()
    for action in ("staff.login", "referral.queue_viewed", "referral.viewed", "referral.callback_logged",
                   "referral.status_changed", "referral.exported"):
        assert action in audit_text, action
    with app.app_context():
        actors = set(db.session.scalars(select(AuditEvent.actor).where(AuditEvent.action.startswith("referral."))))
    assert actors == {"robin.lee@nhs.example"}


def test_call_now_rings_the_staff_phone_puts_them_through_and_logs_the_call(app, runner, server, browser):
    call = walk_referral(Phone(http_transport, AUTH_TOKEN, base_url=server, caller_number=CALLER).dial())
    call.hang_up(duration=190)
    with app.app_context():
        referral_id = db.session.scalars(select(Referral.id)).one()
    page = logged_in(runner, browser, server, "/staff/login")
    page.get_by_role("link", name="My account").click()
    with fake_messaging(app) as texts:  # the phone is verified by a code texted to it
        page.get_by_label("Your phone number").fill("07400 987654")
        page.get_by_label("Your password").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Save phone number").click()
        assert page.get_by_text("We have texted a code to 07400 987654.").is_visible()
        (code,) = re.findall(r"\b[0-9]{6}\b", texts.messages[-1].body)
        page.get_by_label("The 6-digit code we texted you").fill(code)
        page.get_by_role("button", name="Verify phone").click()
        assert page.get_by_text("Your phone number is verified.").is_visible()
    # After fake_messaging, which sets its own: the line's number, and where Twilio reaches the line.
    app.config.update(TWILIO_PHONE_NUMBER=LINE_NUMBER, PUBLIC_BASE_URL=server)

    with fake_twilio(app) as account:
        page.goto(f"{server}/staff/referrals/{referral_id}")
        page.get_by_role("button", name="Call now").click()
        assert page.get_by_text("Calling your phone (07400 987654) now.").is_visible()
        placed = account.calls[-1]
        assert (placed.form["To"], placed.form["From"]) == (STAFF_PHONE, LINE_NUMBER)
        staff_phone = AnsweredCall(http_transport, AUTH_TOKEN, call_sid=placed.sid, caller_number=LINE_NUMBER)
        staff_phone.answer(placed.form["Url"]).press("1")
        assert staff_phone.dialled == CALLER and staff_phone.waiting_for.get("callerId") == LINE_NUMBER
        staff_phone.dial_ends("completed", duration=45)

    page.reload()
    assert page.get_by_text("Did you reach them, or leave a voicemail?").is_visible()
    page.get_by_role("button", name="I reached them").click()
    assert page.get_by_text("Call now logged as: Reached.").is_visible()
    assert "Callback attempt: Reached, 45 seconds (by Call now)" in page.locator(".history").inner_text()
    page.screenshot(path=f"{SCREENSHOTS}/staff-call-now.png", full_page=True)


def test_a_message_to_check_is_listened_to_next_with_the_words_that_may_suggest_distress(app, runner, server,
                                                                                        browser):
    for transcript in ("Can I move my appointment to Tuesday?",
                       "It's Sam. The cat is with my neighbour now. I just wanted to say goodbye and thank you all "
                       "for trying."):
        phone = Phone(checked_transport(http_transport), AUTH_TOKEN, base_url=server, caller_number=CALLER)
        call = phone.dial().press("3").press("2").record(seconds=25).press("1").press("1")
        call.hang_up()
        assert call.transcription_ready(transcript) == 204
    page = logged_in(runner, browser, server, "/staff/enquiries")
    page.goto(f"{server}/staff/enquiries")
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    first = rows.nth(0).inner_text()  # the later message, listened to first
    assert "Message to check" in first and "words that may suggest distress: “say goodbye, for trying”" in first
    assert "Message to check" not in rows.nth(1).inner_text()
    page.screenshot(path=f"{SCREENSHOTS}/staff-enquiries.png", full_page=True)
    page.get_by_role("link", name=re.compile(r"^Message to check")).click()
    assert page.locator("table tbody tr").count() == 1
