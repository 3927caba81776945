"""Durable writes: every new file is on disk before it is renamed into place, and the renames after it.

A build of many files syncs each filesystem it wrote to once (syncfs) instead of each file
(compiler/io/durable.py); where there is no syncfs it syncs every file. Then the directories it renamed in
are synced. A failed sync, of the files or of a directory, changes nothing. The few-file path (one fsync a
file) is broken at every step in tests/test_safe_writes.py.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import RunCli, edit, snapshot

from compiler.io import durable

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="syncfs and /proc/self/fd are Linux's")

NEW_ENVIRONMENTS = [f"e{index:02d}" for index in range(1, 13)]


def add_environments(root: Path) -> None:
    """Twelve more environments: a build creates a page and a tfvars example for each (far more than SYNC_ALONE)."""
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
    """What the build does, in order: ("syncfs", directory), ("fsync", path), ("replace", target)."""
    log: list[tuple[str, str]] = []
    real_load, real_fsync, real_replace = durable._load_syncfs, os.fsync, os.replace

    def load() -> Callable[[int], None] | None:
        syncfs = real_load()
        assert syncfs is not None, "Linux has syncfs"

        def logged(descriptor: int) -> None:
            log.append(("syncfs", opened(descriptor)))
            syncfs(descriptor)

        return logged

    def fsync(descriptor: int) -> None:
        log.append(("fsync", opened(descriptor)))
        real_fsync(descriptor)

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        log.append(("replace", os.fspath(target)))
        real_replace(source, target)

    monkeypatch.setattr(durable, "_load_syncfs", load)
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return log


@linux_only
def test_a_build_of_many_files_syncs_the_filesystem_before_any_rename_and_the_directories_after(
    repo: Path, run_cli: RunCli, events: list[tuple[str, str]]
) -> None:
    add_environments(repo)

    built = run_cli("build", "--root", repo)

    assert built.code == 0, built
    kinds = [kind for kind, _ in events]
    assert kinds.count("syncfs") == 1, events  # one filesystem
    assert kinds.index("syncfs") < kinds.index("replace"), "the files are on disk before the first rename"
    renamed_in = {os.path.dirname(target) for kind, target in events if kind == "replace"}
    synced_after = {path for kind, path in events[len(kinds) - kinds[::-1].index("replace") :] if kind == "fsync"}
    assert renamed_in <= synced_after, "every directory renamed in is synced after the last rename"
    assert str((repo / "docs/ssot/environments").resolve()) in renamed_in
    for name in NEW_ENVIRONMENTS:
        assert f"created docs/ssot/environments/{name}.md" in built.stdout, built
    assert temporary_files(repo) == []
    assert run_cli("check", "--root", repo).code == 0


@linux_only
def test_a_failed_syncfs_changes_nothing_and_names_a_file(
    repo: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(_descriptor: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(durable, "_load_syncfs", lambda: failing)
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


@pytest.mark.parametrize("why", ["no syncfs in the C library", "no syncfs in the kernel"])
def test_without_syncfs_every_file_is_synced_before_any_rename(
    repo: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, why: str
) -> None:
    def not_in_kernel(_descriptor: int) -> None:
        raise OSError(errno.ENOSYS, os.strerror(errno.ENOSYS))

    monkeypatch.setattr(durable, "_load_syncfs", lambda: None if why.endswith("library") else not_in_kernel)
    synced: list[int] = []
    renamed: list[int] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        synced.append(len(renamed))
        real_fsync(descriptor)

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        renamed.append(1)
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    add_environments(repo)

    built = run_cli("build", "--root", repo)

    assert built.code == 0, built
    before_renames = synced.count(0)
    assert before_renames == len(renamed) >= 2 * len(NEW_ENVIRONMENTS), (synced, len(renamed))
    assert temporary_files(repo) == []


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
