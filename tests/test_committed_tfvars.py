"""Committed tfvars files (`layout.tfvars[].committed: true`): the team's configuration, kept in git.

Many Terraform repositories commit each root's terraform.tfvars: it holds the environment's settings, and
Terraform reads it from the checkout. Declared so, such files are no `tfvars-tracked` or .gitignore
finding, each value ssot/env.yaml states for them is checked (as Terraform compares: "2" is 2), they are
still scanned for secrets, and `ssot build` never writes them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import RunCli, git, snapshot

from compiler.app.engine import build, check_repository

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

LAYOUT = """
layout:
  tfvars:
    - file: envs/{env}.tfvars
      committed: true
"""


def committed_repository(repo: Path, *, committed: bool = True) -> Path:
    """The example repository with its real tfvars committed (copies of the examples), in git."""
    for env in ("staging", "prod"):
        shutil.copyfile(repo / f"envs/{env}.tfvars.example", repo / f"envs/{env}.tfvars")
    if committed:
        ssot = repo / "ssot/env.yaml"
        ssot.write_text(ssot.read_text(encoding="utf-8") + LAYOUT, encoding="utf-8")
        build(repo)  # the pages now say the files are committed, and no example is generated
    git(repo, "init", "-q")
    (repo / ".gitignore").write_text("site/\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "team")
    return repo


def codes_at(repo: Path) -> list[tuple[str, str, int]]:
    return [(f.code, f.file, f.line) for f in check_repository(repo).findings]


def test_committed_tfvars_agreeing_with_the_ssot_give_no_finding(repo: Path, run_cli: RunCli) -> None:
    committed_repository(repo)
    built = run_cli("build", "--root", repo)
    assert built.code == 0, built
    assert git(repo, "status", "--porcelain") == ""

    assert codes_at(repo) == []
    # what the docs say about the files is true: they are committed
    page = (repo / "docs/ssot/environments/prod.md").read_text(encoding="utf-8")
    assert "`envs/prod.tfvars` is committed (the team's configuration); it holds:" in page
    assert "- `envs/prod.tfvars` (committed)" in (repo / "envs/README.md").read_text(encoding="utf-8")


def test_the_same_files_undeclared_are_tracked_with_a_fix_that_names_the_setting(repo: Path) -> None:
    committed_repository(repo, committed=False)

    findings = check_repository(repo).findings

    assert sorted((f.code, f.file) for f in findings) == [
        ("gitignore-tfvars", ".gitignore"),
        ("tfvars-tracked", "envs/prod.tfvars"),
        ("tfvars-tracked", "envs/staging.tfvars"),
    ]
    assert all("committed: true" in (f.fix or "") for f in findings if f.code == "tfvars-tracked")


def test_a_value_that_differs_is_found_at_its_line_and_build_leaves_the_file_alone(repo: Path, run_cli: RunCli) -> None:
    committed_repository(repo)
    path = repo / "envs/prod.tfvars"
    text = path.read_text(encoding="utf-8")
    assert 'base_domain     = "example.com"' in text
    path.write_text(text.replace('base_domain     = "example.com"', 'base_domain     = "example.org"'), "utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index('base_domain     = "example.org"') + 1
    before = snapshot(repo)

    [finding] = check_repository(repo).findings
    built = run_cli("build", "--root", repo)

    assert (finding.code, finding.file, finding.line) == ("tfvars-value", "envs/prod.tfvars", line)
    assert (finding.expected, finding.found) == ("example.com", "example.org")
    assert "environments.prod" in finding.message
    assert built.code == 0, built
    assert snapshot(repo) == before  # a committed tfvars file is the team's: build never writes it


def test_a_value_quoted_by_a_script_is_the_same_value(repo: Path) -> None:
    committed_repository(repo)
    path = repo / "envs/staging.tfvars"
    path.write_text(path.read_text(encoding="utf-8") + 'extra_replicas = "3"\n', encoding="utf-8")
    ssot = repo / "ssot/env.yaml"
    text = ssot.read_text(encoding="utf-8")
    text = text.replace(
        "variables:\n",
        "variables:\n  extra_replicas:\n    type: number\n    description: More.\n    required: false\n",
        1,
    )
    text = text.replace(
        "    env_prefix: x-staging", "    env_prefix: x-staging\n    values:\n      extra_replicas: 3", 1
    )
    ssot.write_text(text, encoding="utf-8")
    build(repo)  # the pages and tables now show the new variable

    assert codes_at(repo) == []

    path.write_text(path.read_text(encoding="utf-8").replace('"3"', '"4"'), encoding="utf-8")
    assert [code for code, *_ in codes_at(repo)] == ["tfvars-value"]
