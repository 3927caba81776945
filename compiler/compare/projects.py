"""A team's own orchestrator file (atlantis.yaml, digger.yml) checked for what ssot/env.yaml states, nothing else.

Each project's identity (name, dir, workspace; workflow and Terraform version where the SSOT sets them) is
compared, each difference reported at its line with where the fact lives in the SSOT. A project the SSOT
lacks is reported where it stands (ssot build adds it); one the SSOT does not know is reported and kept. Every
other key (workflows, automerge, apply requirements, autoplan globs) is the team's and never compared.
"""

from __future__ import annotations

from collections.abc import Callable

from compiler import codes
from compiler.core.facts import Facts
from compiler.core.layout import SSOT_PATH
from compiler.findings import BUILD_FIX, Finding, Source
from compiler.formats.yaml_projects import read_projects
from compiler.render.projects import WantedProject, differences, match_projects

UNKNOWN_FIX = "describe its layer in ssot/env.yaml (managed_by and its project name), or delete the project"


def compare_projects(facts: Facts, path: str, text: str, wanted: list[WantedProject]) -> list[Finding]:
    """The findings of a team's file against the projects the SSOT states. Raises SsotError (invalid-input)
    when the file is not YAML with a list of projects."""
    document = read_projects(path, text)
    if document.sequence is None:
        # no `projects:` list: Atlantis discovers the projects itself (autodiscovery), Digger generates them
        # (`generate_projects`); adding a list would change what they plan, so nothing here is the tool's
        return []
    pairs, missing, unknown = match_projects(wanted, document.projects)
    found: list[Finding] = []
    source = _source_of(facts)
    for want, project in sorted(pairs, key=lambda pair: pair[1].line):
        for key in differences(want, project):
            stated = want.name if key == "name" else want.values[key]
            written = project.scalar(key)
            node = project.keys.get(key)
            if node is None:
                message = f"project '{want.name}' has no {key}; ssot/env.yaml states {stated!r}"
                line = project.line
            else:
                shown = repr(written) if written is not None else "a value that is not text"
                message = f"project '{want.name}': {key} is {shown}; ssot/env.yaml states {stated!r}"
                line = node[1].start_mark.line + 1
            found.append(
                Finding(
                    path,
                    line,
                    message,
                    code=codes.PROJECT_VALUE,
                    fix=BUILD_FIX,
                    expected=stated,
                    found=written,
                    source=source(want.sources.get(key)),
                )
            )
    for want in missing:
        where = ", ".join(f"{key} {value!r}" for key, value in want.values.items())
        found.append(
            Finding(
                path,
                document.line,
                f"project '{want.name}' ({where}) is missing; ssot build adds it",
                code=codes.PROJECT_MISSING,
                fix=BUILD_FIX,
                expected=want.name,
                source=source(want.sources.get("name")),
            )
        )
    for project in unknown:
        label = f"'{project.name}'" if project.name is not None else f"in {project.scalar('dir')!r}"
        found.append(
            Finding(
                path,
                project.line,
                f"project {label} is no layer of ssot/env.yaml; ssot build keeps it: {UNKNOWN_FIX}",
                code=codes.PROJECT_UNKNOWN,
                fix=UNKNOWN_FIX,
            )
        )
    return found


def _source_of(facts: Facts) -> Callable[[tuple[str | int, ...] | None], Source | None]:
    def source(path: tuple[str | int, ...] | None) -> Source | None:
        if path is None:
            return None
        written, line, col = facts.locate(path)
        return Source(SSOT_PATH, line, col, ".".join(map(str, written))) if written else None

    return source
