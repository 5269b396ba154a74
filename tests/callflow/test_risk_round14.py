"""Round 14's families of wording (docs/risk-model.md, "Round 14"): each heard in words that no corpus row uses,
and each ordinary look-alike left alone, at and away from the safety question."""

from __future__ import annotations

import pytest

from tests.support.risk import heard


@pytest.mark.parametrize(("said", "category"), [
    ("I've downed about 35 of my diazepam", "acting_now"),  # a count of ten or more, swallowed
    ("I ingested twenty two tramadol", "acting_now"),
    ("I've injected loads of insulin deliberately", "acting_now"),  # insulin injected on purpose
    ("I've got enough codeine in my bag to stop me heart", "acting_now"),  # enough to kill
    ("I have already take the whole box of pill", "acting_now"),  # "I have already take" (ESL)
    ("I take every tablet in the house and now I say goodbye to you", "acting_now"),
    ("I've worked out which viaduct I'd jump from", "intent"),  # a place chosen to go off
    ("I've deleted all my social media before I go through with it", "intent"),  # wound up, before the act
    ("I've put the bungalow in my daughter's name so nobody has to sort anything when I'm gone", "intent"),
    ("I'm giving my guitars away, I won't be around long", "intent"),  # given away, not here long
    ("honestly gonna kms this weekend", "intent"),
    ("I have decided to die", "intent"),
    ("plan. tonight.", "intent"),  # a terse answer said in fragments
    ("sometimes I hope I get killed on the road", "passive"),  # a crash wished for
    ("every time I drive I'm wishing the car would leave the road", "passive"),
    ("the craving for the blade has returned", "passive"),  # the urge to self-harm come back
    ("my daughter would be better off with a better mum than me", "passive"),
    ("I'd be doing them a favour if I was gone", "passive"),
    ("maybe it's best if I stop existing", "passive"),
    ("he went for me last night and I've got a black eye", "harm_from_others"),  # bruises from him
    ("my uncle gropes me and says I'll pay for it if I tell", "harm_from_others"),
    ("if I leave her she says she'll find me", "harm_from_others"),
    ("I'm terrified in my own home", "harm_from_others"),
    ("I get the urge to shove strangers in front of the tram", "harm_to_others"),
    ("the voices keep saying I must get rid of my flatmate", "harm_to_others"),
    ("my husband's not really my husband, I need to get rid of him", "harm_to_others"),
    ("need somebody. now.", "help_now"),
    ("I'm at the end of me tether", "help_now"),
])
def test_round_fourteens_families_hear_new_wordings(said, category):
    assert heard(said) == category


@pytest.mark.parametrize("said", [
    "I took 20 mg of sertraline this morning", "I took my tablets at 10 past 8",
    "I've taken citalopram for 15 years", "I had 30 tablets from the chemist",
    "I swallowed 2 paracetamol for my headache", "I already take a lot of tablets for my heart",
    "I injected all my insulin this morning and feel shaky", "I've got enough tablets to last me till Friday",
    "I'm working out which bridge to take to get to work",
    "I deleted my socials before my exams so I can do what I have to do",
    "I've sorted all the paperwork for the move so nobody has to do it after",
    "I've decided to dye my hair", "the urge to smoke is back again",
    "the lads would be better off with a new manager", "you'd be doing everyone a favour if you weren't so late",
    "my car would go off the road in the snow last winter", "the dog went for me and I've got bruises",
    "my fella laid into me about the washing up", "if I leave work early can you find me an appointment",
    "I have an urge to push my son on the swings", "I need to get rid of my old sofa",
    "nobody hurts me", "no one hits me at home", "I don't feel safe when I hear loud bangs but I'm fine",
    "I lost two of my mates to suicide", "I've got a plan for tonight, we're going to the pictures",
])
@pytest.mark.parametrize("yes_no", [False, True])
def test_round_fourteens_families_leave_ordinary_look_alikes_alone(said, yes_no):
    assert heard(said, yes_no) is None


@pytest.mark.parametrize(("said", "yes_no", "category"), [
    # A hedge at the safety question: the odd thought, even said with "nowt I'd do".
    ("I get the odd thought, nothing I'd act on", True, "passive"),
    ("no, not even the odd thought", True, None),
    # Well now, and come through it, keep a past disclosure past; said with now, it is now.
    ("I thought about ending it when I was at college but I'm well now", False, None),
    ("I was in a bad way after the divorce but I got through it", False, None),
    ("I got through it before but it's back now and I want to die", False, "intent"),
    # A startle at a noise is how it feels when it happens; unsafe with someone is still heard.
    ("I don't feel safe when the thunder starts", True, None),
    ("I'm not safe at home when he's drunk", False, "harm_from_others"),
    # A comrade lost to suicide is the caller's grief; the caller's own words beside it are heard.
    ("lost my best mate to suicide and now I want to kill myself", False, "intent"),
    # "Nobody hurts me" is a denial; "nobody would miss me" is not.
    ("no. nobody hits me.", True, None),
    ("nobody would miss me", False, "passive"),
])
def test_round_fourteens_context(said, yes_no, category):
    assert heard(said, yes_no) == category
