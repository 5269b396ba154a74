"""`flask prompts check` for each language settings.yaml lists: its file against English's (missing and extra keys,
placeholders and pauses that differ), its spoken settings, its text receipt, and whether a translator reviewed it."""

from __future__ import annotations

from pathlib import Path

from ivr.callflow import hearing
from ivr.callflow.flowbook import FlowBook, FlowError
from ivr.callflow.languages import differences
from ivr.callflow.line import menus_in
from ivr.callflow.prompts import Prompts
from ivr.callflow.yamlfile import read_yaml
from ivr.texts import compose
from ivr.tools.promptcheck import Problem

# The settings whose values are words said to callers: each language's file gives its own under `settings:`.
SPOKEN_SETTINGS = ("privacy", "under_16_advice")


def check_languages(prompts_dir: str | Path, english: Prompts,
                    book: FlowBook | None = None) -> tuple[list[str], list[Problem]]:
    """A line on each language ("pl-PL: complete, NOT reviewed by a translator"), and every problem found; with the
    flows (`book`), its spoken words' menus (prompts/words.<code>.yaml) checked against them."""
    report, problems = [], []
    for language in english.offered:
        name = f"prompts/{language.code}.yaml"
        if not (Path(prompts_dir) / f"{language.code}.yaml").exists():
            report.append(f"{language.code}: no {name}: not offered")
            continue
        try:
            prompts = Prompts(prompts_dir, language)
        except (FlowError, OSError) as error:
            problems.append(Problem(name, f"does not load: {error}"))
            continue
        found = [Problem(f"{name} {key}", problem) for key, problem in differences(english.texts, prompts.texts)]
        own = _own_settings(prompts_dir, language.code)
        found += [Problem(f"{name} settings.{key}", f"missing: said in English to a {language.name} caller")
                  for key in SPOKEN_SETTINGS if key not in own]
        found += _text_receipt(prompts_dir, language.code)
        words = hearing.FILE.format(code=language.code)
        if book is not None:
            try:  # against the menu as a call in this language has it: its own key is the way back to English
                menus = menus_in(book, language)
            except FlowError as error:  # its key is one of the menu's own
                found.append(Problem("prompts/settings.yaml languages", str(error)))
            else:
                found += [Problem(f"prompts/{words} {where}", problem)
                          for where, problem in hearing.problems(menus, prompts.hearing)]
        problems += found
        state = "complete" if not found else f"{len(found)} problem(s), below: NOT offered"
        reviewed = "reviewed by a translator" if prompts.reviewed else "NOT reviewed by a translator"
        keys = "keys only" if prompts.keys_only else "keys and speech"
        report.append(f"{language.code} ({language.name}, key {language.key}, {language.voice}, {keys}): "
                      f"{state}, {reviewed}; {len(prompts.texts)} prompts; {_words(prompts_dir, words)}")
    return report, problems


def _words(prompts_dir: str | Path, name: str) -> str:
    """What the report says of the language's spoken words (prompts/words.<code>.yaml)."""
    path = Path(prompts_dir) / name
    if not path.exists():
        return f"no prompts/{name}: callers are understood in English's words only"
    reviewed = read_yaml(path).get("reviewed") is True
    return f"spoken words in prompts/{name}, {'reviewed' if reviewed else 'NOT reviewed'} by a translator"


def _own_settings(prompts_dir: str | Path, code: str) -> dict:
    own = read_yaml(Path(prompts_dir) / f"{code}.yaml").get("settings")
    return own if isinstance(own, dict) else {}


def _text_receipt(prompts_dir: str | Path, code: str) -> list[Problem]:
    """The language's text receipt (texts.<code>.yaml), counted in UCS-2 where its letters need it."""
    name = compose.file_for(code)
    try:
        template = compose.load(prompts_dir, code)
    except FlowError as error:
        return [Problem(name, str(error).removeprefix(f"{name}: "))]
    if template is None:
        return []  # its callers get English's text
    return [Problem(f"{name} receipt", problem)
            for problem in compose.check(template, template.call_from or compose.TYPICAL_LINE)]
