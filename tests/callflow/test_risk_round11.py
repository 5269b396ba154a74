"""Round 11's families of wording (docs/risk-model.md, "Round 11"): each heard in words that no corpus row uses,
and each ordinary look-alike left alone, at and away from the safety question."""

from __future__ import annotations

import pytest

from tests.support.risk import heard


@pytest.mark.parametrize(("said", "category"), [
    ("I scalded my wrists with a hot spoon", "acting_now"),  # burning with something
    ("stubbed a cigarette out on my leg", "acting_now"),
    ("I'm stood on the rail line waiting for the next train to come", "acting_now"),  # waiting by the line
    ("engine's going in the shed and the door's shut", "acting_now"),  # an engine on, shut in
    ("whatever I've taken is starting to work, I feel drowsy", "acting_now"),  # what was taken, taking effect
    ("I cut missen last night", "acting_now"),  # Derbyshire "missen" is "myself"
    ("I'm phoning before I end it so someone knows", "intent"),  # going through with it, told first
    ("I've still got me service pistol and I keep thinking of using it on myself", "intent"),  # the means
    ("the policy is paid up so the family will be provided for", "intent"),  # insured and provided for
    ("it won't matter, I've given my clothes away", "intent"),  # things given away, nothing needed
    ("it's all planned for when I'm gone", "intent"),
    ("I've written notes to me mam and everyone", "intent"),
    ("I've been alive too long, love", "passive"),  # a life too long
    ("I'd like to vanish forever", "passive"),
    ("sometimes I wish I hadn't made it back from Iraq", "passive"),  # a survivor's wish
    ("my ex said he'd burn the car with me in it", "harm_from_others"),  # a threat said with what he'd do
    ("he'd kill me if he knew I was calling", "harm_from_others"),  # a call hidden from him
    ("I'll put them in A and E if they come round again", "harm_to_others"),
    ("I'm frightened I'll do summat to my boss", "harm_to_others"),
    ("barely holding it together, I need help now", "help_now"),  # not holding, with a plea
])
def test_round_elevens_families_hear_new_wordings(said, category):
    assert heard(said) == category


@pytest.mark.parametrize("said", [
    "I burnt my arm on the grill doing the bacon", "I scalded my hand with the kettle",
    "I'm on the platform waiting for the next train to Matlock", "I live by the railway line",
    "the engine's running, I'm just warming the van up", "my antibiotics are kicking in at last",
    "I want to check before I do it, is the form online", "I've got my dad's old shotgun licence",
    "I use the cream on myself twice a day", "we've sorted the life insurance since the baby came",
    "I wish I'd never come back from Cornwall", "my grandad never came back from the war",
    "thirty years too long in that job", "I've lived too long in this village to move now",
    "I'd like to disappear to the seaside for a week", "my mum goes mad if I'm on my phone at tea",
    "I have to whisper, the baby's asleep", "I need to do something to the kids' bedroom",
    "I can't hold it together in meetings since the divorce", "I work on the railway, nights",
])
@pytest.mark.parametrize("yes_no", [False, True])
def test_round_elevens_families_leave_ordinary_look_alikes_alone(said, yes_no):
    assert heard(said, yes_no) is None


@pytest.mark.parametrize(("said", "yes_no", "category"), [
    # Not answering the phone is no denial of what follows.
    ("if I don't pick up, nobody would even notice I'm gone", False, "passive"),
    # Past said as "past that", and "a long time ago now" is still the past.
    ("I tried to end it years back and I'm well past that", False, None),
    ("I burnt my arms with a lighter a long time ago now", False, None),
    # The odd day, late at night: a hedged yes at the safety question.
    ("the odd day, mostly on my own", True, "passive"),
    ("late at night, mostly", True, "passive"),
])
def test_round_elevens_context_and_hedges(said, yes_no, category):
    assert heard(said, yes_no) == category
