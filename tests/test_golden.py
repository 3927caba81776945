"""Golden files: every artifact and every block rendered from a small SSOT, kept byte for byte.

tests/golden/env.yaml is the SSOT. Each file `ssot build` writes whole (every entry of the artifact
registry, for each environment) has its expected content under tests/golden/files/ at the same path, and
each named block under tests/golden/blocks/ (`NAME.md` for Markdown blocks, `NAME.yml` for YAML ones),
and each table block in all its fields, as a marker naming them all gets it (blocks/columns/NAME.md), unless
that is what it shows by default.
The renderers are reached through the registry, so a new artifact kind or block fails here until its
golden file exists.

After a deliberate change to a renderer, rewrite the golden files and review them with `git diff`:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from compiler.artifacts.block_syntax import MARKDOWN_BLOCKS, MARKDOWN_TABLES, YAML_BLOCKS
from compiler.artifacts.registry import render_generated_files
from compiler.core.facts import compile_text
from compiler.core.layout import SSOT_PATH

GOLDEN = Path(__file__).parent / "golden"
FILES_DIR = GOLDEN / "files"
BLOCKS_DIR = GOLDEN / "blocks"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
UPDATE_COMMAND = "UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py"

# Read as `ssot build` reads a repository's SSOT: the pages link to its lines under this name.
FACTS = compile_text((GOLDEN / "env.yaml").read_text(encoding="utf-8"), SSOT_PATH)

#: golden file (relative to tests/golden/) -> what the registry renders for it
RENDERED: dict[str, str] = {
    **{f"files/{path}": text for path, text in render_generated_files(FACTS).items()},
    **{f"blocks/{name}.md": render(FACTS) for name, render in MARKDOWN_BLOCKS.items()},
    **{f"blocks/{name}.yml": render(FACTS) for name, render in YAML_BLOCKS.items()},
    **{
        f"blocks/columns/{name}.md": every
        for name, table in MARKDOWN_TABLES.items()
        # else its golden file above shows every column already
        if (every := table.render(FACTS, tuple((field, None) for field in table.fields)))
        != MARKDOWN_BLOCKS[name](FACTS)
    },
}


@pytest.mark.parametrize("name", RENDERED)
def test_the_rendering_matches_its_golden_file(name: str) -> None:
    rendered = RENDERED[name]
    assert "\r" not in rendered, f"{name}: the renderer wrote a CR; generated text has LF line endings"
    golden = GOLDEN / name
    expected = rendered.encode("utf-8")
    current = golden.read_bytes() if golden.is_file() else None
    if current == expected:
        return
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(expected)
        pytest.skip(f"UPDATE_GOLDEN=1: {'rewrote' if current is not None else 'created'} tests/golden/{name}")
    if current is None:
        pytest.fail(
            f"tests/golden/{name} is missing: a registry entry without a golden file; run {UPDATE_COMMAND}",
            pytrace=False,
        )
    assert b"\r" not in current, f"tests/golden/{name} has CR line endings: git converted it (see .gitattributes)"
    diff = difflib.unified_diff(
        current.decode("utf-8").splitlines(keepends=True),
        rendered.splitlines(keepends=True),
        f"tests/golden/{name} (golden)",
        f"{name} (rendered)",
    )
    pytest.fail(
        f"the rendering differs from tests/golden/{name}; if the change is meant, run {UPDATE_COMMAND} and review "
        f"it with git diff\n{''.join(diff)}",
        pytrace=False,
    )


def test_every_golden_file_is_still_rendered() -> None:
    """A golden file nothing renders any more (a removed artifact or block) is stale, not kept by accident."""
    stored = {
        path.relative_to(GOLDEN).as_posix()
        for directory in (FILES_DIR, BLOCKS_DIR)
        for path in directory.rglob("*")
        if path.is_file()
    }
    stale = sorted(stored - RENDERED.keys())
    if stale and UPDATE:
        for name in stale:
            (GOLDEN / name).unlink()
        pytest.skip(f"UPDATE_GOLDEN=1: removed {', '.join(f'tests/golden/{name}' for name in stale)}")
    assert stale == [], f"golden files that nothing renders: {stale}; run {UPDATE_COMMAND} to remove them"


def test_the_golden_ssot_is_small_and_covers_every_kind_of_fact() -> None:
    """What the golden files are meant to show: both scopes, two environments, a secret, a number, a decision."""
    ssot = FACTS.ssot
    assert {layer.scope for layer in ssot.layers.values()} == {"shared", "per-env"}
    assert len(FACTS.environments) == 2
    assert any(variable.sensitive for variable in ssot.variables.values())
    assert any(not isinstance(value, str) for env in FACTS.environments for value in env.tfvars.values())
    assert any(decision.trade_offs for decision in ssot.decisions)
