"""Which layers a repository has (pure): its Atlantis/Digger projects, else its Terraform roots, grouped
into per-env layers where they differ only by an environment's name.

A per-env layer is drafted only when it has exactly one project (or root) per environment, each named
after it, in the environment's workspace or in its own directory (then with the workspace the projects
use, such as `default`); anything else stays one shared layer per project, exactly as the files state it.
A folder the roots link into or call as a module is no layer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from compiler.app.init.evidence import generalise, only
from compiler.app.init.inputs import Inputs, Project
from compiler.core.model import ENV_PLACEHOLDER

_NUMBERED = re.compile(r"(?:^|/)(\d+)[-_.][^/]*")


@dataclass
class DraftLayer:
    """A layer as init drafts it: patterns hold `{env}` when it is per-env."""

    name: str
    directory: str
    per_env: bool
    #: atlantis, digger, or None (applied by something else: drafted github-actions)
    orchestrator: str | None = None
    project: str | None = None
    workspace: str | None = None
    workflow: str | None = None
    terraform_version: str | None = None
    #: further roots: the one folder every root of the layer links into (changing it plans the layer)
    extra_dirs: list[str] = field(default_factory=list)
    #: no project runs it and no CI workflow names it: what applies it is a guess to review
    guessed: bool = False

    def roots(self, envs: Sequence[str]) -> list[str]:
        """Its Terraform roots as they exist, `{env}` expanded (the first directory only)."""
        if ENV_PLACEHOLDER in self.directory:
            return [self.directory.replace(ENV_PLACEHOLDER, env) for env in envs]
        return [self.directory]


@dataclass(frozen=True)
class _Unit:
    """A project (or a Terraform root, when the repository has no project file) and its environment."""

    project: Project
    env: str | None


def layers_of(inputs: Inputs, envs: Sequence[str], review: list[str]) -> list[DraftLayer]:
    """The layers, in the repository's order: its projects' order, or its roots' (numbered roots by number)."""
    if inputs.projects:
        units = [_Unit(p, _env_of(p, envs)) for p in inputs.projects]
    else:  # no project file, or none that lists a project: every root but the modules is a layer
        units = [_Unit(Project(r, r), _env_of(Project(r, r), envs)) for r in layer_roots(inputs)]
    groups: dict[tuple[str | None, str, str, str], list[_Unit]] = {}
    for unit in units:
        groups.setdefault(_key(unit, bool(inputs.projects)), []).append(unit)
    layers: list[DraftLayer] = []
    for (orchestrator, name, directory, workspace), members in groups.items():
        covered = [unit.env for unit in members]
        if ENV_PLACEHOLDER in name and sorted(covered, key=str) == sorted(envs) and len(envs) > 0:
            workflows = {_pattern(u.project.workflow, u.env) for u in members}
            versions = {u.project.terraform_version for u in members}
            layer = DraftLayer(name, directory, True, orchestrator, name if orchestrator else None, workspace)
            layer.workflow, layer.terraform_version = only(workflows), only(versions)
            if len(workflows) > 1 or len(versions) > 1:
                # stated for none, the project file keeps each project's own (ssot compares only what it states)
                review.append(
                    f"projects {name.replace(ENV_PLACEHOLDER, '<env>')} differ in workflow or "
                    "Terraform version: the draft states neither for them"
                )
            layers.append(layer)
            continue
        if ENV_PLACEHOLDER in name:
            missing = sorted(set(envs) - {e for e in covered if e})
            review.append(
                f"projects {', '.join(u.project.name for u in members)} look alike but not one per environment"
                + (f" (none for {', '.join(missing)})" if missing else "")
                + ": drafted as shared layers"
            )
        layers += [_shared(unit.project, orchestrator) for unit in members]
    if not inputs.projects:
        for layer in layers:
            layer.guessed = not (set(layer.roots(envs)) <= inputs.applied_by_ci)
    _add_linked_folders(layers, inputs, envs)
    if inputs.projects:
        layers += _applied_otherwise(inputs, layers, envs)
    # numbered roots (00-bootstrap, 10-platform) say the order in which they apply: they take the places
    # numbered layers have, in their numbers' order; the others keep theirs
    places = [index for index, layer in enumerate(layers) if _NUMBERED.search(layer.directory)]
    numbered = sorted((layers[i] for i in places), key=_number)
    for index, layer in zip(places, numbered, strict=True):
        layers[index] = layer
    return layers


def _number(layer: DraftLayer) -> int:
    match = _NUMBERED.search(layer.directory)
    return int(match.group(1)) if match else 0


def _env_of(project: Project, envs: Sequence[str]) -> str | None:
    """The environment a project is for: its workspace's, else the one its directory or name names."""
    if project.workspace in envs:
        return project.workspace
    for text in (project.dir, project.name):
        for env in envs:
            if generalise(text, env) != text:
                return env
    return None


def _pattern(text: str | None, env: str | None) -> str | None:
    return generalise(text, env) if text is not None and env is not None else text


def _key(unit: _Unit, from_projects: bool) -> tuple[str | None, str, str, str]:
    project, env = unit.project, unit.env
    orchestrator = project.orchestrator if from_projects else None
    name, directory = _pattern(project.name, env) or "", _pattern(project.dir, env) or ""
    workspace = _pattern(project.workspace, env) or ""
    if ENV_PLACEHOLDER not in workspace and ENV_PLACEHOLDER not in directory:
        # the same directory and workspace for every environment: one state, so no per-env layer
        name = project.name
    return orchestrator, name, directory, workspace


def _shared(project: Project, orchestrator: str | None) -> DraftLayer:
    return DraftLayer(
        project.name,
        project.dir,
        False,
        orchestrator,
        project.name if orchestrator else None,
        project.workspace,
        project.workflow,
        project.terraform_version,
    )


def _add_linked_folders(layers: list[DraftLayer], inputs: Inputs, envs: Sequence[str]) -> None:
    """A per-env layer whose roots all link into one folder gets that folder as a further root."""
    for layer in layers:
        targets = {inputs.links.get(root, frozenset()) for root in layer.roots(envs) if root in inputs.variables}
        folder = only(only(targets) or frozenset())
        if folder is not None:
            layer.extra_dirs.append(folder)


def layer_roots(inputs: Inputs) -> list[str]:
    """The roots that may be layers: all but the folders other roots link into or call, and modules/."""
    modules = inputs.module_dirs()
    return [root for root in inputs.roots if root not in modules and "modules" not in root.split("/")]


def _applied_otherwise(inputs: Inputs, layers: list[DraftLayer], envs: Sequence[str]) -> list[DraftLayer]:
    """Roots no project runs that are layers all the same: one a CI workflow names (a bootstrap applied by
    GitHub Actions), or one numbered among numbered projects (1-bootstrap before 2-platform)."""
    covered = {root for layer in layers for root in (*layer.roots(envs), *layer.extra_dirs)}
    numbered = any(_NUMBERED.search(layer.directory) for layer in layers)
    found = []
    for root in layer_roots(inputs):
        by_ci = root in inputs.applied_by_ci
        if root not in covered and (by_ci or (numbered and _NUMBERED.search(root))):
            layer = _shared(Project(root, root), None)
            layer.guessed = not by_ci
            found.append(layer)
    # the numbered ones join the numbered projects' run; the others follow
    return sorted(found, key=lambda layer: _NUMBERED.search(layer.directory) is None)
