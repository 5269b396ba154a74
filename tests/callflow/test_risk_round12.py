"""Round 12's families of wording (docs/risk-model.md, "Round 12"): each heard in words that no corpus row uses,
and each ordinary look-alike left alone, at and away from the safety question."""

from __future__ import annotations

import pytest

from tests.support.risk import heard


@pytest.mark.parametrize(("said", "category"), [
    ("slashed again, and it needs stitches", "acting_now"),  # cut again, and worse
    ("there's a shotgun on the bed in front of me", "acting_now"),  # a gun in front of me
    ("I am now on the viaduct", "acting_now"),  # "I am now on" a high place
    ("I've downed the whole lot, there's nothing you can do", "acting_now"),  # the lot taken, nothing to be done
    ("I took something about half an hour ago", "acting_now"),  # something taken, and how long ago (walk)
    ("I've took an over those of them", "acting_now"),  # an overdose misheard
    ("I'm laying on the rail way lines", "acting_now"),  # stuck on the railway line
    ("I've been thinking about using my rifle, I know where I'd go", "intent"),  # using a gun, and where
    ("I've thought about going up the old viaduct and jumping off", "intent"),  # going up and jumping off
    ("by the weekend I'll be gone, so ring before", "intent"),  # done by a day
    ("I'm going to take a rope into the woods later", "intent"),  # a rope taken somewhere alone
    ("been counting out my codeine, I'm going to do it soon", "intent"),  # counting out, and going to do it
    ("honestly I just want to unalive", "intent"),  # said online
    ("I'd be worth more to the kids dead", "passive"),  # worth more dead
    ("everybody's gone, I'm waiting for the end", "passive"),  # outlived, and waiting
    ("I'd sooner not wake up in the morning", "passive"),  # "just as soon not"
    ("my husband keeps slapping me", "harm_from_others"),  # "kicking me", "slapping me"
    ("he goes spare if he finds out I've been talking to anyone", "harm_from_others"),  # found out I've been ringing
    ("I'm scared I'll hurt my mum", "harm_to_others"),  # urges to hurt a parent
    ("I keep imagining putting my hand over her mouth", "harm_to_others"),  # smothering a child
    ("elp me, I'm scared", "help_now"),
])
def test_round_twelves_families_hear_new_wordings(said, category):
    assert heard(said) == category


@pytest.mark.parametrize("said", [
    "my shift's been cut again, fewer hours than before", "the grass needs cut again, it's longer than usual",
    "I've got the rifle out of the cabinet for the season", "I'm now on the main road by the chippy",
    "I've taken the whole lot back to the shop, it doesn't matter", "I took something for my back an hour ago",
    "we had something to eat about an hour ago", "I'm thinking about selling my shotgun, I know where I'd go",
    "thinking about going up the tower to see the view", "we did a charity jump off the bridge last summer",
    "after Friday I'll have done my exams", "we're going to put a rope swing in the woods",
    "I count out my tablets into the dosette every Sunday", "the car is worth more than my dad paid",
    "waiting to go in for my hip, everybody's gone on holiday", "I'd sooner stay in than go to a group",
    "the baby's kicking me like mad today", "my mum will go spare if she finds out I vape",
    "I have urges to ring my mum every day", "I pull the pillow over my face when the baby cries",
    "I've written my letters to the council and given the dog to my sister for the week",
    "we're going up the woods with a rope to make a swing", "I'm taking a rope up to the barn to tie the bales",
    "I'm going to use the rifle on the rabbits, I know where I'd go",
])
@pytest.mark.parametrize("yes_no", [False, True])
def test_round_twelves_families_leave_ordinary_look_alikes_alone(said, yes_no):
    assert heard(said, yes_no) is None


@pytest.mark.parametrize(("said", "yes_no", "category"), [
    # "He'll" starts someone else's clause: a request not to write is no denial of his threat.
    ("please don't post anything, he'll kill me if he sees it", False, "harm_from_others"),
    # A "now" after a number is an age, not now; the children small is a time in the caller's life.
    ("I overdosed when I was 22, I'm sixty now", False, None),
    ("I self harmed when the kids were little, they're twelve now", True, None),
    # A cue's concepts are taken closest together: "no, it's others" is not a denial of "I want to hurt my dad".
    ("no, it's others, I've had urges to batter my dad", True, "harm_to_others"),
])
def test_round_twelves_context(said, yes_no, category):
    assert heard(said, yes_no) == category
