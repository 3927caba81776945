"""Findings: where the repository disagrees with the SSOT (exit 1), as opposed to `Problem`s (exit 2)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from compiler.text import split_lines

BUILD_FIX = "run: ssot build"


@dataclass(frozen=True)
class Finding:
    """One disagreement, located. `code` names its kind (the README lists them), stable for machines."""

    file: str
    line: int
    message: str
    code: str
    #: what to do about it, such as "run: ssot build"
    fix: str = ""
    #: a unified diff labelled current/expected, when the finding is about lines of text
    diff: str = ""
    #: the expected and found values, when the finding is about one value (never a secret's value)
    expected: str | None = None
    found: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


def artifact_drift(path: str, current: str | None, expected: str | None) -> Finding:
    """The finding for an artifact whose content is not what `ssot build` would write."""
    if expected is None:
        return Finding(
            path,
            0,
            "was generated for an environment that ssot/env.yaml no longer has",
            code="orphaned-artifact",
            fix=BUILD_FIX,
        )
    if current is None:
        return Finding(path, 0, "missing; it is generated from ssot/env.yaml", code="missing-artifact", fix=BUILD_FIX)
    # Line endings are not content: a CRLF checkout must not show every line as changed.
    current_lines = split_lines(current.replace("\r\n", "\n"))
    expected_lines = split_lines(expected)
    diff = "".join(
        _terminated(line)
        for line in difflib.unified_diff(
            current_lines, expected_lines, fromfile=f"{path} (current)", tofile=f"{path} (expected)"
        )
    )
    return Finding(
        path,
        _first_difference(current_lines, expected_lines),
        "differs from what ssot/env.yaml generates",
        code="stale-artifact",
        fix=BUILD_FIX,
        diff=diff,
    )


def _first_difference(current: list[str], expected: list[str]) -> int:
    for number, (a, b) in enumerate(zip(current, expected), start=1):
        if a != b:
            return number
    return min(len(current), len(expected)) + 1


def _terminated(line: str) -> str:
    return line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
