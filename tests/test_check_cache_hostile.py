"""The check cache never answers for a repository, a user or a program it did not see (issue 19, points 2
and 3): after each change below the cached answer is the uncached one, and whatever the cache directory
holds, a check never hangs, crashes or writes where it should not.

The changes that keep every file's status (a directory renamed and linked back, a group lost, capabilities
dropped) are tested with settled files: their identity is in the record (compiler/io/probe.py), so only
the rules re-applied by the replay (compiler/io/disk.py's witness) can tell the answer changed.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import Result, copy_repository, run_main

from compiler.app import cached
from compiler.io import memo, probe

SETPRIV = shutil.which("setpriv")
NOBODY = 65534
#: a group only the first run has
GROUP = 54321


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the check ran a minute after the files were written: their identities go into the record."""
    later = time.time_ns() + 60 * 10**9
    monkeypatch.setattr(probe.time, "time_ns", lambda: later)


def run(command: str, root: Path, *extra: str) -> Result:
    with _deadline(30):
        return run_main([command, "--root", str(root), *extra], root)


def assert_same(answer: Result, expected: Result) -> None:
    assert (answer.code, answer.stdout, answer.stderr) == (expected.code, expected.stdout, expected.stderr)


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Fail, instead of hanging the suite, if a check blocks (on a FIFO, say)."""

    def expired(*_: object) -> None:
        raise TimeoutError(f"the check did not end within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.usefixtures("settled")
def test_a_directory_renamed_and_linked_back_from_outside_the_root(
    repo: Path, runs: list[list[str]], tmp_path_factory: pytest.TempPathFactory, command: str
) -> None:
    """`mv docs ../docs-moved && ln -s ../docs-moved docs`: every file keeps its inode, size and times."""
    assert run(command, repo).code == 0
    moved = tmp_path_factory.mktemp("outside") / "docs-moved"
    (repo / "docs").rename(moved)
    (repo / "docs").symlink_to(moved)
    answer, expected = run(command, repo), run(command, repo, "--no-cache")
    assert expected.code == 2 and "resolves outside the root" in expected.output, expected
    assert_same(answer, expected)


def test_another_program_first_on_path_is_named_in_the_fix(
    repo: Path, runs: list[list[str]], monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The same PATH, but an `ssot` installed since in a directory before this one: `run: ssot build` would
    now run that other program. The report names this one by its path instead."""
    bins = tmp_path_factory.mktemp("bin")
    first, ours = bins / "first", bins / "venv"
    first.mkdir()
    ours.mkdir()
    program = ours / "ssot"
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{first}{os.pathsep}{ours}")
    page = repo / "docs/ssot/layers.md"
    page.write_text(page.read_text(encoding="utf-8") + "\ndrift\n", encoding="utf-8")

    def as_typed(*extra: str) -> Result:
        """The console script as a shell runs it (argv[0] its path), in this process."""
        monkeypatch.setattr(sys, "argv", [str(program), "check", *extra, "--root", str(repo)])
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cached.main()
        return Result(code, out.getvalue(), err.getvalue())

    assert "run: ssot build" in as_typed().stdout
    shutil.copy(program, first / "ssot")
    answer, expected = as_typed(), as_typed("--no-cache")
    assert f"run: {program} build" in expected.stdout, expected
    assert_same(answer, expected)


def _record(root: Path) -> Path:
    folder = memo.location(root)
    assert folder is not None
    (record,) = folder.glob("check-*.json")
    return record


def _huge(path: Path) -> None:
    with path.open("wb") as file:
        file.truncate(memo.MAX_RECORD_BYTES + 1)  # sparse: costs no disk


HOSTILE: dict[str, Callable[[Path, Path], None]] = {
    "a FIFO": lambda path, _: os.mkfifo(path),
    "a link to /dev/zero": lambda path, _: path.symlink_to("/dev/zero"),
    "a file past the size cap": lambda path, _: _huge(path),
    "a directory": lambda path, _: path.mkdir(),
    "a link to a record": lambda path, saved: path.symlink_to(saved),
}


