"""Round 16's families of wording (docs/risk-model.md, "Round 16"): each heard in words that no corpus row uses,
each ordinary look-alike left alone, at and away from the safety question, and the context changes: the past closed
with a contrast, a supposition taken back or said to be so, someone else's "my"."""

from __future__ import annotations

import pytest

from ivr.callflow.risk import Heard
from tests.support.risk import MODEL, heard


@pytest.mark.parametrize(("said", "category"), [
    ("I've swallowed a load of my dad's pills and I'm going faint", "acting_now"),  # many taken, dizzy now
    ("left the van running in the garage with the shutters down", "acting_now"),  # a car running, shut in
    ("the packet's empty. I don't want my son to be the one who finds me", "acting_now"),  # who finds me, done
    ("I'm going to hand myself from the bannister tonight", "intent"),  # "hang" misheard
    ("I'm going to stop drinking water until I die", "intent"),  # not eating or drinking till the end
    ("wills sorted. I won't be around after Sunday.", "intent"),  # affairs, gone by a date, two sentences
    ("I won't be answering it after Friday. I've got it all planned.", "intent"),  # too late, planned
    ("I keep thinking about walking off the roof at work", "intent"),  # stepping off the edge
    ("there's a belt in the wardrobe, it'd be easier for everybody if I used it", "intent"),  # easier if used
    ("one of these days I'll drive up to the moors and never come back", "intent"),  # out one night, not back
    ("I sometimes wish one of them had shot me out there", "passive"),  # a survivor's wish
    ("I can't see the point in carrying on", "passive"),  # no reason to keep going
    ("since my husband passed away I want to go with him", "passive"),  # going with the dead
    ("the baby would be better off with a different mother", "passive"),  # a different parent
    ("I'm just waiting for my time to go", "passive"),  # waiting for one's turn
    ("I'll keep cutting back till there's nothing left of me", "passive"),  # shrinking to nothing
    ("it'd be kinder on everyone if I just wasn't around", "passive"),  # kinder if I just wasn't here
    ("I'd not mind if I never woke up", "passive"),  # "I'd not mind" as "I wouldn't mind"
    ("if he finds out I've called you I don't know what he'll do to me", "harm_from_others"),  # the call hidden
    ("the last time he found out I'd spoken to my mum he locked me in", "harm_from_others"),  # kept in after
    ("she goes through my phone and takes all my money", "harm_from_others"),  # kept in, the money kept
    ("can someone ring me, I need hell urgently", "help_now"),  # "help" misheard
    ("I'm in a mess tonight, is there a human", "help_now"),  # in a mess, is anyone there
])
def test_round_sixteens_families_hear_new_wordings(said, category):
    assert heard(said) == category


@pytest.mark.parametrize("said", [
    "the engine's running in the garage with the door open", "the bottle's empty. whoever finds my keys, ring me",
    "I'm going to hand myself in to the police", "I've stopped eating sugar until I lose a stone",
    "I keep thinking about walking off the stage at work",
    "one night we stayed at mum's and didn't come back till late",
    "I wish one of them had got me a ticket", "I can't see any reason to go on with the course",
    "since dad died I go with mum to the cemetery", "I'd like to go with him to the match",
    "the baby would be better off with a different bottle", "I'm waiting for my turn to go on the rides",
    "I ticked the suicide box by mistake", "the GP asked about self harm and I said no",
    "afternoons I'm killing myself at the gym",
])
@pytest.mark.parametrize("yes_no", [False, True])
def test_round_sixteens_families_leave_ordinary_look_alikes_alone(said, yes_no):
    assert heard(said, yes_no) is None


@pytest.mark.parametrize(("said", "category"), [
    # The past closed with a contrast reaches back over the whole sentence ...
    ("I tried to take my life when I lost my job but that was nine years ago, I'm in a good place now", None),
    ("thought about ending it when I first came out but that was back then and I'm settled now", None),
    # ... and a sentence saying when that was reaches the one before it ...
    ("I self harmed at uni. That was in 2009.", None),
    # ... but what is said of now keeps it live.
    ("I took tablets to end it years ago and I'm fine now, but last night I did it again", "intent"),
    ("I took an overdose. That was years ago but I took another one tonight", "acting_now"),
    # Someone else's "my" is not the caller's.
    ("my sister keeps saying she'd be better off dead since my dad left", None),
    # "If I said" is a supposition only when taken back; said to be so, a supposition is heard.
    ("would you ring back sooner if I told you I wanted to die? Cos I don't", None),
    ("if I told you I'd taken 30 tablets, what would you do", "acting_now"),
    ("if I said I was suicidal would you help, because I'm not coping", "intent"),
    ("what if I said I want to die, because I do", "intent"),
])
def test_round_sixteens_context_changes(said, category):
    assert heard(said) == category


@pytest.mark.parametrize("said", ["it comes and goes", "the thoughts are there, yeah"])
def test_coming_and_going_at_the_safety_question_is_a_hedged_yes(said):
    assert MODEL.hear(said, yes_no=True) == Heard("passive", said, hedged=True)
