"""Compare a Markdown artifact with what it should be: tables as tables, other lines as lines."""

from __future__ import annotations

from compiler.findings import Finding, artifact_drift


def compare_artifact(path: str, current: str | None, expected: str | None) -> list[Finding]:
    return [artifact_drift(path, current, expected)]
