"""Formatting a generated file is never drift: real formatters run over a correct repository copy.

Teams run mdformat or prettier over their Markdown; terraform-docs, cog and embedme then fail their
byte-for-byte checks. `ssot check` must stay green; `ssot build` brings back the layout of the files it
owns whole, and leaves a hand-written file whose blocks hold the right content as the formatter left it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import mdformat
import pytest

from compiler.artifacts.block_syntax import MARKDOWN_BLOCKS as BLOCKS
from compiler.formats.blocks import block_bodies, find_blocks
from tests.conftest import REPO_ROOT, RunCli

FORMATTED = ["envs/README.md", "docs/index.md", "docs/ssot/env.md"]
PRETTIER = REPO_ROOT / "node_modules" / ".bin" / "prettier"


def _assert_formatter_changed_files_and_check_passes(repo: Path, run_cli: RunCli, before: dict[str, bytes]) -> None:
    changed = [name for name in FORMATTED if (repo / name).read_bytes() != before[name]]
    assert changed, "the formatter changed nothing: this test would prove nothing"

    checked = run_cli("check", "--root", repo)
    assert checked.code == 0, checked

    formatted = {name: (repo / name).read_bytes() for name in ("envs/README.md", "docs/index.md")}
    built = run_cli("build", "--root", repo)
    assert built.code == 0, built
    # build writes the canonical layout of the file it owns whole back; a hand-written file's blocks hold
    # what they would be rendered as, so it is left as the formatter wrote it (in pre-commit, the
    # formatter and `ssot build` never undo each other)
    assert (repo / "docs/ssot/env.md").read_bytes() == before["docs/ssot/env.md"]
    for name, text in formatted.items():
        assert (repo / name).read_bytes() == text, f"{name}: build rewrote a block that holds the same content"
    assert run_cli("build", "--root", repo).stdout.strip() == "everything is up to date"


def _bodies(path: Path) -> dict[str, str]:
    return _bodies_of(path.read_text(encoding="utf-8"), path.name)


def _bodies_of(text: str, name: str) -> dict[str, str]:
    return block_bodies(text, find_blocks(text, name, BLOCKS))


def test_mdformat_with_tables_is_not_drift(repo: Path, run_cli: RunCli) -> None:
    before = {name: (repo / name).read_bytes() for name in FORMATTED}
    for name in FORMATTED:
        mdformat.file(repo / name, extensions={"tables"})

    _assert_formatter_changed_files_and_check_passes(repo, run_cli, before)


def test_prettier_is_not_drift(repo: Path, run_cli: RunCli) -> None:
    if not PRETTIER.exists():
        if os.environ.get("CI"):
            pytest.fail("prettier is not installed; .ci/run (make test) installs it with npm ci")
        pytest.skip("prettier is not installed (make test installs it with npm ci)")
    before = {name: (repo / name).read_bytes() for name in FORMATTED}
    subprocess.run([str(PRETTIER), "--write", *FORMATTED], cwd=repo, check=True, capture_output=True)

    _assert_formatter_changed_files_and_check_passes(repo, run_cli, before)


def test_a_real_change_after_formatting_is_still_found(repo: Path, run_cli: RunCli) -> None:
    readme = repo / "envs/README.md"
    mdformat.file(readme, extensions={"tables"})
    text = readme.read_text(encoding="utf-8")
    assert "Atlantis (`platform`)" in text
    readme.write_text(text.replace("Atlantis (`platform`)", "Atlantis (`apps`)"), encoding="utf-8")

    checked = run_cli("check", "--root", repo)

    assert checked.code == 1, checked
    assert "table 'layers', row 'L2', column 'Managed By'" in checked.stdout, checked
