"""The risk model hears each kind of risk in callers' own words, and never alarms a caller who is not at risk:
the cases that must never regress, without Flask or a database."""

from __future__ import annotations

import dataclasses

import pytest

from ivr.callflow.risk import CATEGORIES, Heard, RiskModel
from ivr.callflow.risk.cues import Cues
from tests.support.risk import MODEL, heard


# Issue 23's own examples of risk, each in the category the line acts on.
@pytest.mark.parametrize(("said", "category"), [
    ("I can't cope any more. I've taken some pills", "acting_now"),
    ("I took a load of paracetamol about an hour ago", "acting_now"),
    ("been cutting", "acting_now"),
    ("I want to kill myself", "intent"),
    ("I want to end my life", "intent"),
    ("ending things", "intent"),
    ("do something stupid", "intent"),
    ("I don't want to wake up tomorrow", "passive"),
    ("everyone would be better off without me", "passive"),
    ("there's no point in living any more", "passive"),
    ("I've had enough of life", "passive"),
    ("life's not worth it", "passive"),
    ("My partner hits me", "harm_from_others"),
    ("The voices are telling me to hurt people", "harm_to_others"),
    ("I need help", "help_now"),
    ("help me please", "help_now"),
    ("I can't cope", "help_now"),
    ("I'm in crisis", "help_now"),
    ("help", "help_now"),
])
def test_the_issues_disclosures_are_heard_in_their_category(said, category):
    assert heard(said) == category


# The issue's ordinary answers, and IPT's own subjects (grief, relationships ending): never a crisis.
@pytest.mark.parametrize("said", [
    "yes send it", "Phone. I can't go on video.", "I don't want to give it", "I don't want to leave a message",
    "I don't want to be rude", "I'm dying to get started", "I'm just killing time", "a meal to die for",
    "my mum died last year", "since my marriage ended", "I ended it with my boyfriend", "we decided to end things",
    "I can't go on Fridays", "I don't want to go on medication", "I cut myself shaving this morning",
    "can you help me", "I need help with my anxiety", "about IPT", "my feet are killing me", "it's a dead end job",
    "I'm not sure", "maybe", "the 14th of March 1988", "Park Surgery in Heanor", "Sam Kilmister", "Joe Cutts",
])
def test_ordinary_answers_with_risk_like_words_are_not_risk(said):
    assert heard(said) is None


@pytest.mark.parametrize("said", [
    "No, I'm not suicidal", "no, never", "I'm not suicidal", "I would never hurt myself", "I'd never kill myself",
    "no I don't want to kill myself", "no thoughts of harming myself", "no, I don't feel unsafe",
    "I haven't taken anything", "I'm not going to do anything stupid", "I don't want to die",
    "I don't think I'm suicidal", "I'm not in danger",
])
@pytest.mark.parametrize("yes_no", [False, True])
def test_a_denial_is_never_taken_for_risk(said, yes_no):
    assert heard(said, yes_no) is None


@pytest.mark.parametrize(("said", "form"), [
    ("my friend took an overdose", "someone else"),
    ("my mum's suicidal and I'm worried about her", "someone else"),
    ("I lost my dad to suicide", "someone else"),
    ("she's been cutting herself", "someone else"),
    ("I was suicidal years ago", "past"),
    ("I used to cut myself", "past"),
    ("when I was younger I took an overdose", "past"),
    ("in the past I've felt suicidal but I'm OK now", "past"),
    ("what if someone took an overdose", "hypothetical"),
    ("if I ever felt suicidal who would I call", "hypothetical"),
])
def test_risk_said_of_someone_else_long_ago_or_as_a_supposition_is_not_the_callers_now(said, form):
    assert heard(said) is None, form


@pytest.mark.parametrize(("said", "category"), [
    ("no I want to die", "intent"),  # an answer word stops at "I"
    ("I'm not suicidal, I just can't cope", "help_now"),  # a denial stops after what it denies
    ("I don't want to die but I can't go on", "passive"),  # and at "but"
    ("I used to self harm but I've started again", "intent"),  # "again": past no longer
    ("my friend took an overdose and now I want to die too", "intent"),  # "I": the caller's own
    ("everyone would be better off without me, my family says so", "passive"),  # "me": the caller's own
    ("I'm not sure if I want to die", "intent"),  # "not sure" is no denial
    ("I wouldn't care if I didn't wake up tomorrow", "passive"),  # nor is "wouldn't care if"
    ("My partner hits me", "harm_from_others"),  # someone else is in the phrase by nature
])
def test_context_stops_where_it_should(said, category):
    assert heard(said) == category


# A denial the caller denies is the caller saying it is so (noticed in round 16, missed until 2026-12-07); a denial
# said after it, or of something ordinary, is still what it was.
@pytest.mark.parametrize(("said", "category"), [
    ("I'd be lying if I said I didn't want to die", "intent"),
    ("I would be lying if I said I hadn't thought about ending it", "intent"),
    ("it would be a lie to say I don't want to die", "intent"),
    ("I can't say I don't think about ending it", "intent"),
    ("I'd be lying if I said I wasn't struggling, but I'd never hurt myself", None),
    ("I can't say I don't think about my mum, she died in May", None),
])
def test_a_denial_denied_is_heard_as_so(said, category):
    assert heard(said) == category


