"""Every test the docs cite exists: a hazard or a security finding whose proof names a test that is no longer there
is proved by nothing."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# `tests/voice/test_crisis.py::test_a_risk_phrase_at_any_question_is_heard_within_one_turn`, or a class's
# `tests/x.py::TestY::test_z`; a file named alone (`tests/support/fake_twilio.py`) must exist too; and `::test_y`
# after one of these on the same line is another test in that file (docs/security.md writes them so).
CITED = re.compile(r"(?P<file>tests/[\w/]+\.py)(?P<names>(?:::\w+)*)|(?<![\w.])(?P<more>(?:::\w+)+)")
DEFINED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# Stale citations in files only the lead edits (README.md, docs/security.md), reported for the merge. Listed so the
# rest stay held; the test fails once one is fixed, so that its line here goes too.
REPORTED: set[tuple[str, str]] = set()  # citations known to be stale, until their docs are fixed


def citations() -> list[tuple[str, str]]:
    """(doc, citation) for every test file or test named in the README and docs/."""
    found = set()
    for doc in DOCS:
        for line in doc.read_text(encoding="utf-8").splitlines():
            file = "(no file before it)"
            for match in CITED.finditer(line):
                file = match["file"] or file
                names = match["names"] if match["file"] else match["more"]
                found.add((doc.relative_to(ROOT).as_posix(), file + names))
    return sorted(found)


def exists(citation: str) -> bool:
    """Whether the file is there and defines the test (in its class, if one is named), read without importing it."""
    path, *names = citation.split("::")
    if not (ROOT / path).is_file():
        return False
    scope: ast.AST = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    for name in names:
        found = [node for node in scope.body if isinstance(node, DEFINED) and node.name == name]
        if not found:
            return False
        scope = found[0]
    return True


def test_every_test_the_docs_cite_exists():
    missing = {(doc, citation) for doc, citation in citations() if not exists(citation)}
    assert sorted(missing - REPORTED) == [], "these docs cite tests that do not exist"
    assert sorted(REPORTED - missing) == [], "fixed: take these out of REPORTED"


def test_the_hazard_log_is_read_for_its_tests():
    cited = [citation for doc, citation in citations() if doc == "docs/clinical-safety.md" and "::" in citation]
    assert len(cited) > 50  # each control of each hazard names the test that proves it
    assert exists("tests/test_docs_cite_real_tests.py::test_every_test_the_docs_cite_exists")
    assert not exists("tests/test_docs_cite_real_tests.py::test_that_was_never_written")


def test_a_test_named_after_its_file_on_the_same_line_is_read_as_that_files():
    cited = [citation for doc, citation in citations() if doc == "docs/security.md"]
    assert "tests/voice/test_no_personal_data_in_logs.py::test_the_engine_hides_statement_parameters" in cited
