"""The strict walk over a composed YAML node graph (see compiler/formats/strict_yaml.py): where every path is
written, and what PyYAML would accept silently (duplicate keys, YAML 1.1 surprises, unsafe tags, bombs).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from typing import NamedTuple

import yaml

from compiler.errors import Problem
from compiler.formats.yaml_budgets import over_budgets

Path = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq", "merge")}
_MERGE_TAG = f"{_TAG}merge"
#: tags of nodes the walk never has anything to say about, however written: text, null, collections
_QUIET_TAGS = {f"{_TAG}{name}" for name in ("str", "null", "map", "seq")}
_PLAIN_BOOL = re.compile(r"true|false", re.IGNORECASE)
_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")

#: Characters no SSOT text may hold: control characters but tab and line feed (a NUL, an ESC, a carriage
#: return, all written as escapes such as "\x01" or "\0", since YAML refuses them raw), the Unicode line
#: and paragraph separators, and the invisible bidirectional overrides that make text read otherwise than
#: it is stored.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class Position(NamedTuple):
    """Where a value is written (and its key, for mapping entries). Lines and columns are 1-based.

    (A named tuple: one is made for every key and value of the file, and a tuple is made fastest.)"""

    line: int
    col: int
    key_line: int
    key_col: int
    #: the scalar as written, for hints such as "write 'no' in quotes"; None for collections
    source: str | None = None
    quoted: bool = False


class Walker:
    """One pass over the composed node graph: positions of every path, and the problems above."""

    def __init__(self, filename: str, text: str, hidden: Callable[[Path], bool] | None = None) -> None:
        self.filename = filename
        #: paths whose values no message may quote (under a key that sounds secret)
        self.hidden = hidden or (lambda path: False)
        #: the text the nodes' marks point into (by character index)
        self.text = text
        self.positions: dict[Path, Position] = {}
        self.problems: list[Problem] = []
        #: problems that leave nothing to build data from
        self.fatal: list[Problem] = []
        self.explained: set[Path] = set()

    def problem(self, node: yaml.Node, message: str, *, fatal: bool = False, path: Path | None = None) -> None:
        found = Problem(self.filename, node.start_mark.line + 1, node.start_mark.column + 1, message)
        (self.fatal if fatal else self.problems).append(found)
        if path is not None:
            self.explained.add(path)

    def check_expansion(self, root: yaml.Node) -> None:
        """Refuse what is past the budgets (compiler/formats/yaml_budgets.py): recursive aliases, too deep a
        nesting, too many values or too much text once aliases expand."""
        if (refused := over_budgets(root, self.text)) is not None:
            node, message = refused
            self.problem(node, message, fatal=True)

    def walk(self, root: yaml.Node) -> None:
        """Record every path's position and check every node (the graph is known to be small and acyclic)."""
        stack: list[tuple[yaml.Node, Path, yaml.Node]] = [(root, (), root)]
        while stack:
            node, path, key_node = stack.pop()
            self.check_tag(node, path)
            mark, key_mark = node.start_mark, key_node.start_mark
            if isinstance(node, yaml.ScalarNode):
                self.check_characters(node, path)
                quoted = node.style in ("'", '"')
                where = Position(
                    mark.line + 1, mark.column + 1, key_mark.line + 1, key_mark.column + 1, node.value, quoted
                )
            else:
                where = Position(mark.line + 1, mark.column + 1, key_mark.line + 1, key_mark.column + 1)
            self.positions[path] = where
            if isinstance(node, yaml.SequenceNode):
                stack.extend((item, (*path, i), item) for i, item in reversed(list(enumerate(node.value))))
            elif isinstance(node, yaml.MappingNode):
                stack.extend(reversed(self.entries(node, path)))

    def entries(self, node: yaml.MappingNode, path: Path) -> list[tuple[yaml.Node, Path, yaml.Node]]:
        """The entries of a mapping, merge keys (`<<`) resolved as YAML does: explicit keys win."""
        explicit: dict[str, yaml.Node] = {}
        merged: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                for source in value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]:
                    if not isinstance(source, yaml.MappingNode):
                        self.problem(source, "a merge key (<<) takes a mapping or a list of mappings", fatal=True)
                        continue
                    for inner_key, inner_value in source.value:
                        if isinstance(inner_key, yaml.ScalarNode) and inner_key.tag != _MERGE_TAG:
                            merged.setdefault(inner_key.value, (inner_key, inner_value))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "a key must be a plain string, not a list or a mapping", fatal=True)
                continue
            if key_node.tag != f"{_TAG}str":
                self.problem(
                    key_node,
                    f"key {key_node.value!r} is read by YAML as a {_kind(key_node.tag)}, not a string; "
                    f'quote it: "{key_node.value}"',
                    path=path,  # the mapping it is in: validation would only say it less clearly
                )
                continue
            self.check_characters(key_node, (*path, key_node.value))
            if key_node.value in explicit:
                first = explicit[key_node.value].start_mark.line + 1
                self.problem(key_node, f"duplicate key {key_node.value!r} (first defined at line {first})")
                continue
            explicit[key_node.value] = key_node
            merged.pop(key_node.value, None)
            merged[key_node.value] = (key_node, value_node)
        return [(value, (*path, key), key_node) for key, (key_node, value) in merged.items()]

    def check_characters(self, node: yaml.ScalarNode, path: Path) -> None:
        """Refuse control characters (the text is not quoted: it may be a secret)."""
        found = _FORBIDDEN.search(node.value)
        if found is None:
            return
        character = found.group()
        name = "NUL" if character == "\0" else f"U+{ord(character):04X}"
        described = unicodedata.name(character, "a control character").lower()
        self.problem(
            node,
            f"text holds the character {name} ({described}), which no SSOT text may hold; remove it "
            "(in double quotes, an escape such as \\x01 or \\0 writes one)",
            path=path,
        )

    def check_tag(self, node: yaml.Node, path: Path) -> None:
        # what the message calls the value, and how it says to quote it: never the value itself when
        # its key sounds secret (whatever YAML makes of `db_password: 0x8f3a...`, it is a password)
        if node.tag in _QUIET_TAGS or (
            node.tag in _PLAIN_TAGS and (not isinstance(node, yaml.ScalarNode) or node.style)
        ):
            return  # most nodes: nothing to say (and a collection's value is never spelled out: its size)
        hide = self.hidden(path)
        shown = (
            f"the value of {'.'.join(map(str, path))} (not shown: its key sounds secret)" if hide else repr(node.value)
        )
        quote = "quote it" if hide else f'quote it ("{node.value}")'
        if node.tag == f"{_TAG}timestamp":
            self.problem(node, f"{shown} is read by YAML as a date; quote it if you mean text", path=path)
            return
        if node.tag not in _PLAIN_TAGS:
            if self.text[node.start_mark.index : node.start_mark.index + 1] == "!":  # written, not resolved
                tag = node.tag.replace(_TAG, "!!")
                self.problem(node, f"tag {tag} is not allowed: the SSOT holds plain YAML only", fatal=True)
            else:  # a plain scalar YAML 1.1 gives a special meaning, such as `=`
                self.problem(node, f"{shown} has a special meaning in YAML; {quote}", fatal=True)
            return
        if not isinstance(node, yaml.ScalarNode) or node.style:
            return
        if node.tag == f"{_TAG}float" and not _finite(node):
            what = "a number that is not finite" if hide else _non_finite(node)
            self.problem(
                node,
                f"{shown} is read by YAML as {what}, which is no number Terraform has; "
                f"write a finite number, or {quote} if you mean text",
                path=path,
            )
            return
        if node.tag == f"{_TAG}bool" and not _PLAIN_BOOL.fullmatch(node.value):
            what = "a boolean" if hide else f"the boolean {_yaml_bool(node.value)}"
            self.problem(node, f"{shown} is read by YAML 1.1 as {what}; {quote} if you mean text", path=path)
        elif _surprising_number(node):
            what = "a number" if hide else _the_number(node)
            self.problem(node, f"{shown} is read by YAML 1.1 as {what}; {quote} if you mean text", path=path)


