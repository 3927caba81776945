"""The one exception root, and the problems it carries.

Every user-facing failure is a `Problem` with a location; library code raises `SsotError` with all the
problems it found, and only `compiler.cli.main` turns that into an exit code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from compiler import codes


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong with a user's input, at `file:line:col` (1-based; 0 when unknown)."""

    file: str
    line: int
    col: int
    message: str
    #: what kind of trouble, for machine-readable reports (declared in compiler/codes.py)
    code: str = codes.INVALID_INPUT

    def __post_init__(self) -> None:
        codes.require(self.code)

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        return f"{where}: {self.message}"


class SsotError(Exception):
    """A user's input is invalid: exit code 2. Carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem], *, code: str | None = None) -> None:
        self.problems = sorted({replace(p, code=code) if code else p for p in problems})
        super().__init__("\n".join(str(p) for p in self.problems))
