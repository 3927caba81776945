"""Generated artifacts against what `ssot build` would write: compared as content, by each kind's comparator.

Also the files `ssot build` keeps although their environment is gone, because they were edited by hand.
"""

from __future__ import annotations

from compiler import codes
from compiler.artifacts.plan import edited_orphans, plan
from compiler.artifacts.registry import generated_file
from compiler.compare.files import artifact_drift
from compiler.core.facts import Facts
from compiler.findings import Finding
from compiler.io.snapshot import Snapshot

KEEP_OR_DELETE = "to keep it, remove its first line (the generated header); otherwise delete it"


def check_artifacts(facts: Facts, snapshot: Snapshot) -> list[Finding]:
    """Raises SsotError (broken-marker) when a block host's markers are broken."""
    findings: list[Finding] = []
    for artifact in plan(facts, snapshot.files, snapshot.orphans):
        if artifact.up_to_date:
            continue
        if artifact.current is None or artifact.expected is None:
            kind = generated_file(artifact.path, facts.layout)
            gone = kind.gone(artifact.path) if kind and not kind.per_environment and artifact.expected is None else ""
            findings.append(artifact_drift(artifact.path, artifact.current, artifact.expected, gone=gone))
        else:
            # A whole file is planned in its own line endings; its content is what compares (LF).
            expected = artifact.expected if artifact.blocks else artifact.expected.replace("\r\n", "\n")
            findings += artifact.compare(artifact.path, artifact.current, expected)
    return findings + check_edited_orphans(facts, snapshot)


def check_edited_orphans(facts: Facts, snapshot: Snapshot) -> list[Finding]:
    findings = []
    for path in edited_orphans(snapshot.files, snapshot.orphans):
        artifact = generated_file(path, facts.layout)
        gone = artifact.gone(path) if artifact is not None else "ssot build's file"
        findings.append(
            Finding(
                path,
                1,
                f"starts as {gone}, but was edited since; ssot build keeps it",
                code=codes.EDITED_ORPHAN,
                fix=KEEP_OR_DELETE,
            )
        )
    return findings
