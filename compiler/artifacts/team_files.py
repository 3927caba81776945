"""Team files: what `ssot build` does with a file a team wrote where it would generate one (no header).

atlantis.yaml and digger.yml are the team's: only each project's identity is the tool's (compiler/render/
projects.py edits it, compiler/compare/projects.py checks it). A tfvars example written by hand is the
team's too: only the values ssot/env.yaml states for it are the tool's. The registry
(compiler/artifacts/registry.py) attaches these to its artifacts; the plan uses them for a file without
the artifact's header.
"""

from __future__ import annotations

from collections.abc import Callable

from compiler.artifacts.generated import InPlace
from compiler.compare.projects import compare_projects
from compiler.core.facts import EnvironmentFacts, Facts
from compiler.findings import Finding
from compiler.render.projects import WantedProject, edit_projects


def projects_in_place(wanted: Callable[[Facts], list[WantedProject]]) -> InPlace:
    """A team's orchestrator file, whose projects are `wanted(facts)`."""

    def edit(facts: Facts, _env: EnvironmentFacts | None, path: str, text: str) -> str:
        return edit_projects(path, text, wanted(facts))

    def check(facts: Facts, _env: EnvironmentFacts | None, path: str, text: str) -> list[Finding]:
        return compare_projects(facts, path, text, wanted(facts))

    return InPlace(edit, check)
