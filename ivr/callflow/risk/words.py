"""Words as the risk model reads them: lower case, no apostrophes, contractions one way, sentences kept apart."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

# Said the same way: the long form is rewritten as the short one, so a phrase is written once.
SAME = {
    "do not": "dont", "does not": "doesnt", "did not": "didnt", "can not": "cant", "cannot": "cant",
    "will not": "wont", "would not": "wouldnt", "could not": "couldnt", "is not": "isnt", "are not": "arent",
    "was not": "wasnt", "were not": "werent", "have not": "havent", "has not": "hasnt", "had not": "hadnt",
    "i am": "im", "i have": "ive", "i would": "id", "i will": "ill", "it is": "its", "life is": "lifes",
    "what is": "whats", "there is": "theres", "he is": "hes", "she is": "shes", "no one": "noone",
    "wanna": "want to", "gonna": "going to", "gotta": "got to", "my self": "myself", "over dose": "overdose",
    "any more": "anymore", "no oned": "noone would", "nobodyd": "nobody would",
    "everyoned": "everyone would", "everybodyd": "everybody would", "selfharm": "self harm",
    "selfharming": "self harming", "paracetemol": "paracetamol",
    "meself": "myself", "mysen": "myself", "missen": "myself",  # Derbyshire and northern "myself"
}
_SAME = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, SAME), key=len, reverse=True)) + r")\b")
END = "|"  # where a sentence ends: no phrase, and no context word, reaches across it
LONGEST_TEXT = 80  # words of a transcript looked at (a transcript is rarely longer)
GAP = 4  # words that "..." in a phrase stands for, at most
# Words that may come between any two words of a phrase, two at most, without changing it ("in a crisis",
# "any way out", "in a really bad way").
FILLER = ("a", "an", "the", "any", "really", "just", "so", "very", "even", "actually", "literally", "honestly",
          "totally", "completely", "properly", "seriously")
_FILLER = "(?: (?:" + "|".join(FILLER) + ")){0,2}"
_OR, _GAP = " qqor ", " qqgap "  # placeholders for "/" and "..." while a phrase is normalised
# "{year}" in a phrase is any year said as digits ("in 2012"), "{number}" a number up to 99 as said or written
# ("when I was 17", "when I was twenty two").
_UNITS = "one two three four five six seven eight nine".split()
_TENS = "(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?: (?:" + "|".join(_UNITS) + "))?"
_NUMBER = ("(?:[0-9]{1,2}|" + "|".join(_UNITS + "ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
           "eighteen nineteen".split()) + "|" + _TENS + ")")
# "{many}" is a count of ten or more, not a dose, a time or a span ("30 paracetamol", not "20 mg", "at 11", "10 past
# 8", "for 20 years"): round 14.
_MANY = ("(?<!at )(?<!since )(?<!for )(?:[1-9][0-9]|" + _TENS + ")(?! (?:mg|mgs|milligrams?|micrograms?|mcg|ml|mls|"
         "mil|units|minutes|mins|hours|hrs|years|days|weeks|months|pm|am|oclock|past|to|quid|pounds|percent)\\b)")
NUMBERS = {"qqyear": "(?:19|20)[0-9]{2}", "qqnumber": _NUMBER, "qqmany": _MANY}
# Other forms of the verbs risk is said with, for a second look when a phrase is not found as written
# ("planning on taking my life" for "take my life"). Never "die": "died" is how callers speak of grief.
STEMS = {form: verb for verb, forms in {
    "take": "taking took taken takes", "kill": "killing killed kills", "end": "ending ended ends",
    "hurt": "hurting hurts", "harm": "harming harmed harms", "cut": "cutting cuts", "wish": "wishing wished wishes",
    "want": "wanting wanted wants", "think": "thinking thought thinks", "plan": "planning planned plans",
    "jump": "jumping jumped jumps", "hang": "hanging hanged hung", "swallow": "swallowing swallowed swallows",
    "burn": "burning burnt burned burns", "overdose": "overdosing overdosed overdoses", "feel": "feeling felt feels",
    "go": "going went gone goes", "live": "living lived", "stab": "stabbing stabbed stabs",
    "hit": "hitting hits", "beat": "beating beaten beats", "threaten": "threatening threatened threatens",
    "abuse": "abusing abused abuses", "slit": "slitting slits", "attack": "attacking attacked attacks",
}.items() for form in forms.split()}


def normalise(text: str) -> str:
    """Lower-case words without apostrophes or accents, contractions made one way, and '|' where a sentence ends."""
    text = _plain(text.lower().replace("\u2019", "").replace("'", ""))
    text = re.sub(r"[.?!;\u2026]+", f" {END} ", text)
    said = " ".join(re.findall(r"[a-z0-9|]+", text))
    return _SAME.sub(lambda match: SAME[match.group()], said)


def _plain(text: str) -> str:
    """Letters without their accents ("zabiję się" is "zabije sie"), so that a word is not cut in two where a letter
    with one was, and a recogniser or caller who leaves them out is heard alike (flows/risk.pl-PL.yaml)."""
    if text.isascii():
        return text
    text = text.replace("\u0142", "l")  # Polish ł has no decomposition
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@dataclass(frozen=True)
class Said:
    """What a caller said, normalised, with where each word starts so that a match can be turned into words."""

    text: str
    words: tuple[str, ...]
    starts: tuple[int, ...]
    padded: str  # the text after a space, for matcher()'s expressions

    @classmethod
    def of(cls, text: str) -> Said:
        """The first LONGEST_TEXT words of `text`, normalised."""
        return cls.of_words(tuple(normalise(text).split()[:LONGEST_TEXT]))

    @classmethod
    def of_words(cls, words: tuple[str, ...]) -> Said:
        """Words already normalised."""
        starts, at = [], 0
        for word in words:
            starts.append(at)
            at += len(word) + 1
        text = " ".join(words)
        return cls(text, words, tuple(starts), " " + text)

    def stemmed(self) -> Said:
        """The same words with the verbs of STEMS in one form, word for word (so places stay the same)."""
        return Said.of_words(tuple(STEMS.get(word, word) for word in self.words))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The words (first, one past the last) that the characters start:end of the text cover."""
        return bisect_left(self.starts, start), bisect_left(self.starts, end)


