"""Medicine taken as prescribed is not an overdose: "I take" with how often, or what it is for, is how a caller
lives with an illness (flows/risk.yaml: the `take` concept and the `every ...` not_risk phrases). "Take" said with
now, or with going to, is still heard."""

from __future__ import annotations

import pytest

from tests.support.risk import heard


@pytest.mark.parametrize("said", [
    "I take my pills every night before I go to bed",
    "I take three lots of tablets for my heart",
    "I take loads of medication since the transplant",
    "I've taken my sertraline every day for a year now",
    "I take some painkillers for my hip",
    "I swallow my tablets with my breakfast",
    "I take a bottle of insulin pens on holiday",
    "I have my tablets each morning with a cup of tea",
])
@pytest.mark.parametrize("yes_no", [False, True])
def test_medicine_taken_as_prescribed_is_not_risk(said, yes_no):
    assert heard(said, yes_no=yes_no) is None


@pytest.mark.parametrize(("said", "category"), [
    ("I take all the tablets right now", "acting_now"),  # a caller whose first language is not English
    ("I swallow the whole bottle of pills tonight", "acting_now"),
    ("I'm about to take a whole packet of painkillers", "intent"),
    ("the tablets are on the table and I'm going to take them all", "intent"),
    ("I've swallowed every pill I had", "acting_now"),  # "every" of the pills, said with them
])
def test_take_said_with_now_or_going_to_is_heard(said, category):
    assert heard(said) == category
