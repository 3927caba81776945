"""Every question put to git: what it tracks and ignores under the root, and what an earlier commit held.

What is tracked and ignored is asked of git when the root is in a work tree. Without git (not installed,
or the root is not in a work tree: an export, a copy) nothing is tracked, and the root's `.gitignore` is
read here, with the subset of gitignore(5) that tfvars patterns use. These answers are probes (a cached
check asks again).

An earlier state of the repository (`base_commit`, `changed_paths`, `text_at`) is for `ssot affected
--base REF`. The root may be a subdirectory of the work tree: every path is relative to the root, and a
file outside it is not the root's. Each failure there raises `GitTrouble` (exit 2) with a message that
says what to do.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import subprocess
from pathlib import Path

from compiler.formats.gitignore import GITIGNORE, NotIgnored, judge, parse_gitignore
from compiler.io import disk
from compiler.io.probe import probe


def tracked_files(root: Path, *directories: str) -> list[str] | None:
    """Files under `directories` in git's index, relative to the root; None if the root is in no work tree.

    None also when git is missing or refuses a directory (such as one owned by another user).
    """
    output = _git(root, "ls-files", "-z", "--", *directories)
    return None if output is None else sorted(name for name in output.split("\0") if name)


def git_directories(root: Path) -> list[str]:
    """The real paths of the git directory and the common git directory of the root's work tree (a linked
    worktree's gitdir and its main repository's), as git names them; none outside a work tree or without git.
    Where `ssot build` never writes (compiler/io/confine.py)."""
    output = _git(root, "rev-parse", "--absolute-git-dir", "--git-common-dir")
    if output is None:
        return []
    return sorted({os.path.realpath(os.path.join(root, line)) for line in output.splitlines() if line})


def not_ignored(root: Path, paths: list[str], *, in_work_tree: bool) -> list[NotIgnored]:
    """Which of `paths` (relative to the root) the repository's ignore files do not keep out of git.

    In a work tree git decides (`git check-ignore --no-index`, so a tracked file is judged by its rules
    too), with the user's global excludes file switched off: they are not the repository's. Outside one,
    the root's .gitignore decides; a missing one keeps nothing out, but then there is no git to let
    anything in either, so it is not reported (None).
    """
    if in_work_tree:
        verdicts = _ask_git(root, paths)
        if verdicts is not None:
            return verdicts
    text = disk.text_of(root, GITIGNORE)
    if text is None:
        return [NotIgnored(path) for path in paths] if in_work_tree else []
    rules = parse_gitignore(text)
    return [verdict for verdict in (judge(rules, path) for path in paths) if verdict is not None]


def _ask_git(root: Path, paths: list[str]) -> list[NotIgnored] | None:
    output = _git(
        root,
        "-c",
        f"core.excludesFile={os.devnull}",
        "check-ignore",
        "--no-index",
        "--stdin",
        "-z",
        "--verbose",
        "--non-matching",
        stdin="".join(f"{path}\0" for path in paths),
        ok=(0, 1),
    )
    if output is None:
        return None
    fields = output.split("\0")
    verdicts = []
    # records of four fields: source, line number, pattern, path (the first three empty if nothing matched)
    for start in range(0, len(fields) - 3, 4):
        source, line, pattern, path = fields[start : start + 4]
        if not source:
            verdicts.append(NotIgnored(path))
        elif pattern.startswith("!"):
            shown = _from_root(root, source)
            verdicts.append(NotIgnored(path, shown, int(line) if shown and line.isdigit() else 0))
    return verdicts


def _from_root(root: Path, source: str) -> str | None:
    """An ignore file git names (relative to the top) as a path from the root; None if not the repository's."""
    if os.path.isabs(source) or source.startswith(".git/"):
        return None
    # the root's path from the top: "" at the top, else ending in "/"
    prefix = _git(root, "rev-parse", "--show-prefix")
    return None if prefix is None else posixpath.relpath(source, prefix or ".")


def run_git(root: Path, *args: str, stdin: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """git run in the root, its output as text (undecodable bytes kept as surrogates). Raises FileNotFoundError
    when git is not installed, OSError or subprocess.SubprocessError when it cannot run."""
    git = shutil.which("git")
    if git is None:
        raise FileNotFoundError("git is not installed (not found on PATH)")
    return subprocess.run(
        [git, *args],
        cwd=root,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
        timeout=timeout,
        check=False,
    )


@probe
def _git(root: Path, *args: str, stdin: str | None = None, ok: tuple[int, ...] = (0,)) -> str | None:
    """git's output run in the root, or None if git is missing or fails (such as outside a work tree).
    A probe: a cached check asks git again, and holds only if git answers the same."""
    try:
        completed = run_git(root, *args, stdin=stdin)
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout.rstrip("\n") if completed.returncode in ok else None


# An earlier state of the repository, for `ssot affected --base REF`.


class GitTrouble(Exception):
    """git cannot answer: no git, no work tree, or no such commit. Trouble (exit 2); the message says why."""


def base_commit(root: Path, ref: str) -> str:
    """The commit `ref` names (full hash). Raises GitTrouble when the root is in no work tree or `ref` names
    no commit."""
    try:
        inside = _run_at_base(root, "rev-parse", "--is-inside-work-tree").strip() == "true"
    except GitTrouble as exc:
        if "not a git repository" not in str(exc):
            raise
        inside = False
    if not inside:
        raise GitTrouble(f"--base needs a git repository, and {root.resolve()} is in none")
    if ref.startswith("-") or not ref.strip():
        raise GitTrouble(f"--base {ref!r}: not a commit; give a branch, a tag or a hash (such as origin/main)")
    try:
        return _run_at_base(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}").strip()
    except GitTrouble:
        raise GitTrouble(
            f"--base {ref}: no such commit in this repository (a shallow clone may lack it: fetch it first)"
        ) from None


def changed_paths(root: Path, commit: str) -> list[str]:
    """Files under the root that differ between `commit` and the work tree (staged or not), and files git
    does not track yet (unless ignored); relative to the root, sorted. A rename counts as both its names."""
    diff = _run_at_base(root, "diff", "--name-only", "--no-renames", "--relative", "-z", commit, "--", ".")
    untracked = _run_at_base(root, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
    return sorted({path for path in (diff + untracked).split("\0") if path})


def text_at(root: Path, commit: str, path: str) -> str | None:
    """The text of `path` (relative to the root) at `commit`; None when the file is not there."""
    listed = _run_at_base(root, "ls-tree", "--name-only", "-z", commit, "--", path)
    if not listed.strip("\0"):
        return None
    return _run_at_base(root, "show", f"{commit}:./{path}")


def _run_at_base(root: Path, *args: str) -> str:
    try:
        completed = run_git(root, *args, timeout=120)
    except FileNotFoundError:
        raise GitTrouble("--base needs git, which is not installed (not found on PATH)") from None
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitTrouble(f"git {args[0]} failed: {exc}") from None
    if completed.returncode != 0:
        said = completed.stderr.strip().splitlines()
        raise GitTrouble(f"git {args[0]} failed: {said[-1] if said else f'exit {completed.returncode}'}")
    return completed.stdout
