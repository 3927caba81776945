"""The example repository the tests copy (tests/fixtures/repo) agrees with its own ssot/env.yaml.

Every `repo` fixture starts from it, so a stale artifact there would make drift tests start from drift.
"""

from __future__ import annotations

import pytest
from conftest import COPIED, FIXTURE_REPO

from compiler.app.engine import check_repository
from compiler.artifacts.block_syntax import MARKDOWN_BLOCKS, YAML_BLOCKS, block_syntax
from compiler.formats.blocks import find_blocks

REBUILD = ".venv/bin/ssot build --root tests/fixtures/repo"


def test_the_example_repository_agrees_with_its_ssot() -> None:
    findings = check_repository(FIXTURE_REPO).findings
    if findings:
        listed = "\n".join(f"  {f.file}:{f.line}: {f.message}" for f in findings)
        pytest.fail(
            f"tests/fixtures/repo disagrees with its ssot/env.yaml (a renderer or a finding code changed?):\n"
            f"{listed}\nrun: {REBUILD}, review what it rewrote, and commit it",
            pytrace=False,
        )


def test_the_example_repository_holds_everything_a_copy_needs() -> None:
    for name in COPIED:
        assert (FIXTURE_REPO / name).exists(), f"tests/fixtures/repo/{name} is missing"
    assert (FIXTURE_REPO / ".gitignore").is_file(), "keeps its real tfvars out of git, as a repository must"


def test_the_example_repository_hosts_every_kind_of_block() -> None:
    """Every block the registry knows stands in one of its hand-written pages, so tests can break any of them."""
    hosted: set[str] = set()
    for path in ("envs/README.md", "docs/index.md", "README.md", "mkdocs.yml"):
        syntax = block_syntax(path)
        assert syntax is not None, path
        text = (FIXTURE_REPO / path).read_text(encoding="utf-8")
        hosted |= {block.name for block in find_blocks(text, path, syntax.blocks)}
    assert hosted == MARKDOWN_BLOCKS.keys() | YAML_BLOCKS.keys()
