"""Staff see what a caller said besides their answers, and a referral or enquiry with words to check in it next after
the urgent ones; words to check said before anything was kept are a safety follow-up of their own, in amber."""

from __future__ import annotations

import re

from ivr.tools.caller import Caller
from tests.staff.test_enquiry_urgency import shown
from tests.support.line import at, walk_referral
from tests.voice.test_nhs_number_and_priority import queue_order

KNOWN = {"referral.practice": "Arthur Medical Centre in Horsley Woodhouse"}  # read back, confirmed: no offer
ALONE = "the kids are at their dad's tonight and I'm on my own with the tablets"  # no risk heard; words to check


def referral_with(phone, step: str, said: str) -> None:
    call = at(phone(), step, KNOWN).say(said)
    Caller(call, KNOWN).to_the_end()


def test_a_referral_with_words_to_check_comes_after_the_urgent_ones_with_what_was_said(phone, staff, client,
                                                                                       practices):
    walk_referral(phone(), answers={**KNOWN, "referral.best_time": "1"})  # ordinary, first
    walk_referral(phone(), answers={**KNOWN, "referral.priority": "1"})  # a priority group
    referral_with(phone, "referral.name", ALONE)  # asked again with the offer, then the name
    walk_referral(phone(), urgent=True, answers=KNOWN)  # urgent, last
    staff.make()
    staff.login()
    queue = client.get("/staff/referrals").get_data(as_text=True)
    ordinary, priority, to_check, urgent = sorted(queue_order(queue))
    assert queue_order(queue) == [urgent, to_check, priority, ordinary]
    assert "then referrals with words to check, then Derbyshire's priority groups" in shown(queue)
    assert queue.count("Words to check</span>") == 1
    assert ("Words to check: the risk model heard no risk in what they said besides their answers, but it has words "
            "that may suggest distress: “tonight, tablets”.") in shown(queue)
    assert queue_order(client.get("/staff/referrals?filter=words_to_check").get_data(as_text=True)) == [to_check]
    page = shown(client.get(f"/staff/referrals/{to_check}").get_data(as_text=True))
    assert f"Also said“{ALONE}” Not read as an answer, or said besides one." in page
    assert "“tonight, tablets”" in page and "Words to check" in page
    assert "Also said" not in shown(client.get(f"/staff/referrals/{ordinary}").get_data(as_text=True))


def test_an_everyday_sentence_is_shown_but_not_to_check(phone, staff, client, practices):
    said = "honestly I don't even know what I'm doing with any of this today"
    referral_with(phone, "referral.name", said)
    staff.make()
    staff.login()
    queue = client.get("/staff/referrals").get_data(as_text=True)
    assert "Words to check" not in shown(queue).replace("Words to check(", "")  # only the filter's tab
    (only,) = queue_order(queue)
    page = shown(client.get(f"/staff/referrals/{only}").get_data(as_text=True))
    assert f"Also said“{said}”" in page and "Words to check:" not in page


def test_words_to_check_said_then_gone_are_a_follow_up_in_amber(phone, staff, client):
    phone().say("I don't know why I'm ringing, I'm on my own tonight with the tablets").hang_up()
    staff.make()
    staff.login()
    queue = client.get("/staff/referrals").get_data(as_text=True)
    assert '<span class="tag check">Words to check</span>' in queue and "tag urgent" not in queue
    assert "“I don't know why I'm ringing, I'm on my own tonight with the tablets”" in shown(queue)
    followup = re.search(r'href="(/staff/followups/\d+)"', queue).group(1)
    page = shown(client.get(followup).get_data(as_text=True))
    assert "The line heard no risk in what they said, but it has words that may suggest distress" in page
    assert "Main: menu" in page and "07400 123456" in page
