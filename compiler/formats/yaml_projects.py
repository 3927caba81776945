"""A team's orchestrator file (atlantis.yaml, digger.yml) read with every project's place in the text.

PyYAML's composer gives each node its start and end in the text; compiler/render/projects.py edits a
project's values there and compiler/compare/projects.py reports them at their lines. Only the shape the
tool relies on is required (a mapping with a list of mappings under `projects`); everything else in the
file is the team's and is not looked at.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import yaml

from compiler import codes
from compiler.errors import Problem, SsotError
from compiler.formats.strict_yaml import compose_yaml


class FileProject(NamedTuple):
    """A project of the team's file: its mapping node and its keys' nodes."""

    node: yaml.MappingNode
    keys: dict[str, tuple[yaml.Node, yaml.Node]]

    def scalar(self, key: str) -> str | None:
        """The key's value as written (unquoted), if it is a plain scalar; None if absent or not a scalar."""
        found = self.keys.get(key)
        return found[1].value if found and isinstance(found[1], yaml.ScalarNode) else None

    @property
    def name(self) -> str | None:
        return self.scalar("name")

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1


class ProjectsFile(NamedTuple):
    """A team's file as composed: its root mapping, its `projects` sequence (None: no such key)."""

    root: yaml.MappingNode | None
    sequence: yaml.SequenceNode | None
    projects: list[FileProject]

    @property
    def line(self) -> int:
        """Where the projects are (the `projects:` key's line), for a finding about a missing one."""
        if self.root is not None:
            for key, _ in self.root.value:
                if key.value == "projects":
                    return int(key.start_mark.line) + 1
        return 1


def read_projects(path: str, text: str) -> ProjectsFile:
    """The projects of a team's file. Raises SsotError (invalid-input) when it is not YAML with a list of
    projects: the team's file is never guessed at."""
    try:  # under the SSOT's budgets: the file arrives in pull requests too
        root = compose_yaml(text, path)
    except SsotError as exc:
        problems = [replace(p, message=f"{p.message}; fix it by hand") for p in exc.problems]
        raise SsotError(problems, code=codes.INVALID_INPUT) from None
    if root is None:
        return ProjectsFile(None, None, [])
    if not isinstance(root, yaml.MappingNode):
        raise _shape(path, root, "is not a mapping (such as `version: 3` and `projects:`)")
    sequence = next((value for key, value in root.value if key.value == "projects"), None)
    if sequence is None:
        return ProjectsFile(root, None, [])
    if isinstance(sequence, yaml.ScalarNode) and sequence.value in ("", "~", "null"):
        raise _shape(path, sequence, "has `projects:` without a list; write `projects: []` or list them")
    if not isinstance(sequence, yaml.SequenceNode):
        raise _shape(path, sequence, "has `projects` that is not a list")
    projects = []
    for item in sequence.value:
        if not isinstance(item, yaml.MappingNode):
            raise _shape(path, item, "has a project that is not a mapping")
        projects.append(FileProject(item, {str(key.value): (key, value) for key, value in item.value}))
    return ProjectsFile(root, sequence, projects)


def _shape(path: str, node: yaml.Node, what: str) -> SsotError:
    return SsotError([Problem(path, node.start_mark.line + 1, 0, what)], code=codes.INVALID_INPUT)
