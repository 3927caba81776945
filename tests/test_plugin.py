"""The `ssot` MkDocs plugin, through the real `mkdocs build`: pages from the current YAML, errors shown."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import RunCli, edit


def mkdocs_build(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(root / "site"), *extra],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
        timeout=120,
    )


def page(root: Path, path: str) -> str:
    return (root / "site" / path / "index.html").read_text(encoding="utf-8")


def test_the_site_shows_the_current_yaml_even_before_ssot_build(repo: Path) -> None:
    edit(repo / "ssot/env.yaml", "env_prefix: x-staging", "env_prefix: y-staging")

    built = mkdocs_build(repo, "--strict")

    assert built.returncode == 0, built.stderr
    assert "y-staging.example.com" in page(repo, "ssot/environments/staging")
    assert "y-staging.example.com" in page(repo, "ssot/env")
    assert "x-staging" not in page(repo, "ssot/env")
    # the files on disk are untouched: only `ssot build` writes
    assert "x-staging" in (repo / "docs/ssot/env.md").read_text(encoding="utf-8")


def test_a_new_environment_gets_its_page_and_nav_entry_while_serving(repo: Path) -> None:
    edit(
        repo / "ssot/env.yaml",
        "  prod:\n",
        "  qa:\n    title: QA\n    base_domain: example.com\n    env_prefix: x-qa\n  prod:\n",
    )

    built = mkdocs_build(repo, "--strict")

    assert built.returncode == 0, built.stderr
    qa = page(repo, "ssot/environments/qa")
    assert "data-qa" in qa and "x-qa.example.com" in qa
    assert 'href="../qa/"' in page(repo, "ssot/environments/staging")  # listed in the nav


def test_a_removed_environment_loses_its_page(repo: Path) -> None:
    text = (repo / "ssot/env.yaml").read_text(encoding="utf-8")
    start = text.index("  prod:\n")
    end = text.index("\n# The tfvars contract")
    (repo / "ssot/env.yaml").write_text(text[:start] + text[end + 1 :], encoding="utf-8")

    built = mkdocs_build(repo)

    assert built.returncode == 0, built.stderr
    assert not (repo / "site/ssot/environments/prod/index.html").exists()
    assert "data-prod" not in page(repo, "ssot/env")


def test_an_invalid_ssot_fails_the_strict_build_with_the_checks_messages(repo: Path, run_cli: RunCli) -> None:
    edit(
        repo / "ssot/env.yaml",
        "    scope: per-env\n    managed_by: atlantis\n    atlantis_project: apps",
        "    scope: global\n    managed_by: atlantis\n    atlantis_project: apps",
    )
    checked = run_cli("check", "--root", repo)
    assert checked.code == 2
    problem = checked.stderr.strip().splitlines()[0]
    assert problem.startswith("ssot/env.yaml:")

    strict = mkdocs_build(repo, "--strict")

    assert strict.returncode != 0
    assert problem in strict.stderr, strict.stderr


def test_an_invalid_ssot_shows_its_errors_on_the_generated_pages_without_strict(repo: Path, run_cli: RunCli) -> None:
    edit(repo / "ssot/env.yaml", "env_prefix: x-staging", "env_prefix: X_Staging")
    problem = run_cli("check", "--root", repo).stderr.strip().splitlines()[0]

    built = mkdocs_build(repo)

    assert built.returncode == 0, built.stderr
    assert problem in built.stderr
    for path in ("ssot/env", "ssot/environments/staging", ""):
        html = page(repo, path) if path else (repo / "site/index.html").read_text(encoding="utf-8")
        assert "ssot/env.yaml has errors" in html, path
        assert "must be empty or a DNS-1123 label" in html, path


def test_the_site_builds_from_the_files_alone_without_the_plugin(repo: Path) -> None:
    """Tools that run no MkDocs plugin (MkDocs 2, Zensical) still get every page: they are real files."""
    config = repo / "mkdocs.yml"
    edit(config, "  - ssot\n", "")

    built = mkdocs_build(repo, "--strict")

    assert built.returncode == 0, built.stderr
    assert "data-staging" in page(repo, "ssot/environments/staging")
    assert "Vault, Dashboard, Kubero, Casdoor" in (repo / "site/index.html").read_text(encoding="utf-8")