def _surprising_number(node: yaml.ScalarNode) -> bool:
    """An octal, hex, binary, underscored or sexagesimal (1:20) number: text to any YAML 1.2 reader."""
    if node.tag == f"{_TAG}int":
        return not _PLAIN_INT.fullmatch(node.value.lstrip("+-") or "x")
    return node.tag == f"{_TAG}float" and (":" in node.value or "_" in node.value)


def _the_number(node: yaml.ScalarNode) -> str:
    try:
        return f"the number {_yaml_number(node)}"
    except ValueError:  # more digits than Python turns into text
        return "a number too long to show"


def _finite(node: yaml.ScalarNode) -> bool:
    number = _yaml_number(node)
    return not isinstance(number, float) or math.isfinite(number)


def _non_finite(node: yaml.ScalarNode) -> str:
    number = _yaml_number(node)
    if isinstance(number, float) and math.isnan(number):
        return "NaN (not a number)"
    return "minus infinity" if isinstance(number, float) and number < 0 else "infinity"


def _yaml_bool(text: str) -> str:
    return "true" if text.lower() in ("yes", "on", "y") else "false"


def _kind(tag: str) -> str:
    return {"bool": "boolean", "int": "number", "float": "number", "null": "null"}.get(tag.replace(_TAG, ""), tag)


def _yaml_number(node: yaml.ScalarNode) -> object:
    try:
        return yaml.SafeLoader("").construct_object(node)
    except Exception:  # noqa: BLE001 - only used for a hint
        return node.value
