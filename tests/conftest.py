"""Shared fixtures for the acceptance tests: a copy of the repository, the real CLI, disk snapshots."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

#: What a repository copy holds: the SSOT, every artifact and every page that may host blocks.
COPIED = ("ssot", "docs", "envs", "mkdocs.yml", "README.md")

#: Never copied: local state, build output, and real envs/<env>.tfvars (untracked, local values).
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "site", ".venv", ".git", "*.tfvars")


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def __str__(self) -> str:  # shown by pytest when an assertion about a result fails
        return f"exit {self.code}\n--- stdout\n{self.stdout}--- stderr\n{self.stderr}"


def run_command(
    argv: Sequence[str | os.PathLike[str]], cwd: Path, *, preexec_fn: Callable[[], None] | None = None
) -> Result:
    """Run a command as a user would, capturing its exit code and both streams (UTF-8).

    `preexec_fn` runs in the child before the command (to set resource limits, say).
    """
    env = {**os.environ, "PYTHONUTF8": "1", "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1"}
    completed = subprocess.run(
        [os.fspath(a) for a in argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
        preexec_fn=preexec_fn,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


def copy_repository(target: Path) -> Path:
    """Copy the repository's inputs and artifacts into the existing directory `target`; return it."""
    for name in COPIED:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=_IGNORED)
        elif source.is_file():
            shutil.copy2(source, target / name)
    return target


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A private copy of the repository's inputs and artifacts: tests may break it at will."""
    return copy_repository(tmp_path)


RunCli = Callable[..., Result]


@pytest.fixture
def run_cli(tmp_path_factory: pytest.TempPathFactory) -> RunCli:
    """`run_cli(*args, cwd=None, preexec_fn=None)`: the real CLI (`python -m compiler ...`) in a subprocess.

    Without `cwd` it runs in an empty directory, so a test that forgets `--root` can never write into
    the real repository.
    """
    neutral = tmp_path_factory.mktemp("cwd")

    def run(
        *args: str | os.PathLike[str], cwd: Path | None = None, preexec_fn: Callable[[], None] | None = None
    ) -> Result:
        return run_command([sys.executable, "-m", "compiler", *args], cwd=cwd or neutral, preexec_fn=preexec_fn)

    return run


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` (hidden ones included) -> its bytes. Equal snapshots: same files, same bytes."""
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def identities(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under `root` -> (inode, mtime_ns): changes even when a file is rewritten with the same bytes."""
    result = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            status = path.stat()
            result[path.relative_to(root).as_posix()] = (status.st_ino, status.st_mtime_ns)
    return result


def line_of(text: str, needle: str) -> int:
    """The 1-based number of the first line containing `needle` (counting '\\n' as editors do)."""
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not found")


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` by `new` in a file, insisting that `old` occurs exactly `count` times (bytes kept)."""
    text = path.read_bytes().decode("utf-8")
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times in {path}, expected {count}"
    path.write_bytes(text.replace(old, new).encode("utf-8"))
