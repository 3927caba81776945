"""A generated JSON file (the JSON Schema) compared as data, each difference at its line with its JSON pointer.

Layout, key order and escapes are not drift. A changed value is reported at its line with expected/found, a
missing key at its object, a key `ssot build` does not write at its line; items of an array are aligned
first, so one inserted item is one finding, not one per item after it.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from typing import Any

import yaml

from compiler import codes
from compiler.compare.files import artifact_drift, first_difference
from compiler.findings import Finding, drift
from compiler.text import split_lines

Pointer = tuple[str | int, ...]


def compare_json(path: str, current: str, expected: str) -> list[Finding]:
    """The same JSON value is no drift, however it is laid out."""
    current = current.removeprefix("\ufeff")  # a byte-order mark is no content (and json refuses it)
    try:
        have = json.loads(current)
    except ValueError:  # not JSON at all (a merge conflict, a truncated file): the whole file differs
        return [artifact_drift(path, current, expected)]
    want = json.loads(expected)
    if have == want:
        return []
    lines = _lines(current)
    if lines is None:  # JSON no YAML reader places (it should not happen): at the first line that differs
        line = first_difference(split_lines(current), split_lines(expected))
        return [
            drift(f.file, line, f.code, f.message, expected=f.expected, found=f.found)
            for f in _compare(path, have, want, (), {})
        ]
    return list(_compare(path, have, want, (), lines))


def _compare(path: str, have: Any, want: Any, at: Pointer, lines: dict[Pointer, int]) -> Iterator[Finding]:
    line = _line(lines, at)
    if isinstance(have, dict) and isinstance(want, dict):
        for key, wanted in want.items():
            if key in have:
                yield from _compare(path, have[key], wanted, (*at, key), lines)
            else:
                yield _finding(path, line, f"'{pointer((*at, key))}' is missing; expected {_brief(wanted)}", wanted)
        for key in have:
            if key not in want:
                yield _finding(path, _line(lines, (*at, key)), f"'{pointer((*at, key))}' is not generated")
        return
    if isinstance(have, list) and isinstance(want, list):
        yield from _compare_arrays(path, have, want, at, lines)
        return
    if have != want or isinstance(have, bool) != isinstance(want, bool):  # 1 is not true
        yield _finding(path, line, f"'{pointer(at)}': expected {_brief(want)}, found {_brief(have)}", want, have)


def _compare_arrays(
    path: str, have: list[Any], want: list[Any], at: Pointer, lines: dict[Pointer, int]
) -> Iterator[Finding]:
    if len(have) == len(want):
        for index, (found, wanted) in enumerate(zip(have, want)):
            yield from _compare(path, found, wanted, (*at, index), lines)
        return
    matcher = difflib.SequenceMatcher(a=[_shown(v) for v in have], b=[_shown(v) for v in want], autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and a2 - a1 == b2 - b1:
            for offset in range(a2 - a1):
                yield from _compare(path, have[a1 + offset], want[b1 + offset], (*at, a1 + offset), lines)
            continue
        for index in range(a1, a2):
            yield _finding(path, _line(lines, (*at, index)), f"'{pointer((*at, index))}' is not generated")
        # a missing item belongs where the current item at its place stands (or after the last one)
        where = _line(lines, (*at, a1)) if a1 < len(have) else _line(lines, at)
        for index in range(b1, b2):
            yield _finding(
                path, where, f"'{pointer((*at, index))}' is missing; expected {_brief(want[index])}", want[index]
            )


def pointer(at: Pointer) -> str:
    """The JSON pointer (RFC 6901) of a path: `/properties/layers`, `/required/0`; `` for the whole document."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in at)


def _line(lines: dict[Pointer, int], at: Pointer) -> int:
    while at not in lines and at:
        at = at[:-1]
    return lines.get(at, 1)


def _lines(text: str) -> dict[Pointer, int] | None:
    """The line of each value of a JSON text, read by the YAML reader (JSON is YAML; tabs are only layout)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text.replace("\t", " "))
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    lines: dict[Pointer, int] = {}
    stack: list[tuple[yaml.Node, Pointer]] = [(root, ())] if root is not None else []
    while stack:
        node, at = stack.pop()
        lines.setdefault(at, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            stack.extend((value, (*at, key.value)) for key, value in node.value if isinstance(key, yaml.ScalarNode))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*at, index)) for index, item in enumerate(node.value))
    return lines


def _brief(value: object) -> str:
    """A value for a message: as JSON, or what it is when that would be long (`expected` holds it whole)."""
    shown = _shown(value)
    if len(shown) <= 80:
        return shown
    if isinstance(value, dict):
        return f"an object with {len(value)} keys"
    if isinstance(value, list):
        return f"an array of {len(value)} items"
    return shown


def _shown(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


_UNSET = object()


def _finding(path: str, line: int, message: str, want: object = _UNSET, found: object = _UNSET) -> Finding:
    return drift(
        path,
        line,
        codes.JSON_VALUE,
        message,
        expected=None if want is _UNSET else _shown(want),
        found=None if found is _UNSET else _shown(found),
    )
