"""Durable writes: every new file is on disk before it is renamed into place, and the renames after it.

compiler/io/write.py syncs each temporary file (fsync) before it closes it, renames, then syncs the
directories it renamed in (compiler/io/durable.py). A failed sync, of a file or of a directory, changes
nothing. The few-file path is broken at every step in tests/test_safe_writes.py.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from conftest import RunCli, edit, snapshot

NEW_ENVIRONMENTS = [f"e{index:02d}" for index in range(1, 13)]


def add_environments(root: Path) -> None:
    """Twelve more environments: a build creates a page and a tfvars example for each."""
    entries = "".join(
        f"  {name}:\n    title: E{name}\n    base_domain: {name}.example.com\n    env_prefix: x-{name}\n"
        for name in NEW_ENVIRONMENTS
    )
    edit(root / "ssot/env.yaml", "\nenvironments:\n", f"\nenvironments:\n{entries}")


def temporary_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob(".*.tmp"))


def opened(descriptor: int) -> str:
    return os.readlink(f"/proc/self/fd/{descriptor}")


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """What the build does, in order: ("fsync", path), ("replace", target)."""
    log: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        log.append(("fsync", opened(descriptor)))
        real_fsync(descriptor)

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str], **fds: int) -> None:
        if not fds:  # the check cache's records are renamed relative to directory descriptors: not the build's
            log.append(("replace", os.fspath(target)))
        real_replace(source, target, **fds)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return log


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="names descriptors through /proc/self/fd")
def test_every_file_is_synced_before_any_rename_and_the_directories_after(
    repo: Path, run_cli: RunCli, events: list[tuple[str, str]]
) -> None:
    add_environments(repo)

    built = run_cli("build", "--root", repo)

    assert built.code == 0, built
    kinds = [kind for kind, _ in events]
    first_rename = kinds.index("replace")
    synced_before = {os.path.basename(path) for kind, path in events[:first_rename] if kind == "fsync"}
    renamed = [target for kind, target in events if kind == "replace"]
    assert len(synced_before) == len(renamed) >= 2 * len(NEW_ENVIRONMENTS), events
    last_rename = len(kinds) - kinds[::-1].index("replace")
    synced_after = {path for kind, path in events[last_rename:] if kind == "fsync"}
    assert {os.path.dirname(target) for target in renamed} <= synced_after, "every directory renamed in"
    assert str((repo / "docs/ssot/environments").resolve()) in synced_after
    for name in NEW_ENVIRONMENTS:
        assert f"created docs/ssot/environments/{name}.md" in built.stdout, built
    assert temporary_files(repo) == []
    assert run_cli("check", "--root", repo).code == 0


def test_a_file_that_cannot_be_synced_changes_nothing_and_is_named(
    repo: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync, calls = os.fsync, []

    def fsync(descriptor: int) -> None:
        calls.append(descriptor)
        if len(calls) == 5:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    add_environments(repo)
    before = snapshot(repo)

    result = run_cli("build", "--root", repo)

    assert result.code == 2, result
    failed, message = result.stderr.rstrip("\n").split(": ", 1)
    assert message == "cannot write: Input/output error; nothing was changed", result
    assert (repo / failed).parent.is_dir(), result
    assert snapshot(repo) == before
    assert temporary_files(repo) == []
    monkeypatch.undo()
    assert run_cli("build", "--root", repo).code == 0


def test_a_directory_that_cannot_be_synced_after_the_renames_leaves_every_file_as_it_was(
    repo: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        if stat.S_ISDIR(os.fstat(descriptor).st_mode):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    add_environments(repo)
    before = snapshot(repo)

    result = run_cli("build", "--root", repo)

    assert result.code == 2, result
    assert result.stderr.endswith(": cannot write: Input/output error; nothing was changed\n"), result
    assert snapshot(repo) == before, "the files already renamed got their originals back, the new ones went"
    assert temporary_files(repo) == []
