"""Provenance of rendered text: which ssot/env.yaml key path each piece of an artifact shows.

Renderers wrap what they take from the SSOT in `sourced(text, *path)`. Normally that returns `text`
unchanged, at no cost. Under `tracing()`, it wraps `text` in markers (characters of Unicode's private use
planes 15 and 16), and `untrace` takes them out again, returning the very text a normal render gives with,
for each marked piece, its line and columns and the path it shows. `ssot check` renders an artifact
traced only when it found drift in it, to say where each differing value comes from; should the SSOT
itself hold such characters, the untraced text differs from the normal render, and the caller gives up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

Path = tuple[str | int, ...]

#: The first opening marker: the marker of the n-th traced path is chr(_OPEN + n) (plane 15, private use).
_OPEN = 0xF0000
_LAST_OPEN = 0xFFFFD
#: The closing marker (plane 16, private use).
_CLOSE = "\U0010fffd"

#: every character that may be a marker (plane 15's private use area, and the closing marker)
_MARKERS = re.compile(f"[{chr(_OPEN)}-{chr(_LAST_OPEN)}{_CLOSE}]")

_paths: ContextVar[list[Path] | None] = ContextVar("ssot_traced_paths", default=None)


class Span(NamedTuple):
    """A piece of rendered text that shows `path`: on 1-based `line`, columns [start, end) (0-based)."""

    line: int
    start: int
    end: int
    path: Path


def sourced(text: str, *path: str | int) -> str:
    """`text`, which shows the SSOT's `path`: as it is, or marked while tracing."""
    paths = _paths.get()
    if paths is None or not path or len(paths) > _LAST_OPEN - _OPEN:
        return text
    paths.append(tuple(path))
    return f"{chr(_OPEN + len(paths) - 1)}{text}{_CLOSE}"


@contextmanager
def tracing() -> Iterator[list[Path]]:
    """Within it, `sourced` marks what it wraps (renderers called here return marked text)."""
    paths: list[Path] = []
    token = _paths.set(paths)
    try:
        yield paths
    finally:
        _paths.reset(token)


def visible(text: str) -> str:
    """`text` without markers: what a normal render writes (for widths and padding)."""
    if _paths.get() is None:
        return text
    return "".join(c for c in text if not _is_marker(c))


def is_tracing() -> bool:
    """Whether `sourced` marks what it wraps now (a caller of `visible` on many texts asks once)."""
    return _paths.get() is not None


def untrace(text: str, paths: list[Path]) -> tuple[str, list[Span]]:
    """A traced render -> (the text a normal render gives, where each traced piece stands in it).

    A piece that spans lines gives one span per line; pieces nest (a cell inside a row's span). The text
    between markers is taken a run at a time (a page is thousands of characters, a few hundred markers).
    """
    out: list[str] = []
    spans: list[Span] = []
    open_spans: list[tuple[int, int, int]] = []  # (path index, line, column) where each open piece starts
    line, column, taken = 1, 0, 0

    def text_until(end: int) -> None:
        nonlocal line, column
        run = text[taken:end]
        out.append(run)
        *whole_lines, last = run.split("\n")
        for part in whole_lines:
            # a piece still open continues on the next line: close it here, reopen it there
            for position, (index, start_line, start) in enumerate(open_spans):
                spans.append(Span(start_line, start, column + len(part), paths[index]))
                open_spans[position] = (index, line + 1, 0)
            line, column = line + 1, 0
        column += len(last)

    for marker in _MARKERS.finditer(text):
        char = marker.group()
        # a marker-like character no `sourced` wrote (the SSOT's own text may hold one) is text
        closes = char == _CLOSE and bool(open_spans)
        if not closes and not ord(char) - _OPEN < len(paths):
            continue
        text_until(marker.start())
        taken = marker.end()
        if closes:
            index, start_line, start = open_spans.pop()
            spans.append(Span(start_line, start, column, paths[index]))
        else:
            open_spans.append((ord(char) - _OPEN, line, column))
    text_until(len(text))
    return "".join(out), spans


def _is_marker(char: str) -> bool:
    return char == _CLOSE or _OPEN <= ord(char) <= _LAST_OPEN
