"""What the service must confirm before go-live: every setting or prompt marked `# TO CONFIRM` in prompts/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MARK = "TO CONFIRM"
FILES = ("settings.yaml", "en-GB.yaml")
KEY_LINE = re.compile(r"^(?P<indent>\s*)(?P<key>[\"']?[\w.-]+[\"']?)\s*:(?P<value>.*)$")


@dataclass(frozen=True)
class ToConfirm:
    """One setting or prompt marked TO CONFIRM: where it is, why, and what it says now."""

    file: str
    key: str
    note: str
    value: str

    def __str__(self) -> str:
        return f"{self.file} {self.key}: {self.value}\n    ({self.note.split('. ')[0].rstrip('.')}.)"


def to_confirm(directory: str | Path) -> list[ToConfirm]:
    """Every key a `# TO CONFIRM ...` comment stands above, in file order. The comment (and the comment lines
    straight after it) says what to confirm; the key is the first one after it, named with its parents."""
    found = []
    for name in FILES:
        path = Path(directory) / name
        if path.exists():
            found += _marked(name, path.read_text(encoding="utf-8").splitlines())
    return found


def _marked(file: str, lines: list[str]) -> list[ToConfirm]:
    found, parents, note = [], [], None  # parents: (indent, key) of the keys enclosing the current line
    for number, line in enumerate(lines):
        text = line.strip()
        if text.startswith("#"):
            comment = text.lstrip("#").strip()
            if comment.startswith(MARK):
                note = comment
            elif note is not None:
                note = f"{note} {comment}"
            continue
        match = KEY_LINE.match(line)
        if not text or not match:
            continue
        indent, key = len(match["indent"]), match["key"].strip("\"'")
        parents = [(i, k) for i, k in parents if i < indent] + [(indent, key)]
        if note is not None:
            found.append(ToConfirm(file, ".".join(k for _, k in parents), note, _value(lines, number, match)))
            note = None
    return found


def _value(lines: list[str], number: int, match: re.Match) -> str:
    """The key's value as written: on its line, or folded onto the lines indented below it (`>-`)."""
    value = match["value"].strip()
    if value and value not in {">-", ">", "|", "|-"}:
        return value.strip("\"'")
    indent, below = len(match["indent"]), []
    for line in lines[number + 1:]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        below.append(line.strip())
    return " ".join(part for part in below if part and not part.startswith("#"))
