"""Round 13's families of wording (docs/risk-model.md, "Round 13"): each heard in words that no corpus row uses,
and each ordinary look-alike left alone, at and away from the safety question."""

from __future__ import annotations

import pytest

from tests.support.risk import heard


@pytest.mark.parametrize(("said", "category"), [
    ("I swallowed every sleeping tablet I had left", "acting_now"),  # a medicine said in the singular
    ("I've done it and there's blood all over the sofa", "acting_now"),  # blood all over
    ("I have over those on my painkillers", "acting_now"),  # "overdosed" misheard
    ("I'm stood at the top of the cliff and I'm going off the edge", "acting_now"),  # there, going over
    ("the rope is round me neck", "acting_now"),  # "me" for "my"
    ("both the boxes are empty next to me and I'm getting sleepy", "acting_now"),  # empties, and the effects
    ("I've had everything from the medicine cupboard and I'm going woozy", "acting_now"),
    ("I'm parked in a lay by with a pipe in the exhaust", "acting_now"),  # a hose in the car
    ("it won't matter by the morning, I've done it already", "acting_now"),  # done, no morning to come
    ("I've got the smack, I'm banging the lot in tonight and that's me finished", "intent"),  # drugs all at once
    ("after the funeral I'll go as well, it's all written down for the kids", "intent"),  # going too
    ("I am wanting to finish my own life", "intent"),
    ("I'm hanging my shelf in the shed when everyone's asleep", "intent"),  # "hang myself" misheard
    ("I'm wading into the reservoir tonight", "intent"),  # into the water
    ("I'm going to end me life", "intent"),
    ("I'm scared I'll do something to myself", "intent"),
    ("I've been working out where I'd do it", "intent"),  # where I'd do it
    ("I've stopped the milk and the papers, you won't need my number for long", "intent"),  # affairs, gone soon
    ("I'm doing it Thursday before they evict me", "intent"),  # before the house is taken
    ("ring me before Saturday, after that there won't be anybody to answer", "intent"),  # nobody to ring
    ("I keep hoping it's something terminal", "passive"),
    ("sick of fighting, I'm ready to let go", "passive"),  # tired of fighting, ready
    ("I'm a weight around everyone's neck", "passive"),
    ("not really living, just existing, waiting for the end", "passive"),
    ("another Christmas I never wanted to see", "passive"),
    ("I lie here wishing I could fade out", "passive"),
    ("it's as if I'm already dead", "passive"),
    ("why am I even still alive", "passive"),
    ("my stepdad lets himself in at night and says I'll regret it if I tell anyone", "harm_from_others"),
    ("don't ring, he checks my phone", "harm_from_others"),  # contact kept from him
    ("I keep getting urges to slap my sister", "harm_to_others"),  # urges to hit
    ("that bloke who did me over, I'm going to batter him", "harm_to_others"),  # going to "do him"
    ("I keep picturing taking the axe to him", "harm_to_others"),
    ("I need a real person right now", "help_now"),
    ("I need to talk to somebody immediately", "help_now"),
])
def test_round_thirteens_families_hear_new_wordings(said, category):
    assert heard(said) == category


@pytest.mark.parametrize("said", [
    "I take one sleeping tablet at bedtime", "the dog cut her paw, blood all over the kitchen floor",
    "could you go over those on the form with me", "I'm at the top of the hill and I'm going over to my mum's",
    "the boxes are empty, can I get a repeat", "the new tablets make me drowsy in the mornings",
    "I'm parked up by the surgery with the window down", "I've already done it, I sent the form off on Monday",
    "I've already done it, it's too late to change the appointment now",
    "I've bought new gear for fishing and I'm putting the lot in the van in one go",
    "I'm going to the funeral, my sister's going too, I've written down the address",
    "I want to finish my life story for the grandchildren", "I'm hanging my shelf in the kitchen this weekend",
    "we walk into the Derwent Valley on Sundays", "I'm swimming in the sea tonight with the club",
    "I'm working out where I'd go to do the shopping",
    "I left a letter on the side for the council, I said what I needed to say about the repairs",
    "I've cancelled the papers while we're away for a fortnight",
    "I'm doing the clear out Thursday before the bailiffs come", "I'm hoping it's nothing terminal",
    "if the train is late I wouldn't be bothered", "tired of fighting with the council, I'm ready to move",
    "the loan is a millstone round our necks", "I just sit here waiting to go in for my scan",
    "since my wife died I'm waiting for my turn at the housing office",
    "another birthday, I never wanted a fuss", "I wish the ache would fade away",
    "I feel like I've already gone through all this with the GP", "why am I still waiting in the queue",
    "the landlord lets himself in to check the boiler", "I shake the baby's rattle to make her laugh",
    "I keep wanting to hit the gym", "I'm going to do him a favour and drive him to work",
    "I'm taking the knife to the butcher's to be sharpened", "can I speak to a real person about my appointment",
    "I need to speak to someone about my prescription",
])
@pytest.mark.parametrize("yes_no", [False, True])
def test_round_thirteens_families_leave_ordinary_look_alikes_alone(said, yes_no):
    assert heard(said, yes_no) is None


@pytest.mark.parametrize(("said", "yes_no", "category"), [
    # Hedges at the safety question: a bad day, the back of the mind, "can't say no"; a denial of one is still a no.
    ("on a bad night, yeah", True, "passive"),
    ("it's at the back of me mind", True, "passive"),
    ("can't say no", True, "passive"),
    ("not really, well, a little", True, "passive"),
    ("no, not even on a bad day", True, None),
    # "I just need help" after denying a risk heard asks for the service; said alone, or with "now", it is help now.
    ("no, I won't harm myself, I just need help", True, None),
    ("I'm not suicidal, I just need some help", False, None),
    ("I just need help", False, "help_now"),
    ("no, I just need help now", True, "help_now"),
    ("I'm not okay, I just need help", False, "help_now"),
    # "It's" starts someone else's clause: "not me, it's the baby" does not deny the thoughts that follow.
    ("not me, no, it's my son, I keep thinking about hitting him", True, "harm_to_others"),
    # A now word inside a cue is now: the past does not take it away.
    ("I tried to end it back in 2014 and I'm going to end it tonight", False, "intent"),
    # What the trouble is now, and the past said not to be so now, keep a past disclosure past.
    ("I overdosed in 2010, it's my debts now", False, None),
    ("I tried to hang myself years back, it's not like that now", False, None),
    ("the overdose I took is long behind me", False, None),
    # A marriage falling apart is not the caller falling apart.
    ("my relationship is falling apart", False, None),
])
def test_round_thirteens_context(said, yes_no, category):
    assert heard(said, yes_no) == category