@pytest.mark.parametrize("plant", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_record_that_is_no_plain_file_is_a_miss(
    repo: Path, runs: list[list[str]], tmp_path_factory: pytest.TempPathFactory, plant: Callable[[Path, Path], None]
) -> None:
    """Read without following links, without blocking, at most a few MB: else the check runs in full."""
    page = repo / "docs/ssot/layers.md"
    page.write_text(page.read_text(encoding="utf-8") + "\ndrift\n", encoding="utf-8")
    assert run("check", repo).code == 1
    record = _record(repo)
    saved = tmp_path_factory.mktemp("saved") / record.name
    record.rename(saved)  # a good record, elsewhere: only a link may lead to it
    plant(record, saved)
    answer = run("check", repo)
    assert len(runs) == 2, "the planted record was replayed"
    assert_same(answer, run("check", repo, "--no-cache"))


@pytest.mark.parametrize("which", ["ssot-compiler", "the repository's folder"])
def test_a_cache_folder_that_is_a_link_is_not_used(
    repo: Path,
    runs: list[list[str]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
    which: str,
) -> None:
    """`ln -s .. ssot-compiler` must not make a check write records elsewhere (beside the repository)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("home")))
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    folder = memo.location(repo)
    assert folder is not None
    if which == "ssot-compiler":
        folder.parent.symlink_to(elsewhere)
    else:
        folder.parent.mkdir(mode=0o700)
        folder.symlink_to(elsewhere)
    first, again = run("check", repo), run("check", repo)
    assert first == again and first.code == 0 and len(runs) == 2
    assert list(elsewhere.iterdir()) == []


def test_a_cache_folder_others_may_write_is_not_used(
    repo: Path, runs: list[list[str]], monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("home")))
    folder = memo.location(repo)
    assert folder is not None
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    for _ in range(2):
        assert run("check", repo).code == 0
    assert len(runs) == 2 and list(folder.iterdir()) == []


def test_a_cache_home_that_cannot_be_written_costs_a_full_check_and_nothing_else(
    repo: Path, runs: list[list[str]], monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A read-only home (here: a file where the folder should be, which refuses even root)."""
    blocked = tmp_path_factory.mktemp("home") / "a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked / "cache"))
    first, again = run("check", repo), run("check", repo)
    assert first == again and (first.code, first.stderr) == (0, "") and len(runs) == 2


def test_a_relative_cache_home_is_ignored(
    repo: Path, runs: list[list[str]], monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """As the XDG spec says: a relative XDG_CACHE_HOME would put records in the repository (the check's
    working directory); ~/.cache is used instead."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", "cache")
    run("check", repo)
    run("check", repo)
    assert len(runs) == 1 and not (repo / "cache").exists()
    assert [path.name for path in home.iterdir()] == [".cache"]


# Who reads: the same files, the same record, another user's rights. These run the check in a process of
# its own, with its credentials changed by setpriv(1) (root only), its files taken as settled.
_AS_SETTLED = """\
import sys, time
later = time.time_ns() + 60 * 10**9
time.time_ns = lambda: later
from compiler.app.cached import main
sys.exit(main(sys.argv[1:]))
"""


def _as(credentials: list[str], root: Path, cache_home: Path, *extra: str) -> Result:
    completed = subprocess.run(
        [SETPRIV, *credentials, sys.executable, "-c", _AS_SETTLED, "check", "--root", str(root), *extra],
        cwd=root,
        env={**os.environ, "XDG_CACHE_HOME": str(cache_home), "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


@pytest.fixture
def shared_repo() -> Iterator[Path]:
    """The example repository in a folder every user may enter (pytest's own are its user's only)."""
    assert SETPRIV is not None
    tried = [
        SETPRIV,
        f"--reuid={NOBODY}",
        f"--regid={NOBODY}",
        "--clear-groups",
        "--bounding-set=-dac_override",
        "true",
    ]
    if subprocess.run(tried, capture_output=True, check=False).returncode != 0:
        pytest.skip("setpriv cannot change credentials here (a container without CAP_SETUID, say)")
    top = Path(tempfile.mkdtemp(prefix="ssot-shared-"))
    top.chmod(0o755)
    (top / "repo").mkdir()
    try:
        yield copy_repository(top / "repo")
    finally:
        shutil.rmtree(top)


NOT_ROOT = "changing a process's user, groups and capabilities needs root and setpriv(1)"


@pytest.mark.skipif(SETPRIV is None or os.geteuid() != 0, reason=NOT_ROOT)
def test_a_page_readable_through_a_group_the_user_lost(shared_repo: Path) -> None:
    page = shared_repo / "docs/ssot/layers.md"
    os.chown(page, 0, GROUP)
    page.chmod(0o640)
    cache_home = shared_repo.parent / "cache"
    cache_home.mkdir()
    os.chown(cache_home, NOBODY, NOBODY)
    user = [f"--reuid={NOBODY}", f"--regid={NOBODY}"]
    assert _as([*user, f"--groups={GROUP}"], shared_repo, cache_home).code == 0
    answer = _as([*user, "--clear-groups"], shared_repo, cache_home)
    expected = _as([*user, "--clear-groups"], shared_repo, cache_home, "--no-cache")
    assert expected.code == 2 and "cannot read" in expected.output, expected
    assert_same(answer, expected)


@pytest.mark.skipif(SETPRIV is None or os.geteuid() != 0, reason=NOT_ROOT)
def test_a_page_root_reads_only_with_cap_dac_override(shared_repo: Path) -> None:
    """The same user and groups: only opening the file again tells that this process may no longer."""
    page = shared_repo / "docs/ssot/layers.md"
    os.chown(page, NOBODY, NOBODY)
    page.chmod(0o600)
    cache_home = shared_repo.parent / "cache"
    assert _as([], shared_repo, cache_home).code == 0
    assert stat.S_ISDIR(os.stat(cache_home).st_mode)
    dropped = ["--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]
    answer = _as(dropped, shared_repo, cache_home)
    expected = _as(dropped, shared_repo, cache_home, "--no-cache")
    assert expected.code == 2 and "cannot read" in expected.output, expected
    assert_same(answer, expected)


def test_storing_a_record_forgets_repositories_untouched_for_a_month_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repositories = {name: tmp_path / name for name in ("here", "stale", "fresh", "stale-with-more")}
    for root in repositories.values():
        root.mkdir()
        memo.store(root, "check-1", {"answer": 1})
    folders = {name: memo.location(root) for name, root in repositories.items()}
    home = tmp_path / "cache" / "ssot-compiler"
    (folders["stale-with-more"] / "notes.txt").write_text("someone's\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "kept.json").write_text("{}", encoding="utf-8")
    (home / "a-link").symlink_to(outside, target_is_directory=True)
    month_ago = time.time() - memo.STALE_SECONDS - 60
    for name in ("stale", "stale-with-more"):
        os.utime(folders[name], (month_ago, month_ago))
    os.utime(home / "a-link", (month_ago, month_ago), follow_symlinks=False)

    memo.store(repositories["here"], "check-2", {"answer": 2})

    assert sorted(p.name for p in home.iterdir()) == sorted(
        [folders["here"].name, folders["fresh"].name, folders["stale-with-more"].name, "a-link"]
    )
    assert [p.name for p in folders["stale-with-more"].iterdir()] == ["notes.txt"]  # only records go
    assert (outside / "kept.json").exists()  # never through a link
    assert memo.load(repositories["fresh"], "check-1") == {"answer": 1}