def pattern(phrase: str, filler: bool = False, stem: bool = False) -> str:
    """A phrase as a regular expression over normalised words: 'a/b' is either word, '...' up to GAP words, with
    `filler` any FILLER word may be there or not between two words, and with `stem` verbs in one form."""
    marked = phrase.lower().replace("...", _GAP).replace("/", _OR).replace("{year}", " qqyear ")
    marked = marked.replace("{number}", " qqnumber ").replace("{many}", " qqmany ")
    tokens = [STEMS.get(token, token) if stem else token for token in normalise(marked).split()]
    pieces: list[list[str]] = []
    joined = False
    for at, token in enumerate(tokens):
        # A small word may be there or not, as between any two words, unless it is one of a slash's choices
        # ("the/those/these/them": one of them is said).
        slashed = joined or tokens[at + 1:at + 2] == [_OR.strip()]
        if filler and token in FILLER and not slashed:
            continue
        if token == _OR.strip():
            joined = True
        elif joined:
            pieces[-1].append(token)
            joined = False
        else:
            pieces.append([token])
    out = ""
    for piece in pieces:
        if piece == [_GAP.strip()]:
            out += rf"(?: [^ |]+){{0,{GAP}}}"
        elif piece[0] in NUMBERS:
            out += ((_FILLER if filler else "") + " " if out else "") + NUMBERS[piece[0]]
        else:
            words = "|".join(re.escape(word) for word in piece)
            out += ((_FILLER if filler else "") + " " if out else "") + (f"(?:{words})" if len(piece) > 1 else words)
    return out


def matcher(phrases: list[str], filler: bool = False, stem: bool = False) -> re.Pattern | None:
    """One expression that finds any of the phrases as whole words, longest first; None for no phrases."""
    if not phrases:
        return None
    patterns = sorted({pattern(phrase, filler, stem) for phrase in phrases}, key=len, reverse=True)
    # Each match starts with the space before its first word (Said.padded starts with one): a literal start lets
    # the regular expression engine skip straight from space to space, several times faster than a look-behind.
    return re.compile(r" (?:" + "|".join(patterns) + r")(?![^ ])")


def check_phrase(phrase: str) -> str | None:
    """What is wrong with a phrase as written in the file, or None."""
    words = normalise(phrase.replace("/", " ").replace("...", " ")).split()
    if not words or END in words:
        return "is empty or has a full stop in it"
    if phrase.strip().startswith(("...", "/")) or phrase.strip().endswith(("...", "/")) or "//" in phrase:
        return "starts or ends with '...' or '/'"
    return None
