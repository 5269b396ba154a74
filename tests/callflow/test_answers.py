"""Reading what callers key and say: dates, phone numbers, names, yes and no."""

from datetime import date

import pytest

from ivr.callflow.answers import (
    Answer,
    Context,
    Event,
    Retry,
    callback_number,
    date_of_birth,
    spoken_name,
    yes_no,
)

CTX = Context(today=date(2026, 11, 26))


@pytest.mark.parametrize(
    "event, value, spoken",
    [
        (Event("digits", "14031988"), "1988-03-14", "14 March 1988"),
        (Event("speech", "14th of March 1988."), "1988-03-14", "14 March 1988"),
        (Event("speech", "March the 14th, 1988"), "1988-03-14", "14 March 1988"),
        (Event("speech", "1 4 0 3 1 9 8 8"), "1988-03-14", "14 March 1988"),
        (Event("speech", "14031988"), "1988-03-14", "14 March 1988"),
        (Event("digits", "29022004"), "2004-02-29", "29 February 2004"),
        # The day and year in words, as a recogniser may write them (ivr/callflow/spoken_dates.py)
        (Event("speech", "the fifth of November nineteen sixty"), "1960-11-05", "5 November 1960"),
        (Event("speech", "twenty fifth of December nineteen seventy nine"), "1979-12-25", "25 December 1979"),
        (Event("speech", "thirty first of May two thousand and four"), "2004-05-31", "31 May 2004"),
        (Event("speech", "first of January two thousand"), "2000-01-01", "1 January 2000"),
        (Event("speech", "21st of March twenty ten"), "2010-03-21", "21 March 2010"),
        (Event("speech", "fourteenth March eighty eight"), "1988-03-14", "14 March 1988"),
        (Event("speech", "twenty one December nineteen oh nine"), "1909-12-21", "21 December 1909"),
        (Event("speech", "one four oh three one nine eight eight"), "1988-03-14", "14 March 1988"),  # keys' rule
        (Event("speech", "second of the eleventh nineteen eighty"), "1980-11-02", "2 November 1980"),
        (Event("speech", "the twelfth of the third eighty eight"), "1988-03-12", "12 March 1988"),
        (Event("speech", "twenty first of the sixth two thousand and four"), "2004-06-21", "21 June 2004"),
    ],
)
def test_dates_of_birth(event, value, spoken):
    assert date_of_birth(event, CTX) == Answer(value, spoken=spoken)


@pytest.mark.parametrize("said", [
    "the 1st of March 99999999999999999999",  # once an OverflowError: the caller heard the apology
    "the 99999999999999999999th of March 1988",
    "1 99999999999999999999 1988",
    "the 1st of March " + "9" * 5000,  # past Python's longest int conversion
    "the 14th of March 19888",
])
def test_impossible_spoken_dates_are_asked_again_kindly(said):
    assert date_of_birth(Event("speech", said), CTX) == Retry("impossible")


@pytest.mark.parametrize(
    "raw, e164, spoken",
    [
        ("07400123456", "+447400123456", "oh 7 4 oh oh, 1 2 3, 4 5 6"),
        ("01332 123456", "+441332123456", "oh 1 3 3 2, 1 2 3, 4 5 6"),
        ("0113 496 0000", "+441134960000", "oh 1 1 3, 4 9 6, oh oh oh oh"),
    ],
)
def test_uk_numbers_are_stored_in_e164_and_read_back_in_groups(raw, e164, spoken):
    assert callback_number(Event("digits", raw), CTX) == Answer(e164, spoken=spoken)


def test_spoken_number_with_double():
    answer = callback_number(Event("speech", "oh seven four double oh, one two three four five six"), CTX)
    assert answer.value == "+447400123456"


@pytest.mark.parametrize("raw", ["0800 028 0077", "12345", "0909 879 0000", "+1 212 555 0100", "999"])
def test_not_a_callable_uk_number(raw):
    assert isinstance(callback_number(Event("digits", raw), CTX), Retry)


@pytest.mark.parametrize(
    "event, outcome",
    [
        (Event("digits", "1"), "yes"), (Event("digits", "2"), "no"),
        (Event("speech", "Yes, that's right."), "yes"), (Event("speech", "No, that's not right"), "no"),
        (Event("speech", "yeah"), "yes"), (Event("speech", "nope"), "no"),
    ],
)
def test_yes_and_no(event, outcome):
    assert yes_no(event, CTX).outcome == outcome


def test_unclear_yes_no_and_names_are_asked_again():
    assert yes_no(Event("speech", "banana"), CTX) == Retry()
    assert yes_no(Event("digits", "5"), CTX) == Retry()
    assert spoken_name(Event("digits", "1"), CTX) == Answer(None, outcome="keyed")  # a key: record the name
    assert spoken_name(Event("speech", "sam o'neill-smith"), CTX).value == "Sam O'Neill-Smith"


@pytest.mark.parametrize(
    "said, outcome",
    [
        ("I'm not sure", "unsure"), ("not sure", "unsure"), ("maybe", "unsure"), ("I don't know", "unsure"),
        ("no idea", "unsure"), ("yes, maybe", "unsure"), ("not really", "unsure"),
        ("not at all", "no"), ("no, I'm fine", "no"), ("that isn't right", "no"),
        ("OK", "yes"), ("yes please", "yes"),
        # A kind of thing is no hedge, "not any more" is a no, and "I've been OK" is how someone is (heldout13).
        ("no, I've never had them sort of thoughts", "no"), ("not any more, I've been okay since", "no"),
        ("sort of", "unsure"),
    ],
)
def test_a_hedge_is_never_a_no(said, outcome):
    assert yes_no(Event("speech", said), CTX).outcome == outcome


@pytest.mark.parametrize("said", ["I'm fine", "I'm OK", "yeah no", "banana"])
def test_neither_yes_nor_no_is_asked_again(said):
    assert yes_no(Event("speech", said), CTX) == Retry()


@pytest.mark.parametrize(
    "digits, value",
    [("140388", "1988-03-14"), ("010110", "2010-01-01"), ("261126", "2026-11-26"), ("271126", "1926-11-27"),
     ("290200", "2000-02-29")],
)
def test_six_digit_dates_take_the_most_recent_century_that_has_come(digits, value):
    assert date_of_birth(Event("digits", digits), CTX).value == value


def test_a_possible_number_phonenumbers_does_not_know_is_kept_for_the_caller_to_confirm():
    answer = callback_number(Event("digits", "07700900123"), CTX)
    assert answer == Answer("+447700900123", spoken="oh 7 7 oh oh, 9 oh oh, 1 2 3", outcome="unusual")
    assert callback_number(Event("digits", "0740012345"), CTX).outcome == "unusual"  # a digit short of a mobile


@pytest.mark.parametrize(
    "said, name",
    [
        ("my name's Sam Taylor", "Sam Taylor"), ("My Name'S Sam Taylor", "Sam Taylor"),
        ("it's sam taylor", "Sam Taylor"), ("I'm Sam Taylor", "Sam Taylor"), ("this is Sam Taylor.", "Sam Taylor"),
        ("yeah it's jo mcdonald thanks", "Jo McDonald"),
        ("SAM TAYLOR", "Sam Taylor"), ("Sam DeVito", "Sam DeVito"), ("Isabel Ito", "Isabel Ito"),
    ],
)
def test_names_without_their_lead_in_properly_capitalised(said, name):
    assert spoken_name(Event("speech", said), CTX) == Answer(name, spoken=name)
