"""Generated artifacts against what `ssot build` would write: compared as content, by each kind's comparator.

Each finding on a generated value says where that value comes from in ssot/env.yaml (`source`, resolved
through the artifact's provenance, compiler/artifacts/provenance.py). Also the files `ssot build` keeps
although their environment is gone, because they were edited by hand.
"""

from __future__ import annotations

from dataclasses import replace

from compiler import codes
from compiler.artifacts.plan import Artifact, edited_orphans, plan
from compiler.artifacts.provenance import expected_sources
from compiler.artifacts.registry import generated_file
from compiler.core.facts import Facts
from compiler.core.layout import SSOT_PATH
from compiler.findings import Finding, Source
from compiler.io.snapshot import Snapshot

KEEP_OR_DELETE = "to keep it, remove its first line (the generated header); otherwise delete it"


def check_artifacts(facts: Facts, snapshot: Snapshot, artifacts: list[Artifact] | None = None) -> list[Finding]:
    """The drift of every artifact (`artifacts`: the plan, when the caller made it already). Raises SsotError
    (broken-marker) when a block host's markers are broken."""
    findings: list[Finding] = []
    for artifact in plan(facts, snapshot.files, snapshot.orphans) if artifacts is None else artifacts:
        if artifact.up_to_date and not artifact.in_place:  # a team's file may hold a project the SSOT lacks
            continue
        if artifact.current is None or artifact.expected is None:
            kind = generated_file(artifact.path, facts.layout)
            gone = kind.gone(artifact.path) if kind and not kind.per_environment and artifact.expected is None else ""
            from compiler.compare.files import artifact_drift  # a missing or orphaned file: drift to report

            findings.append(artifact_drift(artifact.path, artifact.current, artifact.expected, gone=gone))
        else:
            # A whole file is planned in its own line endings; its content is what compares (LF).
            expected = artifact.expected if artifact.blocks else artifact.expected.replace("\r\n", "\n")
            found = artifact.compare(artifact.path, artifact.current, expected)
            findings += with_sources(facts, artifact.path, artifact.current, expected, found)
    return findings + check_edited_orphans(facts, snapshot)


def with_sources(facts: Facts, path: str, current: str, expected: str, findings: list[Finding]) -> list[Finding]:
    """`findings`, each that stands on a generated value with the `source` of that value in ssot/env.yaml."""
    if not any(finding.origin for finding in findings):
        return findings
    sources = expected_sources(facts, path, current, expected)
    if sources is None:
        return findings
    located = []
    for finding in findings:
        shown = sources.path_at(finding.origin) if finding.origin else None
        if shown is not None:
            written, line, col = facts.locate(shown)
            if written:
                dotted = ".".join(str(part) for part in written)
                finding = replace(finding, source=Source(SSOT_PATH, line, col, dotted))
        located.append(finding)
    return located


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