@pytest.mark.parametrize(("said", "category"), [
    ("I just want to and it all", "intent"),
    ("I want to kill my shelf", "intent"),
    ("suicidle thoughts", "intent"),
    ("I've taken an overdoes", "acting_now"),
    ("I've been self arming", "acting_now"),
    ("everyone's better off with out me", "passive"),
])
def test_long_phrases_are_heard_through_recogniser_slips(said, category):
    assert heard(said) == category


@pytest.mark.parametrize("said", [
    "yes send it", "I don't want to leave", "I don't want to give it", "I don't want to be rude anymore",
    "and it all went wrong", "I want to end it with him", "there's no point in leaving a message",
    "I don't want to make up with him",
])
def test_short_phrases_are_never_matched_loosely(said):
    assert heard(said) is None


@pytest.mark.parametrize("said", [
    "no, but sometimes I think about it", "I do think about it but I would never do anything", "a bit",
    "now and then", "sometimes", "I think about it but I'd never act", "on and off", "it crosses my mind",
])
def test_a_hedged_answer_at_the_safety_question_is_heard_as_passive_thoughts(said):
    assert MODEL.hear(said, yes_no=True) == Heard("passive", said, hedged=True)
    assert MODEL.hear(said) is None  # elsewhere "sometimes" is just sometimes


@pytest.mark.parametrize("said", ["no", "nope", "no not really", "no, not even a bit", "I don't think about it"])
def test_a_plain_no_at_the_safety_question_is_a_no(said):
    assert MODEL.hear(said, yes_no=True) is None


def test_risk_said_at_the_safety_question_is_heard_not_hedged():
    assert MODEL.hear("yes I'm not safe", yes_no=True) == Heard("acting_now", "yes I'm not safe")


def test_staff_get_the_callers_words_as_heard():
    said = "  I've taken   all my tablets\n"
    assert MODEL.hear(said) == Heard("acting_now", "I've taken all my tablets")


def test_the_more_urgent_of_two_is_what_the_line_acts_on():
    assert heard("I can't cope, I've taken an overdose") == "acting_now"
    assert heard("I wish I was dead and I'm going to kill myself") == "intent"
    assert heard("I'm not safe at home") == "harm_from_others"  # the longer phrase


def test_every_category_says_what_the_line_does():
    for category in CATEGORIES:
        assert len(MODEL.does(category)) > 20, category
    assert "0808 2000 247" in MODEL.does("harm_from_others")
    assert "999" in MODEL.does("acting_now") and "111 option 2" in MODEL.does("harm_to_others")


WITHOUT_CUES = RiskModel(dataclasses.replace(MODEL.vocabulary, cues=Cues({}, ())))


# Disclosures no phrase in the file says: heard only because their ideas are said together (risk/cues.py).
@pytest.mark.parametrize(("said", "category"), [
    ("I'd be happier dead", "passive"),  # me + not alive + wish
    ("I just want to fall asleep and not wake up", "passive"),
    ("I don't care if I live or die", "passive"),  # if I were gone + would not mind
    ("I feel like I'm not meant to be here", "passive"),  # me + shouldn't + be here
    ("I've got a noose ready", "acting_now"),  # ligature + ready
    ("I'm on top of the multi storey car park", "acting_now"),  # there now + up high
    ("I've taken a handful of co-codamol", "acting_now"),  # took + too much + medicine
    ("I keep thinking about steering into a lorry", "intent"),  # going to + drive into + hard thing
    ("my partner has been violent towards me", "harm_from_others"),  # someone close + violent
])
def test_a_cue_hears_a_disclosure_in_words_no_phrase_lists(said, category):
    assert WITHOUT_CUES.hear(said) is None
    assert heard(said) == category


# The same ideas denied, someone else's, past or supposed, or ordinary: a cue is read in context as a phrase is.
@pytest.mark.parametrize("said", [
    "I wouldn't want to die", "I'm not ready to die", "no I've not taken any tablets", "he's never hit me",
    "I don't think I'd be better off dead", "my brother keeps saying he'd be happier dead",
    "my husband said he wanted to die", "my friend took a load of tablets", "my mate was stood on the bridge",
    "what if I took all my tablets", "I took my tablets", "I'm sat in the car park waiting for my appointment",
    "I want the pain in my back to disappear", "I could kill him, he drives me mad",
])
@pytest.mark.parametrize("yes_no", [False, True])
def test_a_cue_denied_said_of_someone_else_or_ordinary_is_not_risk(said, yes_no):
    assert heard(said, yes_no) is None


def test_a_denial_ends_where_the_caller_starts_a_new_clause():
    assert heard("I'm not okay, I want to die") == "intent"
    assert heard("I haven't eaten and I've taken an overdose") == "acting_now"
    assert heard("no I don't think I'm in danger", yes_no=True) is None  # "think" takes the clause with it


