"""Shared fixtures: a copy of the repository, the CLI (in-process, or as a real subprocess), disk snapshots."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

#: The example repository the tests own (its SSOT, every artifact, pages hosting every kind of block), so
#: that editing this repository's own ssot/env.yaml or README breaks no test but those about it. After a
#: renderer changes, rewrite its artifacts with `.venv/bin/ssot build --root tests/fixtures/repo`.
FIXTURE_REPO = Path(__file__).resolve().parent / "fixtures" / "repo"
#: The Terragrunt-style monorepo, and the real tfvars a user of it keeps locally (stored as `.tfvars.txt`
#: beside it, not in it: a real tfvars file committed inside this work tree would be `tfvars-tracked`).
TERRAGRUNT = Path(__file__).resolve().parent / "fixtures" / "terragrunt"
TERRAGRUNT_REAL = Path(__file__).resolve().parent / "fixtures" / "terragrunt-real"

#: What a repository copy holds: the SSOT, every artifact and every page that may host blocks (not its
#: .gitignore: a copy is in no git work tree, where a missing .gitignore lets nothing into git).
COPIED = ("ssot", "docs", "envs", "mkdocs.yml", "README.md")

#: Never copied: local state, build output, and real envs/<env>.tfvars (untracked, local values).
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "site", ".venv", ".git", "*.tfvars")


@pytest.fixture(autouse=True, scope="session")
def _private_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The check cache's records (compiler/io/memo.py) go to a folder of this session, not the user's
    ~/.cache: every test that runs the CLI in process records there, and subprocesses inherit it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest modules first. `make test` runs pytest-xdist with `--dist loadfile`: each module goes whole
    to one worker (its module-scoped setup, a wheel, a built site, a browser, a hook environment, is made
    once), in this order. Started first, a long module is never the one a worker runs alone at the end
    while the other waits. A stable sort: every worker collects the same order, as xdist requires."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


@pytest.fixture
def templates_compiled_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs builds run in this process compile the theme's templates once (tests/mkdocs_templates.py)."""
    from mkdocs.theme import Theme
    from mkdocs_templates import get_env_compiling_once

    monkeypatch.setattr(Theme, "get_env", get_env_compiling_once)


def mkdocs_command(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real `mkdocs build ARGS` in `cwd`, as a user runs it (a subprocess with a timeout: a build that
    hangs fails the test); tests/mkdocs_build.py runs it in the test's process where the command is not
    the subject."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def repository_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository's site, built once by the real `mkdocs build --strict` over its mkdocs.yml, for the
    tests that only read it (tests/test_docs.py, tests/test_site_browser.py)."""
    site_dir = tmp_path_factory.mktemp("repository-site")
    built = mkdocs_command(
        "--strict", "--config-file", str(REPO_ROOT / "mkdocs.yml"), "--site-dir", str(site_dir), cwd=REPO_ROOT
    )
    assert built.returncode == 0, built.stderr
    return site_dir


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
    """Copy the example repository's inputs and artifacts into the existing directory `target`; return it."""
    for name in COPIED:
        source = FIXTURE_REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=_IGNORED)
        elif source.is_file():
            shutil.copy2(source, target / name)
    return target


def copy_terragrunt(target: Path) -> Path:
    """A private copy of tests/fixtures/terragrunt at `target` (links kept as links), with its real tfvars
    (tests/fixtures/terragrunt-real/<path>.txt copied to <path>) in place, as a user's checkout has them."""
    shutil.copytree(TERRAGRUNT, target, symlinks=True)
    for stored in TERRAGRUNT_REAL.rglob("*.txt"):
        real = target / stored.relative_to(TERRAGRUNT_REAL).with_suffix("")
        shutil.copyfile(stored, real)
    return target


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A private copy of the example repository (tests/fixtures/repo): tests may break it at will."""
    return copy_repository(tmp_path)


RunCli = Callable[..., Result]


def run_main(argv: Sequence[str | os.PathLike[str]], cwd: Path) -> Result:
    """`ssot ARGV` run in this process through the console script's `main` (compiler/app/cached.py, which
    answers an unchanged check from its record), in `cwd`, both streams captured.

    What a user sees from the real command, without an interpreter start-up per call: most CLI tests use
    this; the subprocess fixture below keeps a thin layer honest about the console script and `-m`. So
    every test that checks, changes something, and checks again also proves the cache follows the change.
    """
    from compiler.app.cached import main

    # Streams like a UTF-8 terminal's (errors as Python sets them there): text a terminal cannot take
    # fails here as it would there, where a StringIO would take anything.
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
    with _working_directory(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([os.fspath(a) for a in argv])
    return Result(int(code), _written(out), _written(err))


def _written(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8")


@contextlib.contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    previous = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


@pytest.fixture
def run_cli(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> RunCli:
    """`run_cli(*args, cwd=None, preexec_fn=None)`: the CLI's `main(argv)`, in this process.

    Without `cwd` it runs in an empty directory, so a test that forgets `--root` can never write into
    the real repository. With `preexec_fn` (resource limits, dropped capabilities) it runs as a real
    subprocess, which is the only place such limits can apply.
    """
    neutral = tmp_path_factory.mktemp("cwd")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)

    def run(
        *args: str | os.PathLike[str], cwd: Path | None = None, preexec_fn: Callable[[], None] | None = None
    ) -> Result:
        if preexec_fn is not None:
            return run_command([sys.executable, "-m", "compiler", *args], cwd=cwd or neutral, preexec_fn=preexec_fn)
        return run_main(args, cwd or neutral)

    return run


@pytest.fixture
def run_cli_subprocess(tmp_path_factory: pytest.TempPathFactory) -> RunCli:
    """`run_cli_subprocess(*args, cwd=None)`: the real CLI (`python -m compiler ...`) in a subprocess.

    For the thin acceptance layer: what only a new process shows (imports, the module entry point).
    """
    neutral = tmp_path_factory.mktemp("cwd")

    def run(*args: str | os.PathLike[str], cwd: Path | None = None) -> Result:
        return run_command([sys.executable, "-m", "compiler", *args], cwd=cwd or neutral)

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


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The commands that ran the compiler behind the front door (a check answered from its record adds none)."""
    from compiler.app import cached

    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("SSOT_NO_CACHE", raising=False)
    ran: list[list[str]] = []
    real = cached._run

    def counting(argv: list[str] | None, parsed: argparse.Namespace | None) -> int:
        ran.append(list(argv or []))
        return real(argv, parsed)

    monkeypatch.setattr(cached, "_run", counting)
    return ran


def git(root: Path, *args: str) -> str:
    """git run in `root` as a test's committer (no signing, no user configuration needed); its output."""
    completed = subprocess.run(
        [
            shutil.which("git") or "git",
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout
