"""Round 15's families of wording (docs/risk-model.md, "Round 15"): each heard in words that no corpus row uses,
and each ordinary look-alike left alone, at and away from the safety question."""

from __future__ import annotations

import pytest

from ivr.callflow.risk import Heard
from tests.support.risk import MODEL, heard


@pytest.mark.parametrize(("said", "category"), [
    ("the cable's round my neck in the loft", "acting_now"),  # a ligature said with its 's
    ("I've put all four of my butrans patches on at once", "acting_now"),  # every patch at once
    ("I'm up to my chin in the reservoir and I'm going under", "acting_now"),  # deep water, not coming out
    ("the strip's empty and I can't keep me eyes open", "acting_now"),  # the box empty, going under
    ("I'm in the bath and the water's gone red", "acting_now"),  # the bath water going red
    ("whatever I've taken is already kicking in, I won't be here by morning", "acting_now"),
    ("I've cut both my risks", "acting_now"),  # wrists misheard
    ("I've picked Tuesday, I'm doing it while the house is empty", "intent"),  # the day chosen, no one in
    ("I want to steer the car into a bridge", "intent"),  # the car put into something
    ("I'll step out in front of the express train when it comes through", "intent"),  # the train that doesn't stop
    ("I've thought about using the air rifle on myself", "intent"),  # a gun used on myself
    ("I've done my will and written my wife a letter", "intent"),  # letters to the family beside the will
    ("it's all arranged for tonight, I want my sister to know it isn't her fault", "intent"),  # no one to blame
    ("my mum would have less hassle if I was dead", "passive"),  # less shame if I were gone
    ("I don't care if I'm alive next year or not", "passive"),  # not bothered whether I'm here
    ("try me on Monday if I'm still breathing, nobody would notice anyway", "passive"),  # still about, nobody cares
    ("I fantasise about my own funeral", "passive"),  # picturing my own funeral
    ("the old habit with the blades is pulling me back", "passive"),  # the old habit, come back
    ("I don't want to be a live any more", "passive"),  # "alive" misheard
    ("he listens in on my calls, I'll suffer for it if he knows", "harm_from_others"),  # the call hidden from him
    ("I walked into the door again, if you catch my drift", "harm_from_others"),  # an injury said in code
    ("I want to kick his head in", "harm_to_others"),  # someone's head smashed in
    ("I'm terrified of what my hands might do to her", "harm_to_others"),  # scared what I'll do to them
    ("the voice keeps saying my landlord needs dealing with", "harm_to_others"),  # someone to be dealt with
    ("my mind is racing, is anybody listening", "help_now"),  # can't think straight, is anyone there
    ("I'm in bits, I need someone", "help_now"),  # in bits with a plea
])
def test_round_fifteens_families_hear_new_wordings(said, category):
    assert heard(said) == category


@pytest.mark.parametrize("said", [
    "the cable's round the back of the telly", "I put all my nicotine patches in the drawer at once",
    "I'm up to my neck in overtime and I'm not getting out of it", "the box is empty, the cat's getting sleepy",
    "the kids' bath water went red from the dye",
    "it won't matter by morning, the tablets for my cold are already working",
    "I've cut my risks of a heart attack by walking", "I've decided I'll do the painting while the kids are at school",
    "I'm putting the car into the garage tonight", "which train doesn't stop at Long Eaton",
    "I keep the air rifle for the rabbits", "I made a will last year and wrote the council a letter",
    "the letter came late but I know it wasn't your fault", "I could kick my own head in for forgetting",
    "the team would have less stress if I worked from home", "I don't mind whether you ring in the morning or not",
    "I keep picturing my nan's funeral", "my old habit of cracking my knuckles is back",
    "he listens to my calls because he's deaf and helps me", "I walked into a door at the pub and bruised my nose",
    "I want to kick the ball into next door's garden", "I'm scared what my hands will do in the exam",
    "the council says the damp needs dealing with", "my head's spinning from the cold medicine, ring me tomorrow",
    "my nan died and I'm in bits", "I don't want to be a life coach any more",
])
@pytest.mark.parametrize("yes_no", [False, True])
def test_round_fifteens_families_leave_ordinary_look_alikes_alone(said, yes_no):
    assert heard(said, yes_no) is None


@pytest.mark.parametrize(("said", "yes_no", "category"), [
    # "No point" is no denial; "no" on its own still is.
    ("no point ringing after Friday, I'll be gone", False, "intent"),
    ("no, no point, I'm not going to do anything", True, None),
    # "Any more, not since" something is since then, not the past; "not since" at the end still is the past.
    ("I don't want to live any more, not since the divorce", False, "passive"),
    ("I self harmed when I was 15, not since", False, None),
    # "No, not that number" corrects the number, and does not deny what follows it.
    ("no, not that number, he checks it and I'll pay for it if he sees you've called", False, "harm_from_others"),
    # Someone else's crisis team is theirs; the caller's own words beside it are heard.
    ("my brother's self harming and the crisis team are seeing him", False, None),
    ("the crisis team are with him but I can't cope", False, "help_now"),
])
def test_round_fifteens_context_changes(said, yes_no, category):
    assert heard(said, yes_no) == category


@pytest.mark.parametrize("said", [
    "fleeting, but I'd never act on it", "just in passing", "once in a blue moon, I suppose",
])
def test_rare_or_fleeting_at_the_safety_question_is_a_hedged_yes(said):
    assert MODEL.hear(said, yes_no=True) == Heard("passive", said, hedged=True)


def test_rare_or_fleeting_denied_at_the_safety_question_is_a_no():
    assert heard("no, not even fleetingly", yes_no=True) is None
