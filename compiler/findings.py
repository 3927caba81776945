"""Findings: where the repository disagrees with the SSOT (exit 1), as opposed to `Problem`s (exit 2)."""

from __future__ import annotations

from dataclasses import dataclass

from compiler import codes

BUILD_FIX = "run: ssot build"


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
) -> Finding:
    """A generated artifact's difference, which `ssot build` restores."""
    return Finding(path, line, message, code=code, fix=BUILD_FIX, expected=expected, found=found, diff=diff)
