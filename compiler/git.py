"""What git tracks and ignores under the root: asked of git when the root is in a work tree.

Without git (not installed, or the root is not in a work tree: an export, a copy) nothing is tracked, and
the root's `.gitignore` is read here, with the subset of gitignore(5) that tfvars patterns use.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from compiler.fsio import read_text, resolve_inside

GITIGNORE = ".gitignore"


@dataclass(frozen=True)
class NotIgnored:
    """A path git would let in, and the ignore rule that let it in (a `!` negation), if one did."""

    path: str
    #: the ignore file with that rule, relative to the root, or None when no rule matched the path
    source: str | None = None
    line: int = 0


def tracked_files(root: Path, directory: str) -> list[str] | None:
    """Files under `directory` in git's index, relative to the root; None if the root is in no work tree.

    None also when git is missing or refuses the directory (such as one owned by another user).
    """
    output = _git(root, "ls-files", "-z", "--", directory)
    return None if output is None else sorted(name for name in output.split("\0") if name)


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
    text = read_text(resolve_inside(root, GITIGNORE), GITIGNORE)
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


@dataclass(frozen=True)
class IgnoreRule:
    line: int
    negated: bool
    directory_only: bool
    #: matched against the whole path if the pattern has a '/', else against the last component
    anchored: bool
    regex: re.Pattern[str]


def parse_gitignore(text: str) -> list[IgnoreRule]:
    rules = []
    for number, raw in enumerate(text.split("\n"), start=1):
        pattern = raw.rstrip("\r").rstrip(" \t")
        if not pattern or pattern.startswith("#"):
            continue
        negated = pattern.startswith("!")
        if negated or pattern.startswith("\\"):
            pattern = pattern[1:]
        directory_only = pattern.endswith("/")
        pattern = pattern.rstrip("/")
        if not pattern:
            continue
        anchored = "/" in pattern
        rules.append(
            IgnoreRule(number, negated, directory_only, anchored, re.compile(_glob_regex(pattern.lstrip("/"))))
        )
    return rules


def judge(rules: list[IgnoreRule], path: str) -> NotIgnored | None:
    """None if `path` (a file, relative to the .gitignore's directory) is ignored; else why not."""
    parts = path.split("/")
    # git never looks inside an ignored directory, so no later rule can take a file in it back
    for depth in range(1, len(parts)):
        last = _last_match(rules, "/".join(parts[:depth]), is_directory=True)
        if last is not None and not last.negated:
            return None
    last = _last_match(rules, path, is_directory=False)
    if last is None:
        return NotIgnored(path)
    return NotIgnored(path, GITIGNORE, last.line) if last.negated else None


def _last_match(rules: list[IgnoreRule], path: str, *, is_directory: bool) -> IgnoreRule | None:
    found = None
    for rule in rules:
        if rule.directory_only and not is_directory:
            continue
        subject = path if rule.anchored else path.rsplit("/", 1)[-1]
        if rule.regex.fullmatch(subject):
            found = rule
    return found


def _glob_regex(pattern: str) -> str:
    """A gitignore glob as a regex: `*` and `?` stay within a component, `**` spans components."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end + 1
        elif pattern[i] == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


def _git(root: Path, *args: str, stdin: str | None = None, ok: tuple[int, ...] = (0,)) -> str | None:
    """git's output run in the root, or None if git is missing or fails (such as outside a work tree)."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        completed = subprocess.run(
            [git, *args],
            cwd=root,
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout.rstrip("\n") if completed.returncode in ok else None
