"""Generated artifacts against what `ssot build` would write: compared as content, by each kind's comparator."""

from __future__ import annotations

from compiler.artifacts.plan import plan
from compiler.compare.files import artifact_drift
from compiler.core.facts import Facts
from compiler.findings import Finding
from compiler.io.snapshot import Snapshot


def check_artifacts(facts: Facts, snapshot: Snapshot) -> list[Finding]:
    """Raises SsotError (broken-marker) when a block host's markers are broken."""
    findings: list[Finding] = []
    for artifact in plan(facts, snapshot.files, snapshot.orphans):
        if artifact.up_to_date:
            continue
        if artifact.current is None or artifact.expected is None:
            findings.append(artifact_drift(artifact.path, artifact.current, artifact.expected))
        else:
            findings += artifact.compare(artifact.path, artifact.current, artifact.expected)
    return findings