# A blind round's misses, generalised: each family of wording in words the blind writer did not use.
@pytest.mark.parametrize(("said", "category"), [
    ("I've took an OD", "acting_now"), ("I've swallowed them all", "acting_now"),
    ("I've gone and done summat daft", "acting_now"), ("I might do something silly tonight", "intent"),
    ("I've written letters for the family", "intent"),
    ("I keep sitting by the canal trying to find the guts to go in", "intent"),
    ("I don't see any future for myself", "passive"), ("nobody'd miss me", "passive"),
    ("I'm sick of waking up", "passive"), ("I haven't got anything to live for", "passive"),
    ("my dad passed away in March, I wish I could be with him", "passive"),
    ("I'm going to pieces", "help_now"), ("I'm in a terrible state", "help_now"),
    ("I'm having a panic attack right now", "help_now"),
    ("he smashed my phone, he's always kicking off at me", "harm_from_others"),
    ("they said they'll do me in", "harm_from_others"),
    ("the voice keeps telling me to push someone off the platform", "harm_to_others"),
    ("my family aren't, I keep wanting to hurt someone", "harm_to_others"),  # "I" straight after a negation
])
def test_a_blind_rounds_families_of_wording_are_heard(said, category):
    assert heard(said) == category


# Long past said with an age, a year or "years back" is not now; said to be now too, near the phrase, it is.
@pytest.mark.parametrize(("said", "category"), [
    ("I took an overdose in 2012, I'm fine now", None),
    ("when I was 20 I cut myself a lot, I'm fine now", None),
    ("I tried to kill myself a few years back but I'm fine now", None),
    ("I self harmed when I was fifteen, nothing since", None),
    ("I self harmed as a teenager, I just want help with the panic attacks I'm getting at work now", None),
    ("I overdosed when I was 19 and I've done it again tonight", "acting_now"),
    ("my mum died in 2019 and I've wanted to die ever since", "intent"),
    ("born in 1990, I want to kill myself", "intent"),  # a date of birth is not long past
    ("the 3rd of May in 1985 and I've taken an overdose", "acting_now"),
])
def test_past_is_an_age_or_a_year_unless_the_caller_says_now_near_it(said, category):
    assert heard(said) == category


@pytest.mark.parametrize("said", [
    "nobody's threatening me", "no one's ever hurt me", "feeling a bit down in the dumps", "just a bit low really",
    "my husband says he wants to die sometimes, I'm calling about my anxiety",  # his "sometimes", not a hedge
    "I'm taking paracetamol for a headache", "my marriage is falling to pieces", "my house is in a right state",
    "I don't see a future with him", "I'm sick of waking up at four every morning", "I'm dead busy at work",
    "God, it took me ages to get through", "I finally plucked up the courage to go to my GP",
    "my therapist asked me to write a letter to my dad who died", "I had to walk in front of the class",
])
@pytest.mark.parametrize("yes_no", [False, True])
def test_denials_moods_and_idioms_of_the_blind_round_are_not_risk(said, yes_no):
    assert heard(said, yes_no) is None


# Round 9's general concepts (docs/risk-model.md, "Round 9"), each in words held_out_9 does not use, and the
# ordinary look-alike each concept must leave alone.
@pytest.mark.parametrize(("said", "category"), [
    ("I've had a ridiculous amount of my diazepam", "acting_now"),  # a large amount + a medicine's name
    ("I've downed whatever I could find", "acting_now"),  # all the caller had
    ("I keep googling what pills would do it", "intent"),  # looking up + medicine + "do it"
    ("I've been checking out a place to do it", "intent"),  # searching + a place to do it
    ("I want to step out in front of a train", "intent"),  # stepping out + in front of a vehicle
    ("I've written a note", "intent"),
    ("I tried to jump once, next time I'll get it right", "intent"),  # an attempt + a method
    ("I hate existing", "passive"), ("I'd be glad if something happened to me", "passive"),
    ("when I'm not around anymore they'll get on fine", "passive"),  # gone meaning dead
    ("I can't function, please ring me", "help_now"),
    ("no voicemail, he reads my texts, he's violent", "harm_from_others"),  # "no" ends where "he" starts
])
def test_round_nines_general_concepts_hear_new_wordings(said, category):
    assert heard(said) == category


@pytest.mark.parametrize("said", [
    "I looked up which tablets are safe in pregnancy", "I've taken a huge amount of stick at work",
    "I took everything I had to the charity shop", "when I've gone back to work they'll cope",
    "once I'm gone to bed the kids are fine", "I'm looking for somewhere to do my driving lessons",
    "I stepped out in front of the bus stop to wave", "I nearly jumped out of my skin",
    "I've written a note of questions for the nurse", "I hate being on my own", "I hate living in this flat",
    "I'd be glad if I passed my exam", "I can't function without a coffee",
    "no voicemail please, he's not violent",
])
@pytest.mark.parametrize("yes_no", [False, True])
def test_round_nines_concepts_leave_ordinary_look_alikes_alone(said, yes_no):
    assert heard(said, yes_no) is None
