"""`ssot check` as a library: every finding about a repository, nothing written.

The CLI formats the result; the MkDocs plugin and the tests call this directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from compiler.compare import compare_artifact
from compiler.findings import Finding
from compiler.repository import plan


@dataclass(frozen=True)
class CheckResult:
    findings: list[Finding]
    #: how many generated artifacts and real tfvars files were compared
    artifacts: int
    tfvars_files: int

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


def check_repository(root: Path) -> CheckResult:
    """Raises SsotError (exit 2) when the inputs cannot be read; otherwise reports every finding."""
    from compiler import secrets, terraform
    from compiler.tfvars_check import check_real_tfvars

    current = plan(root)
    findings: list[Finding] = []
    for artifact in current.artifacts:
        if not artifact.up_to_date:
            findings += compare_artifact(artifact.path, artifact.current, artifact.expected, blocks=artifact.blocks)
    tfvars_findings, tfvars_files = check_real_tfvars(root, current.facts)
    findings += tfvars_findings
    # Other findings may quote a value that turns out to be a secret (a drifted example line): redact it.
    scan = secrets.scan_repository(root, current.facts)
    findings = secrets.redact(findings, scan.texts) + scan.findings
    findings += terraform.cross_check(root, current.facts)
    findings.sort(key=lambda f: (f.file, f.line))
    return CheckResult(findings, len(current.artifacts), tfvars_files)
