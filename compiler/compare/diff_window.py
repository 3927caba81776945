"""The part of two versions of a text a drift's diff compares: what lies between their common start and their
common end, with some context, and at most MAX_DIFFERING lines of each side past the first difference.

difflib's matcher costs the product of how often each line repeats on the two sides: a page of a thousand
environments holds thousands of blank lines, fences and table rules, so diffing it whole after every
environment was renamed took minutes. Lines both versions start or end with can only match each other, so
leaving them out changes no hunk; a diff cut at MAX_DIFFERING lines says so, and `ssot build` then
`git diff` shows the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, TypeVar

T = TypeVar("T")

#: Lines of each side compared past the first difference: more than a reader follows in one finding.
MAX_DIFFERING = 400

#: The diff's last line when it is cut: a remark, as `\\ No newline at end of file` is one in a unified diff.
CUT_NOTE = (
    f"\\ the diff stops {MAX_DIFFERING} lines past the first difference; `ssot build`, then `git diff`, shows all\n"
)


class Window(NamedTuple):
    """`a[start:stop_a]` against `b[start:stop_b]`; `cut`: differences past the window are left out."""

    start: int
    stop_a: int
    stop_b: int
    cut: bool


def diff_window(a: Sequence[T], b: Sequence[T], context: int) -> Window:
    """Where `a` and `b` differ, with `context` equal lines around it, at most MAX_DIFFERING lines of each."""
    shortest = min(len(a), len(b))
    head = next((n for n in range(shortest) if a[n] != b[n]), shortest)
    tail = 0
    while tail < shortest - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    end_a, end_b = len(a) - tail, len(b) - tail
    start = max(0, head - context)
    if max(end_a, end_b) - head > MAX_DIFFERING:
        return Window(start, min(end_a, head + MAX_DIFFERING), min(end_b, head + MAX_DIFFERING), True)
    return Window(start, min(len(a), end_a + context), min(len(b), end_b + context), False)
