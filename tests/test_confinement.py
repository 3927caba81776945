"""An SSOT from a pull request cannot make `ssot build` write into git's directory, through a link into it, or
over a file the tool did not generate (compiler/io/confine.py); `ssot check` reports the same trouble.

Every field of ssot/env.yaml that names a path a build writes (layout.docs_dir, layout.pages.*,
layout.block_hosts, layout.tfvars[].example) is aimed at every kind of place a build must never write, in a
real git repository; each time the build exits 2 at the line of that field and leaves every byte (of the
work tree and of .git) and every mode as they were.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import RunCli, snapshot

#: a block host's markers (the layers block), for the fields that name hosts
HOST = "# Notes\n\n<!-- ssot:begin layers -->\n<!-- ssot:end layers -->\n"
HOOK = '#!/bin/sh\nexec git lfs post-checkout "$@"\n'


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def _commit_all(root: Path) -> None:
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "x", "--no-verify")


def _executable(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)


def _in_git_dir(root: Path, suffix: str) -> str | None:
    return f".git/info/notes{suffix}"


def _hook(root: Path, suffix: str) -> str | None:
    """An executable hook a tool installed (git-lfs, pre-commit, husky do): its mode would run the value."""
    _executable(root / f".git/hooks/post-checkout{suffix}", HOOK)
    return f".git/hooks/post-checkout{suffix}"


def _worktree_gitdir(root: Path, suffix: str) -> str | None:
    """The `.git` file at a linked worktree's top, naming its gitdir (no page or host has that name)."""
    if suffix:
        return None
    _git(root, "worktree", "add", "-q", "wt")
    return "wt/.git"


def _tracked_script(root: Path, suffix: str) -> str | None:
    _executable(root / f"tools/deploy{suffix}", "#!/bin/sh\necho deploying\n")
    _commit_all(root)
    return f"tools/deploy{suffix}"


def _link_into_git(root: Path, suffix: str) -> str | None:
    (root / "hooks").symlink_to(".git/hooks", target_is_directory=True)
    return f"hooks/post-merge{suffix}"


def _shaped_as_git_dir(root: Path, suffix: str) -> str | None:
    """A bare repository kept in the tree (mirror.git/ with HEAD, objects, refs): git's directory too."""
    _git(root, "init", "-q", "--bare", "mirror.git")
    return f"mirror.git/hooks/post-update{suffix}"


#: each kind of place: (root, the suffix the field demands) -> the path to aim at (None: no such path)
KINDS: dict[str, Callable[[Path, str], str | None]] = {
    "inside .git": _in_git_dir,
    "an existing hook": _hook,
    "a worktree's gitdir file": _worktree_gitdir,
    "a hand-written tracked script": _tracked_script,
    "a link into .git": _link_into_git,
    "a bare repository in the tree": _shaped_as_git_dir,
}


def _example(target: str) -> str:
    return f"  tfvars:\n    - file: bootstrap.tfvars\n      example: {target}\n      feeds: [L1]\n"


def _page(target: str) -> str:
    return f"  docs_dir: .\n  pages:\n    layers: {target}\n"


def _image(target: str) -> str:
    return f"  docs_dir: .\n  pages:\n    diagram_image: {target}\n"


def _docs_dir(target: str) -> str:
    """docs_dir aimed so that the layers page (ssot/layers.md under it) is the target."""
    return f"  docs_dir: {target.removesuffix('/ssot/layers.md')}\n"


def _block_host(target: str) -> str:
    return f"  block_hosts: ['{target}']\n"


#: field -> (what it writes under `layout:` for a target, the key its line starts with, the suffix it demands)
FIELDS: dict[str, tuple[Callable[[str], str], str, str]] = {
    "layout.tfvars[].example": (_example, "example:", ""),
    "layout.pages.layers": (_page, "layers:", ".md"),
    "layout.pages.diagram_image": (_image, "diagram_image:", ".svg"),
    "layout.docs_dir": (_docs_dir, "docs_dir:", "/ssot/layers.md"),
    "layout.block_hosts": (_block_host, "block_hosts:", ".md"),
}


