"""A generated YAML file (atlantis.yaml) compared as data, value by value, each finding at its line.

Layout, quoting, comments and key order are not drift. A list of mappings that all have a `name` (Atlantis'
projects) is matched by name, so reordering projects is not drift either; a changed value is reported at
its line with expected/found, a missing key at its mapping, a key `ssot build` does not write at its line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from compiler import codes
from compiler.compare.files import artifact_drift
from compiler.errors import SsotError
from compiler.findings import Finding, drift
from compiler.formats.strict_yaml import compose_yaml

#: libyaml's parser when PyYAML has it (a thousand projects: a blink instead of seconds), for the text `ssot
#: build` wrote; the current text is composed by compose_yaml (libyaml too, PyYAML's for what it refuses)
_FAST = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader


def compare_yaml(path: str, current: str, expected: str) -> list[Finding]:
    try:  # under the SSOT's budgets: a pull request may bring any text
        node = compose_yaml(current, path)
    except SsotError:  # not YAML at all (a merge conflict, a broken edit), or past a budget
        node = None
    if node is None:
        return [artifact_drift(path, current, expected)]
    loader = yaml.SafeLoader("")
    try:
        return list(_compare(path, loader, node, yaml.load(expected, Loader=_FAST), "", _labelled_lines(expected)))
    except (yaml.YAMLError, TypeError):  # a key YAML cannot hash: the whole file differs
        return [artifact_drift(path, current, expected)]
    finally:
        loader.dispose()


def _compare(
    path: str, loader: SafeConstructor, node: yaml.Node, want: Any, where: str, lines: dict[str, int]
) -> Iterator[Finding]:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode) and isinstance(want, dict):
        have = {loader.construct_object(key, deep=True): value for key, value in node.value}
        for key, wanted in want.items():
            if key in have:
                yield from _compare(path, loader, have[key], wanted, _join(where, key), lines)
            else:
                label = _join(where, key)
                yield _finding(
                    path, line, f"'{label}' is missing; expected {_shown(wanted)}", wanted, at=lines.get(label)
                )
        for key, value in have.items():
            if key not in want:
                yield _finding(path, value.start_mark.line + 1, f"'{_join(where, key)}' is not generated")
        return
    if isinstance(node, yaml.SequenceNode) and isinstance(want, list) and _named(want):
        have_named = {_name(loader, item): item for item in node.value}
        if None not in have_named:
            for item in want:
                label = f"{where}[{item['name']}]"
                if item["name"] in have_named:
                    yield from _compare(path, loader, have_named[item["name"]], item, label, lines)
                else:
                    yield _finding(
                        path, line, f"'{label}' is missing; expected {_shown(item)}", item, at=lines.get(label)
                    )
            wanted = {item["name"] for item in want}  # looked up for every item (thousands of projects)
            for name, extra in have_named.items():
                if name not in wanted:
                    yield _finding(path, extra.start_mark.line + 1, f"'{where}[{name}]' is not generated")
            return
    found = loader.construct_object(node, deep=True)
    if found != want:
        message = f"'{where or '(document)'}': expected {_shown(want)}, found {_shown(found)}"
        yield _finding(path, line, message, want, found, at=lines.get(where))


def _named(items: list[Any]) -> bool:
    return all(isinstance(item, dict) and isinstance(item.get("name"), str) for item in items)


def _name(loader: SafeConstructor, node: yaml.Node) -> str | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "name" and isinstance(value, yaml.ScalarNode):
            return str(value.value)
    return None


def _join(where: str, key: object) -> str:
    return f"{where}.{key}" if where else str(key)


def _shown(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


_UNSET = object()


def _finding(
    path: str, line: int, message: str, want: object = _UNSET, found: object = _UNSET, *, at: int | None = None
) -> Finding:
    """`at`: the line of the value in the expected text (for the finding's `origin`, compiler/findings.py)."""
    return drift(
        path,
        line,
        codes.YAML_VALUE,
        message,
        expected=None if want is _UNSET else _shown(want),
        found=None if found is _UNSET else _shown(found),
        origin=(at, None, None) if at else None,
    )


def _labelled_lines(text: str) -> dict[str, int]:
    """Label (as findings name values: `projects[data-staging].workspace`) -> its line in `text`, which
    `ssot build` wrote (so it is YAML, and its lists of mappings all have a name)."""
    lines: dict[str, int] = {}
    root = yaml.compose(text, Loader=_FAST)
    stack: list[tuple[yaml.Node, str]] = [(root, "")] if root is not None else []
    while stack:
        node, where = stack.pop()
        lines[where] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            stack += [(value, _join(where, key.value)) for key, value in node.value]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, f"{where}[{_name_of(item)}]") for item in node.value if _name_of(item) is not None]
    return lines


def _name_of(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "name" and isinstance(value, yaml.ScalarNode):
                return str(value.value)
    return None
