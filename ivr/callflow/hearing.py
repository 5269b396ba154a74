"""The words a caller may say in the call's language besides English's (prompts/words.<code>.yaml): yes, no and
unsure, asking again, the main menu, digits and months said, and each menu's options. English's words stay heard
on such a call too (callers mix languages). Pure."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from ivr.callflow.flowbook import FlowBook
from ivr.callflow.yamlfile import FlowError, label, read_yaml

FILE = "words.{code}.yaml"  # in prompts/, beside the language's prompts file
PHRASES = ("yes", "no", "unsure", "again", "polite", "menu")
KNOWN = {*PHRASES, "reviewed", "digits", "months", "choices"}
# Letters Unicode does not take apart into a plain letter and a mark.
PLAIN = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "đ": "d", "ß": "ss"})


def fold(text: str) -> str:
    """Lower case without accents ("Zgadza się" -> "zgadza sie"), so that a word matches whether or not the
    recogniser wrote its accents; ASCII text is only lower-cased."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(PLAIN).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Hearing:
    """One language's words (each folded: see fold()); empty for English, whose words are in the code and flows."""

    yes: tuple[str, ...] = ()
    no: tuple[str, ...] = ()
    unsure: tuple[str, ...] = ()
    again: tuple[str, ...] = ()  # asks to hear the question again
    polite: tuple[str, ...] = ()  # said with asking again: "czy może pan powtórzyć"
    menu: tuple[str, ...] = ()
    digits: dict[str, str] = field(default_factory=dict)  # a digit's word -> the digit
    months: dict[str, int] = field(default_factory=dict)  # a month's word -> 1..12
    choices: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # question -> key -> words
    hints: dict[str, str] = field(default_factory=dict)  # question -> its words as written, for the recogniser
    # A kind of answer (a step's `expect:`) -> its words as written, for the recogniser: yes and no, the months.
    answer_hints: dict[str, str] = field(default_factory=dict)

    def yes_or_no(self, said: str) -> str:
        """The words (folded, spaced) with this language's yes and no phrases as English's "yes" and "no": the
        longest first, so "nie zgadza sie" is no before "zgadza sie" is yes."""
        return _replaced(said, {**{p: "yes" for p in self.yes}, **{p: "no" for p in self.no}})

    def asked_again(self, said: str) -> str:
        """The words with this language's ways of asking again as English's "again"."""
        return _replaced(said, {p: "again" for p in self.again})


ENGLISH_ONLY = Hearing()


def _replaced(said: str, phrases: dict[str, str]) -> str:
    if not phrases:
        return said
    either = "|".join(re.escape(phrase) for phrase in sorted(phrases, key=len, reverse=True))
    return re.sub(rf"(?<!\S)(?:{either})(?!\S)", lambda found: phrases[found.group()], said)


def _phrases(value: object) -> tuple[str, ...]:
    return tuple(dict.fromkeys(" ".join(re.findall(r"[a-z0-9']+", fold(p))) for p in str(value or "").split(",")
                               if p.strip()))


def _written(*values: object) -> str:
    """Words or phrases as the file writes them (comma-separated, accents kept), for <Gather hints>."""
    return ", ".join(w.strip() for value in values for w in str(value or "").split(",") if w.strip())


def load(directory: Path, code: str) -> Hearing:
    """The language's words from prompts/words.<code>.yaml; none (English's alone) if it has no such file."""
    path = Path(directory) / FILE.format(code=code)
    if not path.exists():
        return ENGLISH_ONLY
    raw, where = read_yaml(path), label(path)
    if unknown := sorted(set(raw) - KNOWN):
        raise FlowError(f"{where}: unknown section '{unknown[0]}' (one of {', '.join(sorted(KNOWN))})")
    digits = raw.get("digits") or {}
    months = raw.get("months") or []
    choices = raw.get("choices") or {}
    if not isinstance(digits, dict) or set(map(str, digits)) - set("0123456789"):
        raise FlowError(f"{where}: digits: each key is a digit, 0 to 9, and its words")
    if not isinstance(months, list) or len(months) not in (0, 12):
        raise FlowError(f"{where}: months: twelve entries, January first, each the month's words")
    if not isinstance(choices, dict) or not all(isinstance(keys, dict) for keys in choices.values()):
        raise FlowError(f"{where}: choices: each question's keys, each with its words")
    return Hearing(
        **{name: _phrases(raw.get(name)) for name in PHRASES},
        digits={word: str(digit) for digit, words in digits.items() for word in _phrases(words)},
        months={word: n for n, words in enumerate(months, start=1) for word in _phrases(words)},
        choices={str(ask): {str(key): _phrases(words) for key, words in keys.items()} for ask, keys in choices.items()},
        hints={str(ask): _written(*keys.values()) for ask, keys in choices.items()},
        answer_hints={kind: words for kind, words in (("yes_no", _written(raw.get("yes"), raw.get("no"))),
                                                     ("date_of_birth", _written(*months))) if words},
    )


def problems(book: FlowBook, hearing: Hearing) -> list[tuple[str, str]]:
    """(where, what is wrong) for each question or key in the words' choices that no menu in the flows has."""
    menus: dict[str, set[str]] = {}
    for step in book.steps.values():
        if step.ask and step.choices:
            menus.setdefault(step.ask, set()).update(choice.key for choice in step.choices)
    found = []
    for ask, keys in hearing.choices.items():
        if ask not in menus:
            found.append((f"choices.{ask}", "no flow asks this question with choices"))
            continue
        found += [(f"choices.{ask}.{key}", f"the question has no key {key}") for key in sorted(set(keys) - menus[ask])]
    return found


def with_words(book: FlowBook, hearing: Hearing) -> FlowBook:
    """The flows with the language's words added to each menu's options, and to what its questions listen for: a
    menu's words, and yes and no, or the months, where a question expects them."""
    steps = {}
    for name, step in book.steps.items():
        if (extra := hearing.choices.get(step.ask or "")) and step.choices:
            step = replace(step, hints=", ".join(filter(None, (step.hints, hearing.hints[step.ask]))), choices=tuple(
                replace(c, words=tuple(dict.fromkeys((*c.words, *extra.get(c.key, ()))))) for c in step.choices))
        if words := hearing.answer_hints.get(step.expect or ""):
            step = replace(step, hints=", ".join(filter(None, (step.hints, words))))
        if step is not book.steps[name]:
            steps[name] = step
    return replace(book, steps={**book.steps, **steps}) if steps else book