@pytest.fixture
def git_repo(repo: Path) -> Path:
    _git(repo, "init", "-q")
    _commit_all(repo)
    return repo


def _modes(root: Path) -> dict[str, int]:
    return {
        path.relative_to(root).as_posix(): stat.S_IMODE(path.lstat().st_mode)
        for path in sorted(root.rglob("*"))
        if not path.is_symlink()
    }


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("field", FIELDS)
def test_no_field_can_aim_a_build_at_git_or_a_file_it_does_not_own(
    git_repo: Path, run_cli: RunCli, field: str, kind: str
) -> None:
    aim, key, suffix = FIELDS[field]
    if field == "layout.block_hosts" and kind == "a hand-written tracked script":
        pytest.skip("a block host is hand-written by definition: its markers are what the build owns")
    target = KINDS[kind](git_repo, suffix)
    if target is None:
        pytest.skip(f"no path of the kind has the suffix {field} demands ({suffix})")
    if field == "layout.block_hosts":
        (git_repo / target).parent.mkdir(parents=True, exist_ok=True)
        (git_repo / target).write_text(HOST, encoding="utf-8")
    ssot = git_repo / "ssot/env.yaml"
    text = ssot.read_text(encoding="utf-8") + "layout:\n" + aim(target)
    ssot.write_text(text, encoding="utf-8")
    rows = text.splitlines()
    layout = rows.index("layout:")
    line = next(n for n, row in enumerate(rows, 1) if n > layout and row.strip().startswith(key))
    before, modes = snapshot(git_repo), _modes(git_repo)

    built = run_cli("build", "--root", git_repo)
    checked = run_cli("check", "--root", git_repo)

    assert built.code == 2, built
    assert checked.code == 2, checked
    assert f"ssot/env.yaml:{line}:" in built.output, built
    trouble = {row for row in built.output.splitlines() if row.startswith("ssot/env.yaml:")}
    assert trouble <= set(checked.output.splitlines()), "check must report what build refuses"
    assert snapshot(git_repo) == before, "nothing may be written"
    assert _modes(git_repo) == modes


def test_a_file_named_by_no_field_is_not_replaced_unless_generated(git_repo: Path, run_cli: RunCli) -> None:
    """A hand-written page at a default place (no line of the SSOT names it): trouble at the file itself."""
    page = git_repo / "docs/ssot/layers.md"
    page.write_text("# Our layers\n", encoding="utf-8")
    before = snapshot(git_repo)

    built = run_cli("build", "--root", git_repo)

    assert built.code == 2, built
    assert "docs/ssot/layers.md:1: ssot build would write this file" in built.output
    assert "not-owned" in run_cli("check", "--root", git_repo, "--format", "json").output
    assert snapshot(git_repo) == before


def test_new_files_get_no_exec_bit_and_generated_files_lose_theirs(git_repo: Path, run_cli: RunCli) -> None:
    page = git_repo / "docs/ssot/layers.md"
    page.write_text(page.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    page.chmod(0o775)
    (git_repo / "docs/ssot/variables.md").unlink()
    old_umask = os.umask(0)
    try:
        assert run_cli("build", "--root", git_repo).code == 0
    finally:
        os.umask(old_umask)

    assert stat.S_IMODE(page.stat().st_mode) == 0o664
    assert stat.S_IMODE((git_repo / "docs/ssot/variables.md").stat().st_mode) == 0o666


def test_a_directory_turned_into_a_link_into_git_after_reading_is_refused_at_writing(git_repo: Path) -> None:
    """The writing applies the git half of the rule again: the reading's answer may be old by then."""
    from compiler.errors import SsotError
    from compiler.io.write import apply_changes

    (git_repo / "out").symlink_to(".git", target_is_directory=True)
    before = snapshot(git_repo)

    with pytest.raises(SsotError) as raised:
        apply_changes(git_repo, {"out/config": "[core]\n"})

    assert raised.value.problems[0].code == "unsafe-path"
    assert "git" in raised.value.problems[0].message
    assert snapshot(git_repo) == before
