"""Team files: what `ssot build` does with a file a team wrote where it would generate one (no header).

atlantis.yaml and digger.yml are the team's: only each project's identity is the tool's (compiler/render/
projects.py edits it, compiler/compare/projects.py checks it). A tfvars example written by hand is the
team's too: only the values ssot/env.yaml states for it are the tool's. The registry
(compiler/artifacts/registry.py) attaches these to its artifacts; the plan uses them for a file without
the artifact's header.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from compiler.artifacts.generated import InPlace
from compiler.core.facts import EnvironmentFacts, Facts
from compiler.core.layout import TfvarsFiles
from compiler.core.model import TfvarsValue
from compiler.findings import Finding
from compiler.render.projects import WantedProject, edit_projects
from compiler.render.tfvars import shared_tfvars_source, tfvars_source
from compiler.render.tfvars_edit import edit_tfvars
from compiler.render.trace import Path


def projects_in_place(wanted: Callable[[Facts], list[WantedProject]]) -> InPlace:
    """A team's orchestrator file, whose projects are `wanted(facts)`."""

    def edit(facts: Facts, _env: EnvironmentFacts | None, path: str, text: str) -> str:
        return edit_projects(path, text, wanted(facts))

    def check(facts: Facts, _env: EnvironmentFacts | None, path: str, text: str) -> list[Finding]:
        from compiler.compare.projects import compare_projects  # only a team's file is compared so

        return compare_projects(facts, path, text, wanted(facts))

    return InPlace(edit, check)


#: (facts, environment) -> the values the SSOT states for one tfvars example, and where each is stated
ExampleValues = Callable[[Facts, EnvironmentFacts | None], tuple[Mapping[str, TfvarsValue], Callable[[str], Path]]]


def example_in_place(values: ExampleValues) -> InPlace:
    """A tfvars example a team wrote: only the values the SSOT states for it are the tool's."""

    def edit(facts: Facts, env: EnvironmentFacts | None, path: str, text: str) -> str:
        return edit_tfvars(path, text, values(facts, env)[0])

    def check(facts: Facts, env: EnvironmentFacts | None, path: str, text: str) -> list[Finding]:
        from compiler.compare.tfvars_team import compare_team_tfvars  # only a team's file is compared so

        stated, source = values(facts, env)
        return compare_team_tfvars(facts, path, text, stated, source)

    return InPlace(edit, check)


def per_env_example_values(files: TfvarsFiles) -> ExampleValues:
    def values(_facts: Facts, env: EnvironmentFacts | None) -> tuple[Mapping[str, TfvarsValue], Callable[[str], Path]]:
        assert env is not None
        file = next(f for f in env.tfvars_files if f.files == files)
        return file.tfvars, lambda name: tfvars_source(env, name)

    return values


def shared_example_values(file: str) -> ExampleValues:
    def values(facts: Facts, _env: EnvironmentFacts | None) -> tuple[Mapping[str, TfvarsValue], Callable[[str], Path]]:
        shared = next(s for s in facts.shared_tfvars if s.files.file == file)
        return shared.tfvars, lambda name: shared_tfvars_source(facts, shared, name)

    return values
