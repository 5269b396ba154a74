"""The phone line as loaded at start-up: checked flows and prompts, and a way to match practices."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from ivr.callflow import hearing
from ivr.callflow.answers import Context, PracticeMatcher
from ivr.callflow.engine import DECISIONS
from ivr.callflow.flowbook import INPUT_KINDS, Choice, FlowBook, Transition, load_flows
from ivr.callflow.flowcheck import check
from ivr.callflow.hearing import with_words
from ivr.callflow.languages import (
    CALL_LANGUAGE,
    ENGLISH,
    ENGLISH_WORDS,
    OFFER_KEY,
    EitherRisk,
    Language,
    differences,
)
from ivr.callflow.needs import CARRIED
from ivr.callflow.prompts import Prompts
from ivr.callflow.readers import READERS
from ivr.callflow.risk import RiskFileError, RiskModel
from ivr.callflow.urgency import FLAGS
from ivr.callflow.vocabulary import Vocabulary
from ivr.callflow.yamlfile import FlowError, label
from ivr.clock import today_in_london

log = logging.getLogger(__name__)
RISK_PHRASES = "risk.yaml"
# A question whose hints hold this listens for the interpreter languages in settings.yaml too.
LANGUAGE_HINTS = "@languages"


@dataclass
class Line:
    """Everything a call needs besides its own state: flows, prompts, and the practice matcher."""

    book: FlowBook
    prompts: Prompts
    practices: PracticeMatcher | None = None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # tests fix it to try office hours
    # The other languages offered at the menu (settings.yaml's `languages:` with a complete file): code -> prompts,
    # and the flows as a call in each runs them (with that language's risk vocabulary beside English's).
    languages: dict[str, Prompts] = field(default_factory=dict)
    books: dict[str, FlowBook] = field(default_factory=dict)

    def prompts_for(self, code: str | None) -> Prompts:
        """The words, voice and listening language of a call in this language (English if it is not offered)."""
        return self.languages.get(code or ENGLISH, self.prompts)

    def every_language(self) -> dict[str, Prompts]:
        """Each language's prompts by its code, English's too: for a prompt said in a language not the call's."""
        return {**self.languages, ENGLISH: self.prompts}

    def book_for(self, code: str | None) -> FlowBook:
        """The flows for a call in this language: the same steps, heard for risk in its words and English."""
        return self.books.get(code or ENGLISH, self.book)

    def offers(self) -> tuple[Language, ...]:
        """The languages the menu offers, in settings.yaml's order."""
        return tuple(language for language in self.prompts.offered if language.code in self.languages)

    def context(self, texts: bool = False, caller_number: str | None = None, language: str | None = None) -> Context:
        """What this turn's answers may depend on; `texts` when the app can send a text receipt; the number the
        caller rings from, if it shows (for "call me on the same number"); the call's language (its words heard
        beside English's, and values said back in it)."""
        now = self.clock()
        words = self.prompts_for(language)
        return Context(today=today_in_london(now), practices=self.practices, texts=texts, now=now,
                       office_hours=self.prompts.office_hours, caller_number=caller_number,
                       languages=words.languages, hearing=words.hearing, saying=words.saying)


def vocabulary(records: Mapping[str, frozenset[str]] | None = None,
               effects: frozenset[str] | None = None) -> Vocabulary:
    """The words the engine knows (its answer readers, decisions and urgent flags), and those the app gives: the
    fields each record keeps and the effects it runs (ivr.voice.turn.vocabulary())."""
    return Vocabulary(expects=INPUT_KINDS | frozenset(READERS), decisions=frozenset(DECISIONS),
                      flags=frozenset(FLAGS), records=records, effects=effects, carried=CARRIED)


def load_book(flows_dir: str, words: Vocabulary | None = None) -> FlowBook:
    """The flows, checked against the words the line knows (the engine's alone if none are given), with the risk
    phrases."""
    book = load_flows(flows_dir)
    check(book, words or vocabulary())
    path = Path(flows_dir) / RISK_PHRASES
    if not path.exists():
        if book.crisis in book.steps:  # a line that can help a caller at risk must listen for them
            raise FlowError(f"{book.where(book.crisis)}: the flows have '{book.crisis}' but no {RISK_PHRASES} to lead "
                            "callers there")
        return book
    if book.crisis not in book.steps:
        raise FlowError(f"{label(path)}: leads callers to '{book.crisis}', which the flows do not have")
    try:
        return replace(book, risk=RiskModel.from_file(path))
    except RiskFileError as error:
        raise FlowError(f"{label(path)}: {error}") from None


