"""The risk vocabulary file a clinical lead reads and changes: what it says, what it refuses, and the labelled
corpus it must keep passing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ivr.callflow.flowbook import FlowError
from ivr.callflow.line import load_book
from ivr.callflow.risk import CATEGORIES, RiskFileError, RiskModel
from ivr.callflow.risk.vocabulary import Vocabulary
from ivr.callflow.yamlfile import read_yaml
from tests.support.line import FLOWS

CORPUS = Path(__file__).resolve().parents[2] / "bench" / "risk_corpus.csv"
# Tuned-on utterances the model still gets wrong, each a known limit (docs/risk-model.md); any other is a regression.
KNOWN_MISSES = {
    # heldout12's, left by round 12: "come back from" is taken out for holidays ("I wish I'd never come back from
    # Spain"), so a survivor's wish said with a place is not heard (said as "not made it back" or "died out there",
    # it is).
    "aye ex army some days i wish i'd not come back from helmand",
    # round14-probe's, left by round 14 for the same reason: "never come back from" is taken out, work or a holiday.
    "some days i wouldnt mind if i never come back from work",
    # round16-probe's, left by round 16 for the same reason: taking "back from" out only for a holiday or a visit
    # heard them, but lost "I wish I'd never come back from Cornwall" to a list of places that never ends ("some days
    # I wish one of them had got me out there" is heard).
    "some days I wish I hadn't come back from Iraq",
    "some nights I wish I'd not come back from Afghanistan",
    # heldout17's, left by round 17: an overdose said in fragments, each its own sentence ("I took pills" alone is
    # also what a caller says of a headache), and a real person asked for at the NHS number, which many callers ask
    # for who are not in crisis. The first hears the help offer (its "pills" is a word to check).
    "Hard of hearing. Speak slow. I took pills. Lots. Just now.",
    "I can't do numbers right now. Is there a person? Please, a real person.",
}
KNOWN_FALSE_ALARMS = {
    "I can't cope with crowds",  # "I can't cope" is asked-for help, as the issue says
    "I'd rather die than go to a group",  # an idiom; the cue "me + not alive + wish" hears it (fails safe)
    # At the safety question "sort of" is a hedged yes, though the caller goes on to say they are not at risk
    # (fails safe: a gentle acknowledgement and the routes).
    "sort of, i'm not at risk or anything, it's just been a rubbish few months",
    # heldout10's, left by round 10 (docs/risk-model.md): a friend's overdose whose cue reaches the caller's own
    # clause (fails safe). Its "if I said I was suicidal cos I'm not" is a supposition since round 16, taken back.
    "my best mate took an overdose and i can't stop thinking about it",
    # heldout11's, left by round 11: at the safety question "I can't stop thinking about it" is a hedged yes,
    # though "it" is the best mate's attempt (fails safe; a caller saying it of their own thoughts must be heard).
    "no, it's my best mate, he tried to hang himself last month and i can't stop thinking about it",
    # heldout12's, left by round 12: a therapist's question about suicide, the caller's answer long past, said 20
    # words later; a question asked is not taken out, as "she asked me about it and I said yes" is a disclosure.
    "hello it's tom date of birth twenty third of march eighty four the therapist asked me last week about thoughts "
    "of suicide and i forgot to say i had thoughts like that as a teenager but it's been years and years i just "
    "thought she should know for her notes",
    # heldout13's, left by round 13: the husband's talk of ending it is his, but the caller's own "I can't cope with
    # it" is help now, as "I can't cope" is everywhere (the issue's words); fails safe.
    "no but my husbands a veteran and hes been talking about ending it im ringing for me i cant cope with it",
    # heldout14's, left by round 14 (all fail safe): the caller's own "I've been in bits" is help now wherever it is
    # said, as "I can't cope" is; a supposition about stopping their own medicine is not taken out, since "if I stop
    # my tablets I'll ..." may be a disclosure; and a question a doctor may ask is not taken out, as heldout12's
    # therapist row (a caller may disclose as "she asked me and I said yes").
    "no not me my husband said last week he wants to kill himself and ive been in bits since",
    "that depends what you mean. if i stopped my medication i might become unsafe but i am taking it so i am safe",
    "if me doctor asks would i hurt meself what do i say cos i wouldnt i just want to know what ipt is",
    # round15-probe's, heard on main too (fails safe): "if I'm still here" is the passive phrase, said here of the
    # office.
    "ring me at the office if i'm still here, not that it matters which number",
    # round16-probe's, heard on main too (fails safe): "won't let me leave the house on my own" is harm from others,
    # said here of carers after a fall.
    "the carers won't let me leave the house on my own since my fall",
    # heldout17's, left by round 17 (fails safe): "unsafe" said back as the question's word, then of the wiring.
    "Unsafe? The landlord still hasn't fixed the wiring, if that's what you mean. Otherwise I'm just low since the "
    "split.",
}
# As bench/risk_phrases.py: parts written before the model was run on them, never tuned on (docs/risk-model.md, "The
# twelfth blind part").
NEVER_TUNED = {"heldout19"}


def test_the_file_says_where_its_categories_come_from_who_reviews_it_and_how_to_add_a_phrase():
    header = (FLOWS / "risk.yaml").read_text(encoding="utf-8").split("categories:")[0]
    for words in ("C-SSRS", "NG225", "ConText", "WHO REVIEWS IT", "Clinical Safety Officer", "HOW TO ADD A PHRASE"):
        assert words in header, words
    data = read_yaml(FLOWS / "risk.yaml")
    assert tuple(data["categories"]) == CATEGORIES
    assert all(data["categories"][c]["the line"] for c in CATEGORIES)


def data_with(**changes) -> dict:
    """The real file's data with some parts changed."""
    data = read_yaml(FLOWS / "risk.yaml")
    data.update(changes)
    return data


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["categories"].pop("passive"), "needs exactly the categories"),
    (lambda d: d["categories"]["intent"].pop("the line"), "category 'intent' needs 'the line:'"),
    (lambda d: d["categories"]["intent"].update(phrases="kill myself"), "category 'intent' phrases: needs a list"),
    (lambda d: d["categories"]["intent"]["misheard"].append("end it"), "'end it' is too short"),
    (lambda d: d["categories"]["passive"]["phrases"].append("no point ..."), "starts or ends with"),
    (lambda d: d["context"].pop("negation"), "needs 'context:'"),
    (lambda d: d["cues"]["passive"].append("me + regret"), "cues: passive: 'me \\+ regret' names no concept 'regret'"),
    (lambda d: d["cues"]["intent"].append("me"), "needs two concepts or more"),
    (lambda d: d["cues"]["concepts"].update(wish=[]), "cues: concept 'wish' needs a list of words"),
    (lambda d: d["cues"].update(sadness=["me + wish"]), "cues: no category 'sadness'"),
    (lambda d: d.update(to_check="pills"), "to_check: needs a list"),
])
def test_a_broken_file_is_refused_saying_what_is_wrong(change, message):
    data = data_with()
    change(data)
    with pytest.raises(RiskFileError, match=message):
        Vocabulary.from_data(data)


