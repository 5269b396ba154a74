"""Round 10's families of wording (docs/risk-model.md, "Round 10"): each heard in words that no corpus row uses,
each ordinary look-alike left alone, and the two context rules the round changed."""

from __future__ import annotations

import pytest

from ivr.callflow.risk.words import Said
from tests.support.risk import MODEL, heard


@pytest.mark.parametrize(("said", "category"), [
    ("I've swallowed more of my zopiclone than I'm supposed to", "acting_now"),  # more than meant
    ("I've been popping them every hour since this morning", "acting_now"),  # taken over hours
    ("took the lot washed down with vodka", "acting_now"),  # with drink
    ("I've taken something so it's too late", "acting_now"),
    ("there's a pistol in my hand", "acting_now"),
    ("I'm cutting right now", "acting_now"),
    ("my mind is made up I won't be here by the weekend", "intent"),  # decided + leaving soon
    ("it's all arranged for tomorrow night", "intent"),  # it all planned + a time
    ("I know where I'm going to jump off the flyover", "intent"),  # the means chosen
    ("unless somebody calls me back I'm ending it", "intent"),  # an ultimatum
    ("I've cancelled my phone and rehomed the dogs", "intent"),  # affairs + things given away
    ("giving away all me possessions so the family don't have to sort it later", "intent"),
    ("I don't think I'll survive the night", "intent"),
    ("my husband would be so much happier without me", "passive"),  # the others better without the caller
    ("some nights I pray my heart would just stop", "passive"),  # a wish for an accident
    ("ring me tomorrow if I'm still breathing", "passive"),
    ("I've had thoughts about not wanting to wake up", "passive"),
    ("he gave me a kicking and put me in hospital", "harm_from_others"),
    ("my stepdad told me he'd strangle me", "harm_from_others"),  # a threat said with what he'd do
    ("I've been following him for days and I want to stab him", "harm_to_others"),  # lying in wait
    ("I don't know who to turn to I'm desperate", "help_now"),  # at a loss + a plea
])
def test_round_tens_families_hear_new_wordings(said, category):
    assert heard(said) == category


@pytest.mark.parametrize("said", [
    "I've overdosed on Netflix this weekend", "I take more ibuprofen than I should for my knee",
    "we've got a christening planned for Sunday", "I know which bridge the bus goes over",
    "I've made a will now I'm sixty", "we're moving so I'm giving my books away",
    "I said my goodbyes to my nan at the hospice", "my rucksack would be lighter without the laptop",
    "I hope I don't get knocked over on these roads", "if I'm still at work ring my mobile",
    "my dad said he'd pick me up", "I'm sat here with the dog on my lap",
    "as soon as possible please, I'm struggling with the forms",
    "I'm a paramedic and I deal with overdoses every week",
])
@pytest.mark.parametrize("yes_no", [False, True])
def test_round_tens_families_leave_ordinary_look_alikes_alone(said, yes_no):
    assert heard(said, yes_no) is None


@pytest.mark.parametrize(("said", "category"), [
    # A negation ends where someone else starts a clause of their own ...
    ("don't ring the house, he checks my phone, he's put me in hospital before", "harm_from_others"),
    ("please don't write to me he opens my post and he hits me", "harm_from_others"),
    # ... but not after words that report what they do: these are denials.
    ("I'm not saying he hits me", None),
    ("I don't think he's violent, he's just loud", None),
    # Only a phrase that starts with its own "not" is kept from a negation before it.
    ("I've never had thoughts of not wanting to be alive", None),
    ("I've never thought about not being here", None),
    ("I'm not coping", "help_now"),
])
def test_round_tens_context_rules(said, category):
    assert heard(said, yes_no=category is None) == category


def test_a_cue_whose_concepts_cannot_all_be_said_is_not_looked_for_and_nothing_else_changes():
    cues = MODEL.vocabulary.cues
    said = Said.of("I'd be happier dead")
    heard_cues = cues.find(said)
    assert [span.kind for span, _ in heard_cues] == ["passive"]
    everything = type(cues)(cues.concepts, cues.cues)  # no first words known: every concept looked for
    assert everything.find(said) == heard_cues
