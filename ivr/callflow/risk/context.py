"""ConText (Harkema et al., 2009, J Biomed Inform 42:839-851) for what callers say: whether a phrase heard is
denied, said of someone else, long past or hypothetical.

As in ConText, context words (triggers) are found around the phrases (targets); a trigger inside a target is
no trigger ("don't" in "I don't want to be here"), nor is a pseudo-trigger ("not sure", "no one"). A trigger
reaches forward over a few words, to the end of the sentence or to a stop word ("but"), whichever is first.
Past reaches both ways within the sentence, and is set aside when the caller says it is now too ("again",
"still"); when the caller closes it with a contrast ("but that was six years ago, I'm past that now"), it reaches
back to the start of the sentence, as ConText's scope does (round 16). Two rules fit speech, where sentences run
on: an answer word ("no") stops at "I", and a denial stops at "I" after the first phrase it denies, so "I'm not
suicidal, I just can't cope" is heard as help.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ivr.callflow.risk.words import END, NUMBERS, Said

WINDOW = 8  # words a trigger reaches forward, at most
NOW_NEAR = WINDOW + 4  # words either side of a phrase within which a `now` word sets its past aside
CONTRAST = 6  # words after a past word within which a `behind` word ("I'm past that now") closes it
THAT_WAS = {("that", "was"), ("that", "were")}  # a sentence saying when that was ("it was" may start anything)
AGE = re.compile(NUMBERS["qqnumber"])  # a number said as one word ("twenty two now" is "two now")
SUBJECT = frozenset({"i", "im", "ive", "id", "ill"})  # the caller starting a clause of their own
CLOSED = SUBJECT | {END, "just", "but", "honest", "honestly", "really", "though", "so", "and"}  # after a retraction
FIRST_PERSON = SUBJECT | {"me", "my", "myself", "mine"}
# Someone else starting a clause: an answer word ("no") does not reach past them ("no voicemail, he's violent").
# "He'll" and "he'd" too ("don't send letters, my ex says he'll kill me" is risk), and "it's" ("not meself, no, it's
# the baby, I get thoughts of shaking her": round 13).
OTHER_SUBJECT = frozenset({"he", "she", "hes", "shes", "hell", "shell", "hed", "they", "theyre", "theyve", "theyll",
                           "theyd", "we", "weve", "its"})
# The same in Polish (flows/risk.pl-PL.yaml, accents taken off): "ja", "mnie", "mój"; none is an English word.
FIRST_PERSON |= {"ja", "mnie", "mi", "mna", "moj", "moja", "moje", "mojego", "mojej", "moim", "moich"}
OWN_HARM = frozenset({"harm_from_others", "harm_to_others"})  # always about someone else as well as the caller
FORWARD = ("negation", "denial", "other_person", "hypothetical")
# Words after a negation that take a clause of their own, which the negation then reaches ("I don't think I'm
# suicidal"); after any other word, "I" starts a new clause that it does not reach ("I'm not okay, I want to die").
CLAUSE = frozenset({"think", "feel", "felt", "believe", "reckon", "know", "say", "mean", "suppose", "expect",
                    "like", "that", "imagine", "really", "honestly", "actually", "even", "so"})
# The same before someone else starts a clause, with the words that report what they do ("I'm not saying he hits
# me" is a denial); after any other word he or she starts a clause the negation does not reach ("don't post owt,
# he opens all my letters" is risk).
OTHER_CLAUSE = CLAUSE | {"saying", "said", "says", "want", "to", "wanting", "thinking", "claiming", "accusing"}


@dataclass(frozen=True)
class Found:
    """A phrase found in what was said: its words (first, one past the last) and its kind."""

    start: int
    end: int
    kind: str


def find(said: Said, expression: re.Pattern | None, kind: str) -> list[Found]:
    """Every place the expression matches what was said, as words."""
    if expression is None:
        return []
    return [Found(*said.span(match.start(), match.end() - 1), kind) for match in expression.finditer(said.padded)]


class Context:
    """The triggers in one utterance, ready to say what context each phrase found is in."""

    def __init__(self, said: Said, triggers: list[Found], covered: list[Found], pieces: tuple[Found, ...] = ()):
        taken = {i for found in covered for i in range(found.start, found.end)}
        pseudo = {i for found in triggers if found.kind == "pseudo" for i in range(found.start, found.end)}
        self.words = said.words
        # A trigger inside a phrase is none; inside a cue's concept, only when wholly inside it ("don't" in "don't
        # wake up", but not "my husband" around the "my" of the concept `me`). A `now` word inside either is still the
        # caller saying it is now ("I tried to end it in 2014 and I'm going to end it tonight": round 13).
        self.triggers = [t for t in triggers if (t.kind == "now" or not taken.intersection(range(t.start, t.end))
                                                 and not any(p.start <= t.start and t.end <= p.end for p in pieces))
                         and (t.kind in {"pseudo", "behind"} or not pseudo.intersection(range(t.start, t.end)))]
        # A phrase that starts with its own "not" ("nie chcę żyć", "not coping") is not denied by a negation before
        # it: in Polish a second "nie" agrees with the first ("wcale nie chcę żyć" is risk), and "nie" starts most
        # clauses. A "not" further in is the phrase's own, and one before it still denies ("I've never thought
        # about not being here").
        self.own_not = {t.start for t in triggers if t.kind == "negation" and t not in self.triggers
                        and not pseudo.intersection(range(t.start, t.end))}
        self.stops = sorted({t.start for t in self.triggers if t.kind == "stop"}
                            | {i for i, word in enumerate(said.words) if word == END})
        # "a long time ago now" is the past: a "now" straight after "ago" says how long ago, and one straight after a
        # number says how old ("she's fifteen now", "I'm 45 now"), not that it is now; but "another one tonight" is
        # (round 16).
        # A "now" inside or straight after the caller closing the past ("I'm past that now", "I'm settled now") is the
        # contrast, not the caller saying it is now too (round 16).
        self.behind = [t for t in self.triggers if t.kind == "behind"]
        # The "my" that names someone else ("my mum") is not the caller's own: a cue that ends on it is still theirs
        # ("my dad's been going on about how he'd be better off dead since my mum passed": round 16).
        self.named = {i for t in self.triggers if t.kind == "other_person" for i in range(t.start, t.end)}
        self.now = [t.start for t in self.triggers
                    if t.kind == "now" and not (t.start and (said.words[t.start - 1] == "ago"
                                                             or said.words[t.start] == "now"
                                                             and AGE.fullmatch(said.words[t.start - 1])))
                    and not any(b.start <= t.start <= b.end for b in self.behind)]

    def of(self, target: Found, category: str, targets: list[Found]) -> str | None:
        """The context that keeps this phrase from being risk now ('negation', 'other_person', 'past',
        'hypothetical'), or None when it is risk said of the caller now."""
        for trigger in self.triggers:
            if trigger.kind == "negation" and target.start in self.own_not:
                continue
            if trigger.kind == "hypothetical" and self._affirmed(target):
                continue
            if trigger.kind == "if said" and self._reaches(trigger, target, targets) and self._retracted(target):
                return "hypothetical"
            if trigger.kind in FORWARD and self._reaches(trigger, target, targets):
                if trigger.kind != "other_person":
                    return "negation" if trigger.kind == "denial" else trigger.kind
                if category not in OWN_HARM and not any(self.words[i] in FIRST_PERSON for i in
                                                        range(target.start, target.end) if i not in self.named):
                    return "other_person"
            elif (trigger.kind == "past" and (self._same_sentence(trigger, target) or self._closed(trigger, target))
                  and not self._now_near(target)):
                return "past"
        return None

    def of_cue(self, span: Found, pieces: tuple[Found, ...], targets: list[Found]) -> str | None:
        """As of(), for a cue (risk/cues.py): read at its first word, and also denied, or a supposition, when a
        denial or a supposition between its words reaches one of them ("I wouldn't want to die")."""
        # Read from its first concept that is more than the caller's "I" or "my": "my husband said he wanted
        # to die" is his, though "my" is the caller's word.
        start = min((p.start for p in pieces if not FIRST_PERSON.issuperset(self.words[p.start:p.end])),
                    default=span.start)
        if (kind := self.of(Found(start, span.end, span.kind), span.kind, targets)) is not None:
            return kind
        for trigger in self.triggers:
            if trigger.kind == "hypothetical" and self._affirmed(span):
                continue
            if (trigger.kind in {"negation", "denial", "hypothetical"} and span.start <= trigger.start < span.end
                    and any(self._reaches(trigger, piece, targets) for piece in pieces)):
                return "hypothetical" if trigger.kind == "hypothetical" else "negation"
        return None

    def _affirmed(self, target: Found) -> bool:
        """Whether the caller says their supposition is so, within NOW_NEAR words after it, across a sentence's end
        ("what happens if I said I wanted to die? Would you send someone round? Cos I sort of do": round 16)."""
        return any(t.kind == "affirm" and target.end <= t.start <= target.end + NOW_NEAR for t in self.triggers)

    def _retracted(self, target: Found) -> bool:
        """Whether the caller takes back what they supposed saying, within NOW_NEAR words after it, across a sentence's
        end, with nothing more said in that clause ("would it go quicker if I said I was suicidal? Because I'm not, I
        just want seeing": round 16). "If I told you I'd taken 30 tablets, what would you do" is heard, and so is
        "if I said I was suicidal, would you help, because I'm not coping"."""
        return any(t.kind == "retract" and target.end <= t.start <= target.end + NOW_NEAR
                   and (t.end == len(self.words) or self.words[t.end] in CLOSED) for t in self.triggers)

    def _now_near(self, target: Found) -> bool:
        """Whether the caller says it is now too ("again", "still"), within NOW_NEAR words of the phrase: "I self
        harmed as a teenager ... I just want help with my panic attacks now" is past; the "now" is the panic's."""
        return any(target.start - NOW_NEAR <= at <= target.end + NOW_NEAR for at in self.now)

    def _reaches(self, trigger: Found, target: Found, targets: list[Found]) -> bool:
        # A stop that is the phrase itself ("sometimes" heard as a hedge) does not keep someone else's from it.
        stops = [s for s in self.stops
                 if s >= trigger.end and not (trigger.kind == "other_person" and s == target.start)]
        end = min([trigger.end + WINDOW, len(self.words)] + stops)
        if trigger.kind in {"denial", "other_person"}:
            clause = SUBJECT | OTHER_SUBJECT if trigger.kind == "denial" else SUBJECT
            end = min([end] + [i for i in range(trigger.end, end) if self.words[i] in clause])
        elif trigger.kind == "negation":  # after the first phrase it denies, "I" starts something new
            first = min((t.end for t in targets if trigger.end <= t.start < end), default=end)
            # "I" straight after the negation starts a clause of its own ("people around me aren't, I keep
            # wanting to hurt people"); after a word of CLAUSE, the negation reaches it ("I don't think I'm ...").
            end = min([end] + [i for i in range(first, end) if self.words[i] in SUBJECT]
                      + [i for i in range(trigger.end, first) if self.words[i] in SUBJECT
                         and not (i > trigger.end and CLAUSE.issuperset(self.words[trigger.end:i]))]
                      + [i for i in range(trigger.end + 1, end) if self.words[i] in OTHER_SUBJECT
                         and not OTHER_CLAUSE.issuperset(self.words[trigger.end:i])])
        return trigger.end <= target.start < end

    def _closed(self, trigger: Found, target: Found) -> bool:
        """Whether a past word reaches a phrase said further back than WINDOW (round 16): when the caller closes it
        with a contrast ("that was six years ago, I'm past that now", "back then, but I'm settled now"), anywhere
        before it in the sentence, as ConText's scope is the sentence; and when the next sentence starts by saying
        when that was ("The assessor asked about self-harm. That was when I was fifteen"). A `now` word said of the
        act ("again", "tonight") still keeps the phrase live (_now_near)."""
        if target.start >= trigger.start:
            return False
        between = self.words[target.start:trigger.start]
        if END not in between:
            return any(trigger.end <= b.start <= trigger.end + CONTRAST and END not in self.words[trigger.end:b.start]
                       for b in self.behind)
        opened = len(between) - 1 - between[::-1].index(END) + target.start  # where the trigger's sentence starts
        return (between.count(END) == 1 and self.words[opened + 1:opened + 3] in THAT_WAS
                and trigger.start - opened <= CONTRAST)

    def _same_sentence(self, trigger: Found, target: Found) -> bool:
        low, high = sorted((trigger.start, target.start))
        return high - low <= WINDOW + 2 and END not in self.words[low:high]