def test_a_line_with_a_crisis_step_will_not_load_without_its_risk_file_or_with_a_broken_one(tmp_path):
    flows = tmp_path / "flows"
    flows.mkdir()
    for path in FLOWS.glob("*.yaml"):
        (flows / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_book(str(flows)).risk.hear("I want to kill myself").category == "intent"
    (flows / "risk.yaml").write_text("categories:\n  suicide: nothing\n", encoding="utf-8")
    with pytest.raises(FlowError, match="risk.yaml: needs exactly the categories"):
        load_book(str(flows))
    (flows / "risk.yaml").unlink()
    with pytest.raises(FlowError, match="crisis.now.*no risk.yaml"):
        load_book(str(flows))


def test_the_words_that_mark_a_message_to_check_are_the_files_each_given_once_in_the_order_said():
    model = RiskModel.from_file(FLOWS / "risk.yaml")
    said = "My tablets ran out. I can't cope, honestly I cannot cope, and I'm scared."
    assert model.hear(said) is not None  # heard as risk too: the two are asked apart (ivr/voice/transcription.py)
    assert model.to_check(said) == ["tablets", "cant cope", "scared"]
    assert model.to_check("Can I move my appointment to Tuesday, please?") == []
    data = data_with()
    del data["to_check"]  # a file may leave the list out (the Polish one does): nothing is then to check
    assert RiskModel(Vocabulary.from_data(data)).to_check(said) == []


def corpus(split: str) -> list[dict[str, str]]:
    """The labelled corpus's rows of one split ('tuned': every row tuned on; 'held_out': every row never tuned on)."""
    with open(CORPUS, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return [r for r in rows if (r["split"] not in NEVER_TUNED) == (split == "tuned")]


def test_the_corpus_is_large_and_covers_every_category_question_and_form():
    rows = corpus("tuned") + corpus("held_out")
    assert len(rows) >= 300
    assert {r["expected"] for r in rows} == set(CATEGORIES) | {"none"}
    assert {"menu", "date_of_birth", "practice", "name", "yes_no", "message"} <= {r["question"] for r in rows}
    assert {"direct", "indirect", "negated", "past", "other_person", "hypothetical", "misheard", "hedged",
            "ordinary"} == {
        r["form"] for r in rows}
    # A blind part never tuned on must be a real measure, 50 utterances at least (when a round has tuned on every
    # part, NEVER_TUNED is empty until the next blind part is added).
    assert not NEVER_TUNED or len(corpus("held_out")) >= 50


def test_every_tuned_utterance_is_heard_as_labelled_bar_the_known_limits():
    model = RiskModel.from_file(FLOWS / "risk.yaml")
    missed, alarmed = set(), set()
    for row in corpus("tuned"):
        found = model.hear(row["text"], yes_no=row["question"] == "yes_no")
        if row["expected"] != "none" and found is None:
            missed.add(row["text"])
        elif row["expected"] == "none" and found is not None:
            alarmed.add(row["text"])
    assert missed == KNOWN_MISSES
    assert alarmed == KNOWN_FALSE_ALARMS
