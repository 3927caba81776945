"""The engine both front doors drive: read the repository once, then plan (build) or check.

`ssot build` and `ssot check` (compiler/app/cli.py), the MkDocs plugin and the tests call these.
"""

from __future__ import annotations

from pathlib import Path

from compiler.artifacts.plan import Artifact, plan
from compiler.checks import CheckResult, run_checks
from compiler.io.read import read_repository


def build_plan(root: Path) -> list[Artifact]:
    """Every artifact with its current and expected content. Raises SsotError with all problems found."""
    facts, snapshot = read_repository(root)
    return plan(facts, snapshot.files, snapshot.orphans)


def check_repository(root: Path) -> CheckResult:
    """Raises SsotError (exit 2) when the inputs cannot be read; otherwise reports every finding."""
    facts, snapshot = read_repository(root)
    findings = run_checks(facts, snapshot)
    artifacts = len(plan(facts, snapshot.files, snapshot.orphans))
    return CheckResult(findings, artifacts, len(snapshot.real_tfvars))
