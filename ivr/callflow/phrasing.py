"""How callers phrase a yes, a no and their name: hedges, negations, lead-ins and capitals. Pure."""

from __future__ import annotations

import re

from ivr.callflow.hearing import ENGLISH_ONLY, Hearing, fold

YES_WORDS = {"yes", "yeah", "yep", "yup", "correct", "right", "ok", "okay", "sure", "please", "aye"}
NO_WORDS = {"no", "nope", "nah", "wrong", "incorrect"}
# Not a clear yes or no: at the urgency question these count as yes; elsewhere the question is asked again.
UNSURE = (
    "not sure", "dont know", "do not know", "no idea", "maybe", "perhaps", "possibly", "unsure", "not certain",
    "i think so", "kind of", "sort of", "a bit", "a little", "not really", "sometimes", "might", "probably",
)
# "That sort of thing", "them kind of thoughts": a kind of thing, not a hedge ("no, I've never had them sort of
# thoughts" is a no).
KIND_OF_THING = re.compile(r"\b(?:them|that|those|these|this|what|any|some|all|the)\s+(?:sort|kind)s?\s+of\b")
NEGATED = re.compile(r"\b(?:not|isnt|aint)\s+(?:right|correct|true|it|me|mine|at all)\b|\bnot at all\b"
                     r"|\bnot\s+any\s*more\b")
# "I'm fine", "I'm OK", "I've been OK since": how someone is, not an answer to the question.
HOW_I_AM = re.compile(r"\b(?:im|ive\s+been)\s+(?:ok|okay|fine|alright|all right|good|well)\b")
LEAD_IN = re.compile(
    r"^(?:(?:yes|yeah|yep|ok|okay|um|er|erm|hi|hello|right|so|well|oh)\b[\s,.]*)*"
    r"(?:(?:my\s+(?:full\s+)?name(?:'s|\s+is)|the\s+name(?:'s|\s+is)|it(?:'s|\s+is)|i(?:'m|\s+am)(?:\s+called)?|"
    r"this\s+is|call\s+me|you\s+can\s+call\s+me|i'm\s+called)\b[\s,.]*)?",
    re.IGNORECASE,
)
SIGN_OFF = re.compile(r"[\s,.]+(?:thank\s+you|thanks|please|cheers)[\s,.!]*$", re.IGNORECASE)


def yes_no_said(text: str, hearing: Hearing = ENGLISH_ONLY) -> str | None:
    """'yes', 'no' or 'unsure' for what was said; None when it is neither or both. `hearing`: the call's language's
    words too ("tak", "nie", "nie wiem"), English's still heard."""
    said = " ".join(re.findall(r"[a-z0-9]+", fold(text.replace("'", "").replace("\u2019", ""))))
    said = KIND_OF_THING.sub(" ", said)
    if any(re.search(rf"\b{phrase}\b", said) for phrase in UNSURE) or any(
            re.search(rf"\b{re.escape(phrase)}\b", said) for phrase in hearing.unsure):
        return "unsure"
    said = HOW_I_AM.sub(" ", NEGATED.sub(" no ", hearing.yes_or_no(said)))
    found = set(said.split())
    no, yes = bool(found & NO_WORDS), bool(found & YES_WORDS)
    if no != yes:
        return "no" if no else "yes"
    return None


# Words no name has: a caller saying them at the name question said a sentence ("I want to end my life", "life
# isn't worth it"). Two of the second kind make a sentence too ("not coping at all", "going to take my life"), or one
# after "I'm" ("I'm sick of living"); one alone is kept, for names that carry such a word.
NEVER_IN_A_NAME = {"i", "i'm", "i've", "i'd", "i'll", "myself", "meself", "don't", "dont", "can't", "cant", "won't",
                   "isn't", "isnt", "didn't", "didnt", "doesn't", "wasn't", "ain't", "wanna", "gonna"}
RARELY_IN_A_NAME = {"me", "my", "not", "going", "want", "life", "at", "all", "be", "been", "have", "had", "it", "the",
                    "a", "of", "and", "is", "am", "just", "any", "anymore", "would", "could", "feel", "up", "never",
                    "nobody", "help", "with", "for", "about", "this", "that", "what", "get", "got", "they", "him",
                    "them", "someone", "anyone"}  # not "he", "so", "no", "in", "more", "to": surnames (He, So, No, In)


def is_a_sentence(text: str, name: str) -> bool:
    """Whether what was said at the name question (`text`, and the name name_said() found in it) is a sentence rather
    than a name."""
    said = name.lower().split()
    rare = sum(word in RARELY_IN_A_NAME for word in said)
    about_me = re.match(r"\W*i(?:'m|\s+am)\s+(?!called\b)", text.replace("\u2019", "'"), re.IGNORECASE) is not None
    return bool(NEVER_IN_A_NAME.intersection(said)) or rare >= 2 or (about_me and rare >= 1)


def name_said(text: str) -> str:
    """The name in what was said, without its lead-in and properly capitalised:
    "my name's sam o'neill-smith, thanks" -> "Sam O'Neill-Smith"."""
    text = text.replace("\u2019", "'").strip()
    text = SIGN_OFF.sub("", LEAD_IN.sub("", text, count=1))
    return " ".join(_capitalised(word) for word in re.findall(r"[^\W\d_][\w'\-]*", text))


def _capitalised(word: str) -> str:
    if not (word.islower() or word.isupper()):
        return word  # the recogniser's own capitals ("McDonald", "DeVito") are kept
    return "-".join(_part(part) for part in word.lower().split("-"))


def _part(part: str) -> str:
    head, apostrophe, tail = part.partition("'")
    if apostrophe and len(head) == 1:  # O'Neill, D'Arcy
        return head.upper() + "'" + tail[:1].upper() + tail[1:]
    if head.startswith("mc") and len(head) > 2:  # McDonald
        return "Mc" + head[2].upper() + head[3:] + apostrophe + tail
    return part[:1].upper() + part[1:]
