"""The checks of `ssot check`: pure functions of (facts, snapshot) -> findings, run in one list.

No check reads a file: compiler/io/repository.py reads the repository once into the snapshot. A check raises
SsotError for input it cannot judge (an unparsable tfvars file); `run_checks` collects those from every
check and raises them together (exit 2). The CLI, the MkDocs plugin and the tests run this same list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from compiler.artifacts.plan import Artifact, plan
from compiler.checks import secrets
from compiler.checks.drift import check_artifacts
from compiler.checks.git import check_git
from compiler.checks.leftovers import check_temp_files
from compiler.checks.state import check_state_keys
from compiler.checks.terraform import check_terraform
from compiler.checks.tfvars import check_real_tfvars
from compiler.core.facts import Facts
from compiler.errors import Problem, SsotError
from compiler.findings import Finding
from compiler.io.snapshot import Snapshot
from compiler.secrets.redaction import redact, redact_problems

Check = Callable[[Facts, Snapshot], Iterable[Finding]]

#: Every check `ssot check` runs, in the order its findings are gathered (they are reported by file and line).
CHECKS: tuple[Check, ...] = (
    check_artifacts,
    check_real_tfvars,
    secrets.check_secrets,
    check_git,
    check_terraform,
    check_state_keys,
    check_temp_files,
)


class CheckResult(NamedTuple):
    findings: list[Finding]
    #: how many generated artifacts and real tfvars files were compared
    artifacts: int
    tfvars_files: int

    @property
    def ok(self) -> bool:
        return not self.findings


def check_all(facts: Facts, snapshot: Snapshot) -> CheckResult:
    """`ssot check`: every check, on one plan and one secret scan, each made once and handed to whatever
    needs it (the drift check and the count; the secrets check and the redaction). Raises SsotError."""
    try:
        artifacts: list[Artifact] | None = plan(facts, snapshot.files, snapshot.orphans)
        broken = None
    except SsotError as exc:  # broken markers: reported with every other check's problems
        artifacts, broken = None, exc

    def drift(facts: Facts, snapshot: Snapshot) -> list[Finding]:
        if broken is not None:
            raise broken
        return check_artifacts(facts, snapshot, artifacts)

    found = secrets.scan_files(facts, snapshot, artifacts)
    # CHECKS, each given what was made once: the plan (drift) and the secret scan (secrets)
    shared: dict[Check, Check] = {
        check_artifacts: drift,
        secrets.check_secrets: lambda facts, snapshot: secrets.check_secrets(facts, snapshot, found),
    }
    findings = run_checks(facts, snapshot, [shared.get(check, check) for check in CHECKS], found)
    return CheckResult(findings, len(artifacts or ()), len(snapshot.real_tfvars))


def run_checks(
    facts: Facts, snapshot: Snapshot, checks: Iterable[Check] = CHECKS, found: secrets.SecretScan | None = None
) -> list[Finding]:
    """Every finding of `checks`, sorted by file and line, secrets redacted (`found`: the secret scan, when
    the caller made it). Raises SsotError with every problem found (redacted too)."""
    findings: list[Finding] = []
    problems: list[Problem] = []
    for check in checks:
        try:
            findings.extend(check(facts, snapshot))
        except SsotError as exc:
            problems.extend(exc.problems)
    # A check may quote a value that is a secret (a drifted example line, a wrong `environment`): every
    # value any scan flagged, and every token shape, is redacted from what is reported, problems included.
    texts = secrets.flagged_texts(facts, snapshot, secrets.scan_files(facts, snapshot) if found is None else found)
    if problems:
        raise SsotError(redact_problems(problems, texts))
    findings = redact(findings, texts)
    findings.sort(key=lambda f: (f.file, f.line))
    return findings
