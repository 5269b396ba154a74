"""Communication needs heard whenever a caller says them: an interpreter (and for which language), or a call through
text relay (Relay UK). Pure: what was heard, and what a relay call's silences mean."""

from __future__ import annotations

from dataclasses import replace

from ivr.callflow.actions import Ask, Say
from ivr.callflow.answers import Answer, Context, Event, Retry, words
from ivr.callflow.flowbook import Choice, Step

# The outcome a question listening for needs (it has `on: language`) leads on when a language is named.
LANGUAGE = "language"
# The words of the choice that asks for an interpreter, and of the one that switches a call to text relay: said in
# any sentence at a question that has such a choice, they choose it ("it's Relay UK, a call from a text user").
INTERPRETER_WORDS = {"interpreter", "interpreters", "interpretor", "translator", "translation", "translate"}
RELAY_WORDS = {"relay", "textphone", "typetalk", "minicom"}
# The values a need said keeps on the call (and on its referral or enquiry: ivr.voice.needs).
INTERPRETER, INTERPRETER_LANGUAGE, RELAY = "interpreter", "interpreter_language", "relay_uk"
# Any flow may set them, with a record or without; "language" is the call's language, chosen at the menu.
CARRIED = frozenset({INTERPRETER, INTERPRETER_LANGUAGE, RELAY, "language"})
LANGUAGE_SPOKEN = INTERPRETER_LANGUAGE + "_spoken"  # said back: "a Polish", "an Urdu" (interpreter); "polski"
# Where a relay caller's silence still counts: the crisis offer puts a caller who says nothing through.
SILENCE_COUNTS_IN = {"crisis"}


def language_named(text: str, languages: dict[str, str]) -> str | None:
    """The first of the service's interpreter languages named ("Polish, I need a Polish interpreter" -> "Polish");
    `languages` is each word a language is known by, in lower case, to its name (see prompts.languages)."""
    return next((languages[word] for word in words(text) if word in languages), None)


def noticed(step: Step, event: Event, ctx: Context, result: Answer | Retry) -> Answer | Retry:
    """A question's answer, with any need said in it: at a question with `on: language`, a language named leads
    there and is kept, unless the answer is a clear no or a clear choice of something else (kept all the same);
    the interpreter or relay words in a sentence choose their option. Anywhere else, the answer as read."""
    if LANGUAGE not in step.on or event.kind != "speech":
        return result
    if isinstance(result, Answer) and result.outcome == "no":
        return result
    chosen = _choice_for(step, result)
    language = language_named(event.text, ctx.languages)
    if language is not None:
        kept = {INTERPRETER: True, INTERPRETER_LANGUAGE: language, LANGUAGE_SPOKEN: ctx.saying.language(language)}
        if chosen is not None and not (set(chosen.words) & INTERPRETER_WORDS):
            return replace(result, also=kept)  # "refer me, I need a Polish interpreter": the referral, with Polish
        value = result.value if isinstance(result, Answer) else None
        return Answer(value, spoken=language, outcome=LANGUAGE, also=kept)
    if chosen is not None:
        return result
    said = set(words(event.text))
    for need in (RELAY_WORDS, INTERPRETER_WORDS):
        option = next((c for c in step.choices if set(c.words) & need), None)
        if option is not None and said & need:
            return Answer(option.key, outcome=f"choice:{option.key}")
    return result


def _choice_for(step: Step, result: Answer | Retry) -> Choice | None:
    """The menu option an answer clearly chose, if any."""
    if isinstance(result, Answer) and result.outcome.startswith("choice:"):
        key = result.outcome.split(":", 1)[1]
        return next((c for c in step.choices if c.key == key), None)
    return None


def known(values: dict, ctx: Context) -> str:
    """'known' once an interpreter or text relay has been asked for (at the menu): the referral does not ask about
    the caller's communication needs again; 'ask' otherwise."""
    return "known" if values.get(INTERPRETER) or values.get(RELAY) else "ask"


# The call's own language (issue 26: a BCP-47 code such as "pl-PL" chosen at the welcome; absent is English), and
# the English name staff hear for each the line may speak, by its primary subtag: a caller on the line in Polish who
# asks for a person needs a Polish interpreter as much as one who asked for it in English.
CALL_LANGUAGE = "language"
STAFF_NAMES = {"pl": "Polish", "ur": "Urdu", "pa": "Punjabi", "ro": "Romanian", "sk": "Slovak", "cs": "Czech",
               "ar": "Arabic", "ku": "Kurdish", "fa": "Farsi", "bn": "Bengali", "gu": "Gujarati", "lt": "Lithuanian",
               "pt": "Portuguese", "ti": "Tigrinya"}


def in_another_language(values: dict) -> bool:
    """Whether the call is in a language other than English (the call value `language`)."""
    code = str(values.get(CALL_LANGUAGE) or "")
    return bool(code) and not code.lower().startswith("en")


def language_for_staff(values: dict) -> str | None:
    """The language staff are told the caller needs an interpreter for: the one asked for, else the call's own."""
    if values.get(INTERPRETER_LANGUAGE):
        return values[INTERPRETER_LANGUAGE]
    code = str(values.get(CALL_LANGUAGE) or "")
    return STAFF_NAMES.get(code.split("-")[0].lower()) if in_another_language(values) else None


def interpreter(values: dict, ctx: Context) -> str:
    """'asked' once the caller has asked for an interpreter, or is on the line in another language (the person they
    are put through to hears the language first: ivr.voice.interpreting); 'none' otherwise."""
    return "asked" if values.get(INTERPRETER) or in_another_language(values) else "none"


def waits(step: Step, state: dict, event: Event) -> bool:
    """A caller through text relay who has not answered yet is still typing: their silence is no miss, and the
    question is asked again (except where silence itself is the answer: the crisis offer puts them through, and a
    step with `on: no_input`, such as hearing the reference again, goes on)."""
    return (event.kind == "no_input" and bool(state["values"].get(RELAY)) and step.flow not in SILENCE_COUNTS_IN
            and "no_input" not in step.on)


def waited(event: Event) -> str:
    """The step log's word for a question asked again: a relay caller's silence, or an out-of-date answer."""
    return "relay_wait" if event.kind == "no_input" else "resume"


def asked(event: Event, ask: Ask) -> Ask:
    """The question asked again: as first asked after an out-of-date answer; after a relay caller's silence, only
    "take your time" (their assistant may still be typing the question to them: it is not said again unless asked)."""
    return replace(ask, prompts=(Say(("common.relay_wait",)),)) if event.kind == "no_input" else ask
