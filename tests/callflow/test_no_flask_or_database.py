"""The call engine's package stands alone: importing it pulls in neither Flask nor SQLAlchemy."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import ivr.callflow

ROOT = Path(__file__).resolve().parents[2]
# Run in a fresh interpreter where importing flask or sqlalchemy fails outright.
PROBE = """
import importlib, sys

class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"flask", "sqlalchemy", "flask_sqlalchemy", "werkzeug"}:
            raise ImportError(f"callflow must not import {name}")

sys.meta_path.insert(0, Refuse())
for name in sys.argv[1:]:
    importlib.import_module(name)
ours = sorted(m for m in sys.modules if m.startswith("ivr"))
print("\\n".join(ours))
"""


def test_every_callflow_module_imports_without_flask_or_sqlalchemy():
    modules = [f"ivr.callflow.{m.name}" for m in pkgutil.iter_modules(ivr.callflow.__path__)]
    assert len(modules) >= 7  # engine, flowbook, answers, prompts, line, practice_match, practice_names
    result = subprocess.run([sys.executable, "-c", PROBE, *modules], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # Of the rest of ivr, only the standard-library clock may come along.
    others = {m for m in result.stdout.split() if not m.startswith("ivr.callflow")}
    assert others <= {"ivr", "ivr.clock"}, others
