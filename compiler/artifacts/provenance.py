"""Provenance: which ssot/env.yaml key path a line or cell of an expected artifact shows.

The renderers mark what they take from the SSOT (`sourced`, compiler/render/trace.py). Only when a
comparator found drift is the artifact rendered again, traced, to answer for each finding's place in the
expected text (its `origin`) which key path it shows. Nothing here reads the disk.
"""

from __future__ import annotations

import re

from compiler.artifacts.digest import without_digest
from compiler.artifacts.plan import render_block_host
from compiler.artifacts.registry import generated_file
from compiler.core.facts import Facts
from compiler.findings import Origin
from compiler.render.trace import Path, Span, tracing, untrace

#: A table row's cell separators: pipes not escaped by a backslash.
_PIPE = re.compile(r"(?<!\\)\|")


class ExpectedSources:
    """The key paths shown on each line of one artifact's expected text."""

    def __init__(self, text: str, spans: list[Span]) -> None:
        self.lines = text.split("\n")
        self.spans: dict[int, list[Span]] = {}
        for span in spans:
            if span.end > span.start:
                self.spans.setdefault(span.line, []).append(span)

    def path_at(self, origin: Origin) -> Path | None:
        """The key path shown at `origin`: the most specific piece in that cell, or on that line."""
        line, cell, column = origin
        on_line = self.spans.get(line, [])
        if cell is not None and 0 < line <= len(self.lines):
            bounds = [match.start() for match in _PIPE.finditer(self.lines[line - 1])]
            for index in (cell, 0):  # the cell, else the row's key cell
                if index + 1 < len(bounds):
                    inside = [s for s in on_line if s.start < bounds[index + 1] and s.end > bounds[index]]
                    if inside:
                        return min(inside, key=lambda s: (s.end - s.start, -len(s.path))).path
            return None
        if column is not None:  # the piece where the line starts to differ, else the line's widest one
            at = [s for s in on_line if s.start <= column < s.end]
            if at:
                return min(at, key=lambda s: (s.end - s.start, -len(s.path))).path
        return max(on_line, key=lambda s: (s.end - s.start, -len(s.path))).path if on_line else None


def expected_sources(facts: Facts, path: str, current: str, expected: str) -> ExpectedSources | None:
    """The provenance of `expected`, what `ssot build` writes at `path` (a whole file, or `current` with its
    blocks brought up to date); None when a traced render does not give that same text."""
    artifact = generated_file(path, facts.layout)
    with tracing() as paths:
        if artifact is not None and artifact.wanted(facts):
            name = artifact.environment(path) if artifact.per_environment else None
            env = next((e for e in facts.environments if e.name == name), None)
            if artifact.per_environment and env is None:
                return None
            traced: str | None = artifact.render(facts, env)
        else:
            traced = render_block_host(facts, current, path)
    if traced is None:
        return None
    text, spans = untrace(traced, paths)
    if text != without_digest(expected):
        return None
    return ExpectedSources(text, spans)
