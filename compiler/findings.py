"""Findings: where the repository disagrees with the SSOT (exit 1), as opposed to `Problem`s (exit 2)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from compiler import codes

BUILD_FIX = "run: ssot build"


class Source(NamedTuple):
    """Where in ssot/env.yaml a generated value comes from: its key path, and where that is written."""

    file: str
    line: int
    col: int
    #: the key path, dotted: `layers.L2.atlantis_project`
    path: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col} ({self.path})"


#: Where a drift finding stands in the expected text its comparator was given: the 1-based line, the
#: 0-based cell of a table row (None: the whole line), and the 0-based column where the line starts to
#: differ (None: unknown). checks/drift.py turns it into a `Source`.
Origin = tuple[int, int | None, int | None]


@dataclass(frozen=True)
class Finding:
    """One disagreement, located. `code` names its kind (declared in compiler/codes.py), stable for machines."""

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
    #: the 1-based column, when the finding is about a place in a line (0: none)
    col: int = 0
    #: where the value a generated artifact should show comes from in ssot/env.yaml
    source: Source | None = None
    #: where the finding stands in the expected text (set by comparators; not part of what is reported)
    origin: Origin | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        codes.require(self.code)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


def drift(
    path: str,
    line: int,
    code: str,
    message: str,
    *,
    expected: str | None = None,
    found: str | None = None,
    diff: str = "",
    origin: Origin | None = None,
) -> Finding:
    """A generated artifact's difference, which `ssot build` restores."""
    return Finding(
        path, line, message, code=code, fix=BUILD_FIX, expected=expected, found=found, diff=diff, origin=origin
    )


def explained(finding: Finding, program: str = "ssot") -> str:
    """The finding's message, and, for a generated value from ssot/env.yaml, where to change it.

    `program` is how the user runs ssot (`.venv/bin/ssot`, `python -m compiler`): commands are printed so.
    """
    if finding.source is None:
        return finding.message
    build = commands("ssot build", program)
    return f"{finding.message}; it comes from {finding.source}: change it there, or run {build} to restore it"


_COMMAND = re.compile(r"(?<![\w./-])ssot(?= (?:build|check|init|describe|affected)\b)")


def commands(text: str, program: str) -> str:
    """`text` with each `ssot COMMAND` it names written the way the user runs ssot (`program COMMAND`)."""
    return text if program == "ssot" else _COMMAND.sub(lambda _match: program, text)
