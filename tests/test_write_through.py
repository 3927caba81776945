"""What a build's write keeps, and what it refuses to overwrite.

A rewritten file keeps its symlink (written through to its target inside the root), its owner and mode,
and its line endings; a file saved while the build runs (after it was read, before it is replaced) stops
the build with exit 2 (changed-during-build), every file as it was and the save kept.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import RunCli, edit, identities, snapshot

from compiler.io import write as fsio

README = "envs/README.md"
INDEX = "docs/index.md"
PAGE = "docs/ssot/env.md"
STAGING_EXAMPLE = "envs/staging.tfvars.example"
STAGING_PAGE = "docs/ssot/environments/staging.md"


def change_staging_prefix(root: Path) -> None:
    """An SSOT edit that changes the env page, README's blocks, the staging page and its example."""
    edit(root / "ssot/env.yaml", "env_prefix: x-staging ", "env_prefix: y-staging ")


def temporary_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob(".*.tmp"))


# -- links --


def test_a_symlinked_block_host_stays_a_link_and_its_target_is_updated(repo: Path, run_cli: RunCli) -> None:
    (repo / INDEX).unlink()
    (repo / INDEX).symlink_to("../envs/README.md")
    change_staging_prefix(repo)

    built = run_cli("build", "--root", repo)

    assert built.code == 0, built
    assert f"updated {README}" in built.stdout, built
    assert (repo / INDEX).is_symlink() and os.readlink(repo / INDEX) == "../envs/README.md"
    assert '"y-staging"' in (repo / README).read_text(encoding="utf-8")
    assert temporary_files(repo) == []
    assert run_cli("check", "--root", repo).code == 0


def test_a_symlinked_generated_file_is_written_through_to_its_target_inside_the_root(
    repo: Path, run_cli: RunCli
) -> None:
    shared = repo / "shared/env-model.md"
    shared.parent.mkdir()
    (repo / PAGE).rename(shared)
    (repo / PAGE).symlink_to("../../shared/env-model.md")
    change_staging_prefix(repo)

    built = run_cli("build", "--root", repo)

    assert built.code == 0, built
    assert f"updated {PAGE}" in built.stdout, built
    assert (repo / PAGE).is_symlink()
    assert "y-staging.example.com" in shared.read_text(encoding="utf-8")
    assert temporary_files(repo) == []
    assert run_cli("check", "--root", repo).code == 0


# -- owner, line endings --


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file away")
def test_a_rewritten_file_keeps_its_owner(repo: Path, run_cli: RunCli) -> None:
    owners = {path: (1234 + i, 2345 + i) for i, path in enumerate((README, PAGE, STAGING_EXAMPLE))}
    for path, (uid, gid) in owners.items():
        os.chown(repo / path, uid, gid)
    change_staging_prefix(repo)

    built = run_cli("build", "--root", repo)

    assert built.code == 0, built
    for path, owner in owners.items():
        assert f"updated {path}" in built.stdout, built
        status = (repo / path).stat()
        assert (status.st_uid, status.st_gid) == owner, path


def test_a_crlf_generated_file_stays_crlf_when_rewritten(repo: Path, run_cli: RunCli) -> None:
    assert run_cli("build", "--root", repo).code == 0  # every file in ssot build's bytes
    for path in (PAGE, STAGING_EXAMPLE, STAGING_PAGE):
        (repo / path).write_bytes((repo / path).read_bytes().replace(b"\n", b"\r\n"))
    assert run_cli("build", "--root", repo).stdout == "everything is up to date\n", "CRLF alone is no change"
    change_staging_prefix(repo)

    built = run_cli("build", "--root", repo)

    assert built.code == 0, built
    for path in (PAGE, STAGING_EXAMPLE, STAGING_PAGE):
        assert f"updated {path}" in built.stdout, built
        data = (repo / path).read_bytes()
        assert b"y-staging" in data and data.count(b"\n") == data.count(b"\r\n"), f"{path} lost a CR"
    assert run_cli("check", "--root", repo).code == 0
    assert run_cli("build", "--root", repo).stdout == "everything is up to date\n"


# -- a file saved while the build runs --


def saving_before_call(number: int, real: Callable[..., Any], save: Callable[[], None]) -> Callable[..., Any]:
    """`real`, except that just before its `number`-th call (1-based) someone saves a file (`save`)."""
    calls = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == number:
            save()
        return real(*args, **kwargs)

    return wrapper


def append_prose(root: Path, path: str) -> Callable[[], None]:
    def save() -> None:
        with (root / path).open("a", encoding="utf-8") as handle:
            handle.write("\nA note saved while the build ran.\n")

    return save


@pytest.mark.parametrize(
    ("step", "number"),
    [("staging", 1), ("renaming", 1), ("renaming", 3)],
    ids=["while-staging", "before-the-first-rename", "after-two-renames"],
)
def test_a_file_saved_during_the_build_stops_it_and_nothing_is_written(
    repo: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, step: str, number: int
) -> None:
    change_staging_prefix(repo)
    save = append_prose(repo, README)  # a block host: replaced after the generated files
    if step == "staging":
        monkeypatch.setattr(fsio, "_create_temporary", saving_before_call(number, fsio._create_temporary, save))
    else:
        monkeypatch.setattr(fsio.os, "replace", saving_before_call(number, os.replace, save))
    before = snapshot(repo)
    before_ids = identities(repo)

    result = run_cli("build", "--root", repo)
    monkeypatch.undo()

    assert result.code == 2, result
    assert result.stderr == (
        f"{README}: changed since ssot build read it; nothing was changed (run ssot build again)\n"
    ), result
    now = snapshot(repo)
    assert now.pop(README).endswith(b"A note saved while the build ran.\n"), "the save is kept"
    assert now == {path: data for path, data in before.items() if path != README}
    ids = identities(repo)
    assert {p: i for p, i in ids.items() if p != README} == {p: i for p, i in before_ids.items() if p != README}
    assert temporary_files(repo) == []

    again = run_cli("build", "--root", repo)
    assert again.code == 0, again
    assert (repo / README).read_text(encoding="utf-8").endswith("A note saved while the build ran.\n")
    assert '"y-staging"' in (repo / README).read_text(encoding="utf-8")


def test_a_file_created_during_the_build_where_it_creates_one_stops_it(
    repo: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / PAGE).unlink()
    change_staging_prefix(repo)

    def save() -> None:
        (repo / PAGE).write_text("# My own page\n", encoding="utf-8")

    monkeypatch.setattr(fsio, "_create_temporary", saving_before_call(1, fsio._create_temporary, save))
    result = run_cli("build", "--root", repo)
    monkeypatch.undo()

    assert result.code == 2, result
    assert result.stderr.startswith(f"{PAGE}: changed since ssot build read it"), result
    assert (repo / PAGE).read_text(encoding="utf-8") == "# My own page\n"
    assert '"x-staging"' in (repo / STAGING_EXAMPLE).read_text(encoding="utf-8"), "nothing else was written"
    assert temporary_files(repo) == []
