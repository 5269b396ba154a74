"""Round 17's families of wording (docs/risk-model.md, "Round 17"): each heard in words that no corpus row uses, each
ordinary look-alike left alone, at and away from the safety question, and the context changes: the past closed as
"nowhere near that now", those the caller lives or works with, what their notes say."""

from __future__ import annotations

import pytest

from tests.support.risk import heard


@pytest.mark.parametrize(("said", "category"), [
    ("I've drunk a whole bottle of the oramorph", "acting_now"),  # a bottle of medicine
    ("I've put all me insulin in at once, I'm sorry", "acting_now"),  # all the insulin
    ("tonight I necked what I was saving up", "acting_now"),  # what was stockpiled
    ("I've had more than I usually would, on purpose this time", "acting_now"),  # more than usual, meant
    ("I'm sat with rocks in my coat pockets by the water", "acting_now"),  # weighed down
    ("I'm on the platform waiting for the express that doesn't stop", "acting_now"),  # the train that doesn't stop
    ("I want to finish my life before Christmas", "intent"),  # the life finished
    ("some nights I think about heading to the railway tracks", "intent"),  # the railway gone to
    ("I've chosen which bridge", "intent"),  # the place chosen
    ("there's an urge to burn myself again", "intent"),  # burning wanted
    ("every night I ask God to take me", "passive"),  # asked of God
    ("I wish it would hurry up and take me", "passive"),  # an illness, sooner
    ("I can't see what I'm here for anymore", "passive"),  # no purpose
    ("half the time I hope a truck hits me", "passive"),  # an accident wished for
    ("he checks my phone and my bank every night", "harm_from_others"),  # controlled
    ("he mustn't know I rang you", "harm_from_others"),  # the call hidden
    ("the voice tells me to harm my brother", "harm_to_others"),  # told to
    ("I don't trust what I could do to someone at the moment", "harm_to_others"),  # not trusted
])
def test_round_seventeens_families_hear_new_wordings(said, category):
    assert heard(said) == category


@pytest.mark.parametrize("said", [
    "we drank a whole bottle of prosecco at the wedding", "I've put all my insulin in the cool bag",
    "I've picked which train I'm catching", "I burn myself on the iron all the time",
    "God it took me three goes to get through", "I hope nothing hits the car in this wind",
    "my daughter reads my letters to me because of my eyes", "the trainer keeps telling me not to hurt my knee",
    "I'm killing myself working nights to pay the mortgage", "my job's not safe, there's cuts coming",
    "I collect stones for the garden", "we walk to the canal and back every morning",
    "I want to finish my life story for the grandkids",
])
@pytest.mark.parametrize("yes_no", [False, True])
def test_round_seventeens_families_leave_ordinary_look_alikes_alone(said, yes_no):
    assert heard(said, yes_no) is None


@pytest.mark.parametrize(("said", "category"), [
    ("I cut myself years ago but I'm nowhere near that now", None),  # the past closed
    ("I took an overdose years ago and it's not an issue now", None),
    ("my housemate took an overdose at the weekend", None),  # someone the caller lives with
    ("one of my clients talked about suicide today and it's shaken me", None),  # someone they work with
    ("my records may still say overdose from when I was a teenager", None),  # what the notes say of the past
    ("I took an overdose years ago and I've done it again tonight", "acting_now"),  # now keeps it live
])
def test_round_seventeens_context_changes(said, category):
    assert heard(said) == category
