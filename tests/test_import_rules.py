"""The README's map of the code holds: each part imports only what the map says it may, and only the entry points
import the app factory. Lazy imports inside functions count too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IVR = ROOT / "ivr"
# What every part but callflow may use (README, "How the code is laid out").
COMMON = {"models", "extensions", "audit", "clock", "config", "headers", "budget"}
# Each part of ivr/ and the other parts (or modules of them) it may import, besides COMMON.
MAY_IMPORT = {
    "callflow": {"clock"},  # pure: no Flask, no database; COMMON does not apply
    # warm.py's pretend call; the interpreting provider's and reception's calls (interpreting.py, outside any turn)
    "voice": {"callflow", "upkeep.spool", "texts.outbox", "tools.phone", "tools.caller", "twilio_api"},
    "directory": {"callflow"},
    "upkeep": {"callflow", "voice", "twilio_api"},
    "staff": {"callflow", "twilio_api", "upkeep.spool", "tools.flowmap", "callnow", "interop"},
    "tools": {"callflow", "texts.compose"},
    "texts": {"callflow", "twilio_api"},
    "callnow": {"callflow", "voice.signature", "voice.form", "twilio_api"},
    "interop": {"callflow"},  # the FHIR Bundle and the data set's CSV: the questions' words from the loaded line
    "models": {"clock", "extensions"},
    "audit": {"models", "extensions"},
    "extensions": {"callflow.line"},
    "clock": set(),  # the standard library only
    "config": {"pgcursor", "budget"},
    "pgcursor": {"budget"},  # psycopg, and the budget its statements keep to
    "budget": set(),  # the standard library only
    "twilio_api": set(),
    "headers": set(),
}
# The parts below COMMON (or beside it) take nothing from it.
BELOW_COMMON = {"callflow", "models", "audit", "extensions", "clock", "config", "pgcursor", "twilio_api",
                "headers", "budget"}
ENTRY_POINTS = {ROOT / "wsgi.py"}


def _imported(path: Path) -> set[str]:
    """The ivr modules a file imports, as dotted names without the leading 'ivr.' (a submodule named in
    `from ivr.texts import outbox` counts as texts.outbox)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names if alias.name.startswith("ivr.")}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "ivr":
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                is_module = (ROOT / Path(*submodule.split("."))).with_suffix(".py").exists() or \
                    (ROOT / Path(*submodule.split("."))).is_dir()
                names.add(submodule if is_module else node.module)
    return {name.removeprefix("ivr.") for name in names if name != "ivr"}


def _part(path: Path) -> str:
    return path.relative_to(IVR).with_suffix("").parts[0]


def _allowed(part: str, target: str) -> bool:
    if target.split(".")[0] == part:
        return True
    allowed = MAY_IMPORT[part] | (set() if part in BELOW_COMMON else COMMON)
    return any(target == rule or target.startswith(rule + ".") for rule in allowed)


@pytest.mark.parametrize("path", sorted(IVR.rglob("*.py")), ids=lambda path: str(path.relative_to(ROOT)))
def test_each_part_imports_only_what_the_map_allows(path):
    part = _part(path)
    if part in {"app", "__init__"}:
        return  # the factory wires every part; ivr/__init__ imports nothing
    assert part in MAY_IMPORT, f"{part} is not on the README's map of the code: add it there and here"
    refused = sorted(target for target in _imported(path) if not _allowed(part, target))
    assert not refused, f"{path.relative_to(ROOT)} imports {refused}, which the map does not allow {part}"


def test_only_the_entry_points_import_the_factory():
    importers = {path for path in [*IVR.rglob("*.py"), *ROOT.glob("*.py")]
                 if "app" in _imported(path) and path != IVR / "app.py"}
    assert importers <= ENTRY_POINTS, sorted(str(path.relative_to(ROOT)) for path in importers - ENTRY_POINTS)


def test_the_rules_see_a_lazy_import_inside_a_function(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("def later():\n    from ivr.voice import views\n    from ivr.texts import outbox\n")
    assert _imported(sneaky) == {"voice.views", "texts.outbox"}
    assert not _allowed("staff", "voice.views")
