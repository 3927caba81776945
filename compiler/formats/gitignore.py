"""gitignore(5) patterns (pure): the subset tfvars rules use, for a root that is in no git work tree."""

from __future__ import annotations

import re
from typing import NamedTuple

GITIGNORE = ".gitignore"


class NotIgnored(NamedTuple):
    """A path git would let in, and the ignore rule that let it in (a `!` negation), if one did."""

    path: str
    #: the ignore file with that rule, relative to the root, or None when no rule matched the path
    source: str | None = None
    line: int = 0


class IgnoreRule(NamedTuple):
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
