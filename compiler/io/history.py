"""What git knows about an earlier state of the repository, for `ssot affected --base REF`.

The root may be a subdirectory of the work tree: every path here is relative to the root, and a file
outside it is not the root's. Every failure raises `GitTrouble` (exit 2) with a message that says what to do.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from compiler.io.git import run_git


class GitTrouble(Exception):
    """git cannot answer: no git, no work tree, or no such commit. Trouble (exit 2); the message says why."""


def base_commit(root: Path, ref: str) -> str:
    """The commit `ref` names (full hash). Raises GitTrouble when the root is in no work tree or `ref` names
    no commit."""
    try:
        inside = _run(root, "rev-parse", "--is-inside-work-tree").strip() == "true"
    except GitTrouble as exc:
        if "not a git repository" not in str(exc):
            raise
        inside = False
    if not inside:
        raise GitTrouble(f"--base needs a git repository, and {root.resolve()} is in none")
    if ref.startswith("-") or not ref.strip():
        raise GitTrouble(f"--base {ref!r}: not a commit; give a branch, a tag or a hash (such as origin/main)")
    try:
        return _run(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}").strip()
    except GitTrouble:
        raise GitTrouble(
            f"--base {ref}: no such commit in this repository (a shallow clone may lack it: fetch it first)"
        ) from None


def changed_paths(root: Path, commit: str) -> list[str]:
    """Files under the root that differ between `commit` and the work tree (staged or not), and files git
    does not track yet (unless ignored); relative to the root, sorted. A rename counts as both its names."""
    diff = _run(root, "diff", "--name-only", "--no-renames", "--relative", "-z", commit, "--", ".")
    untracked = _run(root, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
    return sorted({path for path in (diff + untracked).split("\0") if path})


def text_at(root: Path, commit: str, path: str) -> str | None:
    """The text of `path` (relative to the root) at `commit`; None when the file is not there."""
    listed = _run(root, "ls-tree", "--name-only", "-z", commit, "--", path)
    if not listed.strip("\0"):
        return None
    return _run(root, "show", f"{commit}:./{path}")


def _run(root: Path, *args: str) -> str:
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
