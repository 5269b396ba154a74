"""Staff see an urgent enquiry first, with what was said and its category, and a message's transcript beside its
recording; every look is in the audit log."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from ivr.extensions import db
from ivr.models import AuditEvent, Enquiry


def message(app, phone, transcript: str | None = None, status: str = "completed") -> int:
    """An existing patient leaves a message on a real signed call; Twilio's transcript of it follows. Its id."""
    call = phone().press("3").press("2")
    call.record(seconds=30)
    call.press("1").press("1")
    call.hang_up()
    if transcript is not None or status == "failed":
        assert call.transcription_ready(transcript or "", status=status) == 204
    with app.app_context():
        return db.session.scalars(select(Enquiry.id).order_by(Enquiry.id.desc())).first()


def shown(html: str) -> str:
    """A page's text as a reader sees it: no tags, entities read, spaces as one."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def queue_order(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'href="/staff/enquiries/(\d+)"', html)]


def test_an_urgent_enquiry_is_first_in_the_queue_with_its_category_and_words(app, phone, staff, client):
    ordinary = message(app, phone, "Can I move my appointment to Tuesday?")
    failed = message(app, phone, status="failed")
    urgent = message(app, phone, "I've been self-harming again. Please ring me.")
    staff.make()
    staff.login()
    queue = client.get("/staff/enquiries").get_data(as_text=True)
    # urgent first, though it came last; then the message with no transcript to read; then oldest first
    assert queue_order(queue) == [urgent, failed, ordinary]
    flagged = re.search(r'<p class="flagged">(.*?)</p>', queue, re.S)[1]  # the category in words, then the words
    assert re.fullmatch(r"Said words that suggest risk\W.+: “I've been self-harming again\. Please ring me\.”",
                        shown(flagged))
    assert queue.count("Urgent</span>") == 1 and "Transcription failed: listen to the recording." in queue
    only_urgent = client.get("/staff/enquiries?filter=urgent").get_data(as_text=True)
    assert queue_order(only_urgent) == [urgent]
    with app.app_context():
        seen = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "enquiry.queue_viewed")).first()
        assert seen.detail["ids"] == [urgent, failed, ordinary]


def test_a_message_to_check_comes_after_the_urgent_ones_with_the_words_that_may_suggest_distress(app, phone, staff,
                                                                                                  client):
    ordinary = message(app, phone, "Can I move my appointment to Tuesday?")
    to_check = message(app, phone, "It's Sam. The cat is with my neighbour now and she has the keys. I just wanted "
                                   "to say goodbye and thank you all for trying.")
    urgent = message(app, phone, "I've been self-harming again. Please ring me.")
    staff.make()
    staff.login()
    queue = client.get("/staff/enquiries").get_data(as_text=True)
    assert queue_order(queue) == [urgent, to_check, ordinary]
    assert "then messages to check" in shown(queue) and queue.count("Message to check</span>") == 1
    assert ("Listen to this message next: the risk model heard no risk in its transcript, but it has words that may "
            "suggest distress: “say goodbye, for trying”.") in shown(queue)
    assert queue_order(client.get("/staff/enquiries?filter=message_to_check").get_data(as_text=True)) == [to_check]
    page = shown(client.get(f"/staff/enquiries/{to_check}").get_data(as_text=True))
    assert "Message to check" in page and "it has words that may suggest distress: “say goodbye, for trying”" in page
    failed = message(app, phone, status="failed")
    page = shown(client.get(f"/staff/enquiries/{failed}").get_data(as_text=True))
    assert "Listen to this message next: there is no transcript to read." in page


def test_a_message_not_heard_yet_is_to_check_until_an_ordinary_transcript_comes(app, phone, staff, client):
    heard = message(app, phone, "Can I move my appointment to Tuesday?")
    call = phone().press("3").press("2")
    call.record(seconds=30)
    call.press("1").press("1")
    call.hang_up()  # Twilio has not sent its transcript yet: nothing has read the message
    staff.make()
    staff.login()
    queue = client.get("/staff/enquiries").get_data(as_text=True)
    waiting = queue_order(queue)[0]
    assert queue_order(queue) == [waiting, heard] and waiting != heard
    assert "Listen to this message next: no transcript has come yet, so nothing has read it" in shown(queue)
    assert queue_order(client.get("/staff/enquiries?filter=message_to_check").get_data(as_text=True)) == [waiting]
    assert call.transcription_ready("Just to say thanks, see you Thursday.") == 204
    queue = client.get("/staff/enquiries").get_data(as_text=True)
    assert queue_order(queue) == [heard, waiting] and "Message to check</span>" not in queue  # oldest first again


def test_an_urgent_enquirys_page_shows_the_words_and_the_transcript_beside_the_recording(app, phone, staff, client):
    urgent = message(app, phone, "I've been self-harming again. Please ring me.")
    staff.make()
    staff.login()
    page = unescape(client.get(f"/staff/enquiries/{urgent}").get_data(as_text=True))
    assert "Urgent: said words that suggest risk" in shown(page)
    assert "What they said: “I've been self-harming again. Please ring me.”" in shown(page)
    assert "Heard in the transcript of their message, after the call ended" in shown(page)
    beside = page[page.index('<div class="message">'):]
    assert beside.index(f'src="/staff/enquiries/{urgent}/recording"') < beside.index(
        "<blockquote>I've been self-harming again. Please ring me.</blockquote>") < beside.index("</dd>")
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == urgent)).all()
        assert "enquiry.viewed" in actions


def test_a_failed_transcription_says_so_and_the_recording_is_there(app, phone, staff, client):
    failed = message(app, phone, status="failed")
    waiting = message(app, phone)  # Twilio has not sent the transcript yet
    staff.make()
    staff.login()
    page = client.get(f"/staff/enquiries/{failed}").get_data(as_text=True)
    assert "Transcription failed." in page and f'src="/staff/enquiries/{failed}/recording"' in page
    assert "Urgent:" not in page
    page = client.get(f"/staff/enquiries/{waiting}").get_data(as_text=True)
    assert "No transcript yet" in page and f'src="/staff/enquiries/{waiting}/recording"' in page
