"""A team's own orchestrator file (atlantis.yaml, digger.yml) edited in place (pure): only the projects' identity.

The file is the team's: its workflows, automerge, apply requirements, autoplan globs, comments, blank lines
and key order are none of the tool's business. What ssot/env.yaml states about each project (its name, dir,
workspace, and workflow or Terraform version where the SSOT sets one) is. The file is read with PyYAML's
composer, which gives every value's place in the text; a value that differs is replaced there (in its own
quoting), a missing key is added beside its neighbours, a missing project after the one before it in the
SSOT's order, in the style of the existing ones (flow or block, indentation, quoting, key order). Nothing else is touched, and a
project the SSOT does not know is kept: the comparator (compiler/compare/projects.py) reports it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

import yaml

from compiler.formats.yaml_projects import FileProject, ProjectsFile, read_projects
from compiler.render.yaml_text import is_plain_word

Path = tuple[str | int, ...]


class WantedProject(NamedTuple):
    """A project as ssot/env.yaml states it."""

    name: str
    #: key -> value the SSOT states (dir first), in the order the tool writes them
    values: Mapping[str, str]
    #: key (and "name") -> where ssot/env.yaml states it
    sources: Mapping[str, Path]
    #: what the orchestrator assumes when a key is absent (workspace: default): absent agrees with it
    implied: Mapping[str, str] = MappingProxyType({})


def normalised_dir(path: str) -> str:
    """A project directory as compared: `./infra/dev/` is `infra/dev`, `./` is `.`."""
    parts = [part for part in path.split("/") if part and part != "."]
    return "/".join(parts) or "."


def match_projects(
    wanted: list[WantedProject], found: list[FileProject]
) -> tuple[list[tuple[WantedProject, FileProject]], list[WantedProject], list[FileProject]]:
    """(matched pairs, wanted projects the file lacks, the file's projects the SSOT does not know).

    By name first; then a project named otherwise (or not at all) that has the wanted dir and workspace is
    that project, renamed."""
    by_name = {project.name: project for project in found if project.name is not None}
    pairs = [(want, by_name[want.name]) for want in wanted if want.name in by_name]
    taken = {id(project) for _, project in pairs}
    missing = []
    for want in wanted:
        if want.name in by_name:
            continue
        same_place = next(
            (p for p in found if id(p) not in taken and p.name not in _names(wanted) and _same_place(want, p)), None
        )
        if same_place is None:
            missing.append(want)
        else:
            pairs.append((want, same_place))
            taken.add(id(same_place))
    unknown = [project for project in found if id(project) not in taken]
    return pairs, missing, unknown


def _names(wanted: list[WantedProject]) -> set[str]:
    return {want.name for want in wanted}


def _same_place(want: WantedProject, project: FileProject) -> bool:
    return all(_agrees(want, project, key) for key in ("dir", "workspace") if key in want.values)


def differences(want: WantedProject, project: FileProject) -> list[str]:
    """The keys (name first) whose value in the file is not what the SSOT states."""
    keys = [] if project.name == want.name else ["name"]
    return keys + [key for key in want.values if not _agrees(want, project, key)]


def _agrees(want: WantedProject, project: FileProject, key: str) -> bool:
    found = project.scalar(key)
    if key not in project.keys:
        return want.implied.get(key) == want.values[key]
    if found is None:
        return False
    if key == "dir":
        return normalised_dir(found) == normalised_dir(want.values[key])
    return found == want.values[key]


def edit_projects(path: str, text: str, wanted: list[WantedProject]) -> str:
    """`text` with every wanted project's identity as the SSOT states it; every other byte as it was.

    Raises SsotError (invalid-input) when the file is not YAML with a list of projects."""
    document = read_projects(path, text)
    if document.sequence is None:  # no list: the orchestrator finds its projects (compiler/compare/projects.py)
        return text
    pairs, missing, _unknown = match_projects(wanted, document.projects)
    newline = "\r\n" if "\r\n" in text else "\n"
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), applied from the end
    for want, project in pairs:
        for key in differences(want, project):
            value = want.name if key == "name" else want.values[key]
            edits.append(_set_key(text, project, key, value, [*want.values], newline))
    if missing:
        edits += _add_projects(text, document, missing, _anchors(wanted, pairs, missing), newline)
    # from the end, so that earlier places stay put; of two insertions at one place, the one listed first
    # (a key of the project there) ends up first
    ordered = sorted(enumerate(edits), key=lambda item: (item[1][0], item[1][1], item[0]), reverse=True)
    for _, (start, end, replacement) in ordered:
        text = text[:start] + replacement + text[end:]
    return text


def _set_key(
    text: str, project: FileProject, key: str, value: str, order: list[str], newline: str
) -> tuple[int, int, str]:
    style = _quoting(project)
    if key in project.keys:
        node = project.keys[key][1]
        if isinstance(node, yaml.ScalarNode):
            own = node.style if node.style in ("'", '"') else None  # the value's own quoting, or plain
            return node.start_mark.index, node.end_mark.index, scalar(value, own)
        return node.start_mark.index, _last_index(node), scalar(value, style)
    entry = f"{key}: {scalar(value, style)}"
    # beside the key it follows in the tool's order (name, dir, workspace, ...), else before the first key
    before = ["name", *order]
    previous = next((k for k in reversed(before[: before.index(key)]) if k in project.keys), None)
    if project.node.flow_style:
        if previous is None:
            first = project.node.value[0][0].start_mark.index if project.node.value else project.node.end_mark.index - 1
            return first, first, entry + (", " if project.node.value else "")
        end = _last_index(project.keys[previous][1])
        return end, end, f", {entry}"
    column = project.node.start_mark.column
    if previous is None:
        first = project.node.start_mark.index
        return first, first, f"{entry}{newline}{' ' * column}"
    end = _line_end(text, _last_index(project.keys[previous][1]))
    return end, end, f"{newline}{' ' * column}{entry}"


def _anchors(
    wanted: list[WantedProject], pairs: list[tuple[WantedProject, FileProject]], missing: list[WantedProject]
) -> list[int]:
    """For each missing project, the index in the file of the project it follows: that of the nearest project
    before it in the SSOT's order, else the last one (-1)."""
    found = {want.name: project for want, project in pairs}
    anchors = []
    for want in missing:
        before = wanted[: wanted.index(want)]
        anchor = next((found[w.name] for w in reversed(before) if w.name in found), None)
        anchors.append(-1 if anchor is None else int(anchor.node.start_mark.index))
    return anchors


def _add_projects(
    text: str, document: ProjectsFile, missing: list[WantedProject], anchors: list[int], newline: str
) -> list[tuple[int, int, str]]:
    """Where and what to insert for the projects the file lacks, in the style of its projects."""
    sample = document.projects[0] if document.projects else None
    style = _quoting(sample) if sample else None
    order = [key for key in (sample.keys if sample else ()) if key in ("name", *missing[0].values)]

    def entries(want: WantedProject) -> list[str]:
        # a value the orchestrator assumes anyway is written only if the file's projects write it
        stated = {k: v for k, v in want.values.items() if want.implied.get(k) != v or k in order}
        values = {"name": want.name, **stated}
        keys = [k for k in order if k in values] + [k for k in values if k not in order]
        return [f"{key}: {scalar(values[key], style)}" for key in keys]

    sequence = document.sequence
    assert sequence is not None
    if sequence.flow_style:
        closing = sequence.end_mark.index - 1
        items = ", ".join("{" + ", ".join(entries(want)) + "}" for want in missing)
        # after the last item, unless the list ends with a comma already (`[\n  {...},\n]`)
        comma = sequence.value and not text[:closing].rstrip().endswith(",")
        return [(closing, closing, (", " if comma else "") + items)]
    assert sample is not None
    dash = sequence.start_mark.column
    gap = " " * max(sample.node.start_mark.column - dash - 1, 1)
    column = " " * sample.node.start_mark.column
    # projects set apart by blank lines get a blank line before the new one too
    apart = len(document.projects) > 1 and _blank_between(text, document.projects[0], document.projects[1])
    by_anchor: dict[int, list[str]] = {}
    for want, anchor in zip(missing, anchors, strict=True):
        lines = by_anchor.setdefault(anchor, [])
        if apart:
            lines.append("")
        if sample.node.flow_style:
            lines.append(f"{' ' * dash}-{gap}" + "{" + ", ".join(entries(want)) + "}")
        else:
            first, *rest = entries(want)
            lines += [f"{' ' * dash}-{gap}{first}", *(f"{column}{entry}" for entry in rest)]
    starts = {int(p.node.start_mark.index): p for p in document.projects}
    edits = []
    for anchor, lines in by_anchor.items():
        after = starts[anchor] if anchor in starts else document.projects[-1]
        end = _line_end(text, _last_index(after.node))
        edits.append((end, end, newline + newline.join(lines)))
    return edits


def _blank_between(text: str, first: FileProject, second: FileProject) -> bool:
    between = text[_last_index(first.node) : second.node.start_mark.index]
    return any(not line.strip() for line in between.replace("\r", "").split("\n")[1:-1])


def _quoting(project: FileProject | None) -> str | None:
    """How the project's name is quoted (the style new values follow): None (plain), `'` or `"`."""
    if project is None or "name" not in project.keys:
        return None
    node = project.keys["name"][1]
    return node.style if isinstance(node, yaml.ScalarNode) and node.style in ("'", '"') else None


def _last_index(node: yaml.Node) -> int:
    """Where the node's text ends: its last scalar's end, a flow collection's closing bracket (PyYAML's own
    end of a block collection runs on over the comments and blank lines after it)."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return int(node.end_mark.index)


def _line_end(text: str, index: int) -> int:
    """The end of the line `index` is on (before its line break); a block scalar's end is the next line's start."""
    if index > 0 and text[index - 1] == "\n":
        index -= 1
        return index - 1 if index > 0 and text[index - 1] == "\r" else index
    found = text.find("\n", index)
    if found == -1:
        return len(text)
    return found - 1 if found > 0 and text[found - 1] == "\r" else found


def scalar(value: str, style: str | None) -> str:
    """`value` as a YAML string in `style` (None: plain when YAML reads it back as that string)."""
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if style == '"':
        return json.dumps(value, ensure_ascii=False)
    if is_plain_word(value):
        return value
    if any(char in value for char in ",[]{}"):  # plain in a block, but not inside a flow mapping or list
        return json.dumps(value, ensure_ascii=False)
    try:
        if yaml.safe_load(f"- {value}") == [value]:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)
