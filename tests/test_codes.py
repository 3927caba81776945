"""compiler.codes: every code the tool can emit is declared once, used, and documented in README.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from compiler import codes
from compiler.errors import Problem
from compiler.findings import Finding
from compiler.render.codes import render_codes_block

PACKAGE = Path(__file__).resolve().parent.parent / "compiler"
CODES_PAGE = Path(__file__).resolve().parent.parent / "docs/manual/reference/codes.md"


def sources() -> list[Path]:
    return [path for path in sorted(PACKAGE.rglob("*.py")) if path != PACKAGE / "codes.py"]


def test_an_unregistered_code_is_a_bug_when_a_finding_or_problem_is_made() -> None:
    with pytest.raises(ValueError, match="unregistered finding code 'table-cel'"):
        Finding("a.md", 1, "m", code="table-cel")
    with pytest.raises(ValueError, match="unregistered"):
        Problem("a.md", 1, 1, "m", code="no-such-code")
    assert Finding("a.md", 1, "m", code=codes.TABLE_CELL).code == "table-cell"


def test_codes_are_named_by_their_constants_never_by_literals() -> None:
    """A literal code would escape the registry (a typo emits a code no document lists)."""
    names = set(codes.REGISTRY)
    offenders = []
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "code" and isinstance(node.value, ast.Constant):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.value.lineno}: code={node.value.value!r}")
            elif isinstance(node, ast.Constant) and node.value in names:
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {node.value!r}")
    assert offenders == []


def test_every_registered_code_is_emitted_somewhere() -> None:
    """No stale entry: each constant is used by the package (outside compiler/codes.py)."""
    used = {
        node.attr
        for path in sources()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "codes"
    }
    constants = {name for name, value in vars(codes).items() if isinstance(value, str) and value in codes.REGISTRY}
    assert constants == {name.upper().replace("-", "_") for name in codes.REGISTRY}
    assert constants - used == set()


def test_every_code_has_an_exit_class_and_a_meaning() -> None:
    for code in codes.REGISTRY.values():
        assert code.exit in (codes.Exit.DRIFT, codes.Exit.TROUBLE, codes.Exit.INTERRUPTED), code
        assert code.meaning and "\n" not in code.meaning, code


def test_the_manual_lists_every_code_in_its_generated_block() -> None:
    text = CODES_PAGE.read_text(encoding="utf-8")
    block = text.split("<!-- ssot:begin finding-codes -->")[1].split("<!-- ssot:end finding-codes -->")[0]
    listed = re.findall(r"^\|\s*`([a-z-]+)`\s*\|\s*(\d+)\s*\|", block, flags=re.MULTILINE)
    assert {name: int(exit) for name, exit in listed} == {c.name: int(c.exit) for c in codes.REGISTRY.values()}


def test_the_codes_block_is_one_table_row_per_code() -> None:
    rows = [line for line in render_codes_block(None).splitlines()[2:]]  # type: ignore[arg-type]
    assert len(rows) == len(codes.REGISTRY)
    assert rows[0].startswith("| `table-cell`")
