"""The checks of `ssot check`: pure functions of (facts, snapshot) -> findings, run in one list.

No check reads a file: compiler/io/read.py reads the repository once into the snapshot. A check raises
SsotError for input it cannot judge (an unparsable tfvars file); `run_checks` collects those from every
check and raises them together (exit 2). The CLI, the MkDocs plugin and the tests run this same list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from compiler.checks import secrets
from compiler.checks.drift import check_artifacts
from compiler.checks.git import check_git
from compiler.checks.leftovers import check_temp_files
from compiler.checks.redaction import redact, redact_problems
from compiler.checks.terraform import check_terraform
from compiler.checks.tfvars import check_real_tfvars
from compiler.core.facts import Facts
from compiler.errors import Problem, SsotError
from compiler.findings import Finding
from compiler.io.snapshot import Snapshot

Check = Callable[[Facts, Snapshot], Iterable[Finding]]

#: Every check `ssot check` runs, in the order its findings are gathered (they are reported by file and line).
CHECKS: tuple[Check, ...] = (
    check_artifacts,
    check_real_tfvars,
    secrets.check_secrets,
    check_git,
    check_terraform,
    check_temp_files,
)


@dataclass(frozen=True)
class CheckResult:
    findings: list[Finding]
    #: how many generated artifacts and real tfvars files were compared
    artifacts: int
    tfvars_files: int

    @property
    def ok(self) -> bool:
        return not self.findings


def run_checks(facts: Facts, snapshot: Snapshot, checks: Iterable[Check] = CHECKS) -> list[Finding]:
    """Every finding, sorted by file and line, secrets redacted. Raises SsotError with every problem found
    (redacted too)."""
    findings: list[Finding] = []
    problems: list[Problem] = []
    for check in checks:
        try:
            findings.extend(check(facts, snapshot))
        except SsotError as exc:
            problems.extend(exc.problems)
    # A check may quote a value that is a secret (a drifted example line, a wrong `environment`): every
    # value any scan flagged, and every token shape, is redacted from what is reported, problems included.
    texts = secrets.flagged_texts(facts, snapshot)
    if problems:
        raise SsotError(redact_problems(problems, texts))
    findings = redact(findings, texts)
    findings.sort(key=lambda f: (f.file, f.line))
    return findings