def load_line(flows_dir: str, prompts_dir: str, practices: PracticeMatcher | None = None,
              words: Vocabulary | None = None, development: bool = False) -> Line:
    """Load and check flows and prompts; raises FlowError, in one line naming the file and step, if broken.
    `development`: a language whose file is complete but not yet reviewed by a translator is offered too."""
    book = load_book(flows_dir, words)
    prompts = Prompts(prompts_dir)
    prompts.check(book)
    languages = load_languages(prompts_dir, prompts, development, book)
    offered = [language for language in prompts.offered if language.code in languages]
    book = with_language_hints(with_language_choices(book, offered), prompts.languages)
    books = {language.code: with_risk(with_words(with_way_back(book, language), languages[language.code].hearing),
                                      Path(flows_dir) / f"risk.{language.code}.yaml")
             for language in offered}
    return Line(book=book, prompts=prompts, practices=practices, languages=languages, books=books)


def load_languages(prompts_dir: str, english: Prompts, development: bool, book: FlowBook) -> dict[str, Prompts]:
    """The languages the menu can offer: each of settings.yaml's `languages:` whose file is complete and reviewed
    (or, in development, complete), with its spoken words' menus in the flows (`book`); why any other is not offered
    goes to the log."""
    offered = {}
    for language in english.offered:
        if not (Path(prompts_dir) / f"{language.code}.yaml").exists():
            # Not yet translated: quiet here (every `flask` command starts the app), and listed by `prompts check`.
            log.debug("%s is not offered: there is no prompts/%s.yaml", language.code, language.code)
            continue
        prompts = Prompts(prompts_dir, language)
        menus = menus_in(book, language)
        if problems := differences(english.texts, prompts.texts) or hearing.problems(menus, prompts.hearing):
            key, problem = problems[0]
            log.warning("%s is not offered: %s has %d problems (%s: %s); see flask prompts check", language.code,
                        prompts.file, len(problems), key, problem)
            continue
        if not prompts.reviewed:
            if not development:
                log.warning("%s is not offered: %s is NOT reviewed by a translator", language.code, prompts.file)
                continue
            log.warning("%s is offered in development though %s is NOT reviewed by a translator", language.code,
                        prompts.file)
        prompts.texts[OFFER_KEY] = language.offer
        english.texts[language.english_key] = language.english
        offered[language.code] = prompts
    return offered


def with_language_choices(book: FlowBook, languages: list[Language]) -> FlowBook:
    """The main menu with a choice for each offered language: its key, or its own name said, sets the call's
    language and starts again from the welcome (the greeting and the crisis routes), in that language."""
    if not languages:
        return book
    menu = book.steps[book.menu]
    taken = {choice.key for choice in menu.choices}
    for language in languages:
        if language.key in taken:
            raise FlowError(f"{book.where(menu.name)}: key {language.key} is taken, so settings.yaml's languages: "
                            f"cannot offer {language.code} on it")
    choices = tuple(Choice(language.key, language.words, Transition(book.start, set={CALL_LANGUAGE: language.code}))
                    for language in languages)
    hints = ", ".join(word for language in languages for word in language.words)
    menu = replace(menu, choices=menu.choices + choices, hints=", ".join(filter(None, (menu.hints, hints))))
    return replace(book, steps={**book.steps, menu.name: menu})


def with_way_back(book: FlowBook, language: Language) -> FlowBook:
    """The flows for a call in `language`: at the main menu its own key (or "English" said, in English or in the
    words its prompts/words.<code>.yaml gives that key) goes back to English, from the welcome, for a caller who chose
    it by mistake."""
    menu = book.steps[book.menu]
    back = Choice(language.key, ENGLISH_WORDS, Transition(book.start, set={CALL_LANGUAGE: None}))
    choices = tuple(back if choice.key == language.key else choice for choice in menu.choices)
    hints = ", ".join(filter(None, (menu.hints, "English")))
    return replace(book, steps={**book.steps, menu.name: replace(menu, choices=choices, hints=hints)})


def menus_in(book: FlowBook, language: Language) -> FlowBook:
    """The flows' menus as a call in `language` has them (its own key the way back to English), for checking the
    words its prompts/words.<code>.yaml gives each key against."""
    return with_way_back(with_language_choices(book, [language]), language)


def with_risk(book: FlowBook, path: Path) -> FlowBook:
    """The flows heard for risk in a language's vocabulary (flows/risk.<code>.yaml) as well as English's; English's
    alone if the language has none."""
    if not path.exists():
        return book
    try:
        return replace(book, risk=EitherRisk(RiskModel.from_file(path), book.risk))
    except RiskFileError as error:
        raise FlowError(f"{label(path)}: {error}") from None


def with_language_hints(book: FlowBook, languages: dict[str, str]) -> FlowBook:
    """The flows with "@languages" in a question's hints written out as the interpreter languages' names."""
    names = ", ".join(dict.fromkeys(languages.values()))
    steps = {name: replace(step, hints=step.hints.replace(LANGUAGE_HINTS, names).strip(", "))
             for name, step in book.steps.items() if LANGUAGE_HINTS in step.hints}
    return replace(book, steps={**book.steps, **steps}) if steps else book
