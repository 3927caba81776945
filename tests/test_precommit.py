"""The pre-commit hooks (.pre-commit-hooks.yaml) as a user runs them: `pre-commit run` on a scratch repository,
with a config naming the hook repository at a commit, as `pre-commit try-repo` writes it.

The hook repository is a committed copy of this one's package and hooks (so uncommitted work is tried
too). pre-commit installs the package (core only) into the hooks' environment through pip and the package
registry, as `make setup` does, at the versions constraints.txt pins: about 15 s. One store serves the
module's runs, as a user's ~/.cache/pre-commit serves their commits: the environment is installed once.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE_REPO, REPO_ROOT, Result, RunCli, copy_repository, edit

GIT = shutil.which("git")
pytestmark = [
    pytest.mark.skipif(GIT is None, reason="git is not installed"),
    pytest.mark.long,  # a module runs on one worker (conftest.py): one store, one install
]
#: What `pip install .` needs of this repository, and the hooks.
PACKAGE_FILES = ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml", "compiler")
HOOKS = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def git(root: Path, *args: str) -> None:
    subprocess.run(
        [GIT or "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", *args],
        cwd=root,
        capture_output=True,
        check=True,
    )


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository's package and hooks, committed in a repository of their own."""
    root = tmp_path_factory.mktemp("hooks")
    for name in PACKAGE_FILES:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, root / name)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "hooks")
    return root


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pre-commit store (PRE_COMMIT_HOME) of this module's runs: the hooks' environment, installed once."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A git repository holding a copy of the example repository, everything committed."""
    root = copy_repository(tmp_path)
    shutil.copy2(FIXTURE_REPO / ".gitignore", root / ".gitignore")  # in a work tree, it keeps tfvars out of git
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "scratch")
    return root


def run_hooks(hook_repo: Path, store: Path, cwd: Path, *options: str) -> Result:
    """`pre-commit run OPTIONS...` with the config `pre-commit try-repo HOOK_REPO` writes: every hook of the
    hook repository at its HEAD, in the order of their ids; the config kept outside the scratch repository."""
    head = subprocess.run(
        [GIT or "git", "rev-parse", "HEAD"], cwd=hook_repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    hooks = [{"id": hook["id"]} for hook in sorted(HOOKS, key=lambda hook: hook["id"])]
    config = store / f"config-{cwd.name}.yaml"
    config.write_text(yaml.safe_dump({"repos": [{"repo": str(hook_repo), "rev": head, "hooks": hooks}]}))
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "PIP_CONSTRAINT": str(REPO_ROOT / "constraints.txt"),
        "PRE_COMMIT_HOME": str(store),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    completed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--config", str(config), *options, "--color=never"],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=600,
        check=False,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


def status(result: Result, hook: str) -> str:
    """Passed, Failed or Skipped, as pre-commit reports the hook."""
    name = next(h["name"] for h in HOOKS if h["id"] == hook)
    found = re.search(
        rf"^{re.escape(name)}\.+(?:\(no files to check\))?(Passed|Failed|Skipped)$", result.stdout, re.MULTILINE
    )
    assert found, str(result)
    return found.group(1)


def test_the_hooks_are_declared_as_pre_commit_expects() -> None:
    assert [hook["id"] for hook in HOOKS] == ["ssot-check", "ssot-build"]
    for hook in HOOKS:
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        files = re.compile(hook["files"])
        for path in ("ssot/env.yaml", "docs/ssot/env.md", "envs/README.md", "README.md", "envs/prod.tfvars",
                     "envs/prod.tfvars.example", "terraform/data/main.tf", "mkdocs.yml", "atlantis.yaml",
                     "infra/ssot/env.yaml", ".gitignore", "docs/ssot/diagram.svg", "config/prod.example.tfvars",
                     "bootstrap/terraform.tfvars.sample", "site/img/layers.svg"):  # fmt: skip
            assert files.search(path), (hook["id"], path)
        for path in ("src/app.py", "package.json", "Makefile"):
            assert not files.search(path), (hook["id"], path)


def test_both_hooks_pass_on_a_clean_repository(hook_repo: Path, store: Path, scratch: Path) -> None:
    clean = run_hooks(hook_repo, store, scratch, "--all-files")  # every hook of the repository
    assert clean.code == 0, str(clean)
    assert status(clean, "ssot-check") == status(clean, "ssot-build") == "Passed"


def test_ssot_check_fails_on_drift(hook_repo: Path, store: Path, scratch: Path) -> None:
    edit(scratch / "envs/staging.tfvars.example", '"x-staging"', '"y-staging"')

    drift = run_hooks(hook_repo, store, scratch, "ssot-check", "--all-files")

    assert drift.code == 1, str(drift)
    assert status(drift, "ssot-check") == "Failed"
    assert "envs/staging.tfvars.example:" in drift.stdout and "y-staging" in drift.stdout
    assert '"y-staging"' in (scratch / "envs/staging.tfvars.example").read_text(encoding="utf-8")


def test_ssot_build_fixes_drift_and_fails_because_it_changed_files(
    hook_repo: Path, store: Path, scratch: Path, run_cli: RunCli
) -> None:
    edit(scratch / "envs/staging.tfvars.example", '"x-staging"', '"y-staging"')

    # the hooks run in the order of their ids (as try-repo lists them): the build, then the check of what it wrote
    both = run_hooks(hook_repo, store, scratch, "--all-files")

    assert both.code == 1, str(both)
    assert status(both, "ssot-build") == "Failed"
    assert "updated envs/staging.tfvars.example" in both.stdout
    assert "files were modified by this hook" in both.stdout
    assert status(both, "ssot-check") == "Passed"
    assert '"x-staging"' in (scratch / "envs/staging.tfvars.example").read_text(encoding="utf-8")
    assert run_cli("check", "--root", scratch).code == 0


def test_build_exit_code_says_whether_it_wrote(repo: Path, run_cli: RunCli) -> None:
    """`ssot build --exit-code` (the fixer hook's entry): 1 when a file was written, as `git diff --exit-code`."""
    assert run_cli("build", "--exit-code", "--root", repo).code == 0
    edit(repo / "envs/staging.tfvars.example", '"x-staging"', '"y-staging"')
    wrote = run_cli("build", "--exit-code", "--root", repo)
    assert wrote.code == 1 and wrote.stdout == "updated envs/staging.tfvars.example\n", wrote
    assert run_cli("build", "--root", repo).code == 0  # without the option, a build that wrote is a success
