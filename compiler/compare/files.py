"""Whole generated files compared: missing, orphaned, or changed (with a labelled unified diff).

Also the comparator for files whose content is text of no kind we read: line by line.
"""

from __future__ import annotations

import difflib
import re

from compiler import codes
from compiler.compare.diff_window import CUT_NOTE, diff_window
from compiler.findings import BUILD_FIX, Finding
from compiler.text import split_lines


def compare_lines(path: str, current: str, expected: str) -> list[Finding]:
    """Text compared line by line, without trailing blanks, blank lines or line endings."""
    return [] if content_lines(current) == content_lines(expected) else [artifact_drift(path, current, expected)]


def content_lines(text: str, keep_blank: bool = False) -> list[str]:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return lines if keep_blank else [line for line in lines if line]


def artifact_drift(path: str, current: str | None, expected: str | None, *, gone: str = "") -> Finding:
    """The finding for an artifact whose content is not what `ssot build` would write (`gone`: why a file
    that should not exist is no longer generated, when that is not a removed environment)."""
    if expected is None:
        return Finding(
            path,
            0,
            f"is {gone}; ssot build removes it"
            if gone
            else "was generated for an environment that ssot/env.yaml no longer has",
            code=codes.ORPHANED_ARTIFACT,
            fix=BUILD_FIX,
        )
    if current is None:
        return Finding(
            path, 0, "missing; it is generated from ssot/env.yaml", code=codes.MISSING_ARTIFACT, fix=BUILD_FIX
        )
    # Line endings are not content: a CRLF checkout must not show every line as changed.
    current_lines = split_lines(current.replace("\r\n", "\n"))
    expected_lines = split_lines(expected)
    window = diff_window(current_lines, expected_lines, _CONTEXT)
    lines = difflib.unified_diff(
        current_lines[window.start : window.stop_a],
        expected_lines[window.start : window.stop_b],
        fromfile=f"{path} (current)",
        tofile=f"{path} (expected)",
        n=_CONTEXT,
    )
    diff = "".join(_terminated(_from_line(line, window.start)) for line in lines)
    diff += CUT_NOTE if window.cut else ""
    return Finding(
        path,
        first_difference(current_lines, expected_lines),
        "differs from what ssot/env.yaml generates",
        code=codes.STALE_ARTIFACT,
        fix=BUILD_FIX,
        diff=diff,
    )


def first_difference(current: list[str], expected: list[str]) -> int:
    """The 1-based number of the first line that differs."""
    for number, (a, b) in enumerate(zip(current, expected), start=1):
        if a != b:
            return number
    return min(len(current), len(expected)) + 1


def _terminated(line: str) -> str:
    return line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"


#: equal lines shown around each change (unified_diff's default)
_CONTEXT = 3
#: a hunk's header: where it starts on each side, and how many lines (one when left out)
_HUNK = re.compile(r"@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@")


def _from_line(line: str, offset: int) -> str:
    """A line of a diff of two texts' windows (compiler/compare/diff_window.py), its hunk header numbered as
    in the whole texts."""
    if not offset or not line.startswith("@@"):
        return line
    return _HUNK.sub(lambda m: f"@@ -{int(m[1]) + offset}{m[2] or ''} +{int(m[3]) + offset}{m[4] or ''} @@", line, 1)
