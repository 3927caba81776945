"""Real tfvars files stay out of git: none is tracked, and the ignore rules keep each environment's out;
unless the layout says they are committed (`committed: true`: the team's configuration).

A tfvars file named after no possible environment (`staging.backend.tfvars`: names are DNS labels) is
another kind of file, a backend config or a template, and may be committed (its secrets are still found).
"""

from __future__ import annotations

from compiler import codes
from compiler.core.facts import Facts
from compiler.core.layout import Layout
from compiler.core.rules import DNS_LABEL
from compiler.findings import Finding
from compiler.formats.gitignore import GITIGNORE
from compiler.io.snapshot import Snapshot


def gitignore_lines(layout: Layout) -> list[str]:
    """What a .gitignore needs (last rules win, so appending them is always enough)."""
    lines = []
    for files in layout.tfvars:
        if files.committed:
            continue
        lines.append(files.glob)
        if files.example_glob is not None:
            lines.append(f"!{files.example_glob}")
    return lines


def check_git(facts: Facts, snapshot: Snapshot) -> list[Finding]:
    return tracked_findings(facts.layout, snapshot) + gitignore_findings(facts.layout, snapshot)


def tracked_findings(layout: Layout, snapshot: Snapshot) -> list[Finding]:
    """A real tfvars file git tracks (a backend config beside them, one of not_tfvars, may be committed)."""
    findings = []
    for path in snapshot.git.tracked or ():
        files = layout.tfvars_of(path)
        env = files.environment(path) if files is not None else None
        if files is None or (files.per_env and (env is None or not DNS_LABEL.fullmatch(env))):
            continue  # `staging.backend.tfvars`: a backend config or template, committed on purpose
        if files.committed:
            continue  # the team's configuration (layout.tfvars committed: true)
        findings.append(
            Finding(
                path,
                0,
                "tracked by git; real tfvars may hold local values",
                code=codes.TFVARS_TRACKED,
                fix=(
                    f"git rm --cached {path} (your copy stays), and rotate any secret it ever held; or, if these "
                    f"files are committed on purpose, set committed: true on {files.file} under layout.tfvars"
                ),
            )
        )
    return findings


def gitignore_findings(layout: Layout, snapshot: Snapshot) -> list[Finding]:
    """One finding per rule (or lack of one) that lets a real tfvars file into git."""
    by_place: dict[tuple[str, int], list[str]] = {}
    for verdict in snapshot.git.not_ignored:
        by_place.setdefault((verdict.source or GITIGNORE, verdict.line), []).append(verdict.path)
    findings = []
    for (source, line), paths in sorted(by_place.items()):
        verb = "is" if len(paths) == 1 else "are"
        findings.append(
            Finding(
                source,
                line,
                f"does not keep real tfvars out of git ({', '.join(paths)} {verb} not ignored)",
                code=codes.GITIGNORE_TFVARS,
                fix=f"add at the end of {GITIGNORE} the lines {' and '.join(gitignore_lines(layout))}",
            )
        )
    return findings
