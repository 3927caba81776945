"""The model as well as it can be built from data that breaks it, so that the domain rules can speak too.

A user hears about every problem at once (README: "Mistakes are reported all at once"): a YAML 1.1 scalar,
an unknown key or a wrong value must not hide a rule the rest of the file breaks. So, once the problems of
the data itself are known, the data is repaired the way the user will most likely repair it, and the rules
run on the result:

- a scalar YAML read as something else (`env_prefix: no`) becomes the text as written (`"no"`);
- an unknown key (`titel`) is left out;
- a wrong optional value is left out (the model's default takes its place);
- an entry of `layers`, `environments`, `variables` or `decisions` that cannot be built at all (a
  required key missing) is left out.

What was left out is *touched*: a rule about a path related to it (the same entry, or a path one of them
contains) could be an echo of the repair, not of the file, and is not reported. When the data cannot be
repaired (a top-level key missing, a list item broken), no rule runs: the problems already found stand.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from compiler.core.model import UNION_TAGS, Ssot
from compiler.formats.strict_yaml import LoadedYaml
from compiler.formats.yaml_walk import Path

#: The named collections whose entries stand alone: one can be left out and the others still make sense.
_ENTRIES = ("layers", "environments", "variables")
_GONE = object()
#: How often repairing may uncover another error (a left-out value whose default is refused)
_ROUNDS = 3


def repaired(loaded: LoadedYaml, errors: Sequence[ErrorDetails]) -> tuple[Ssot, frozenset[Path]] | None:
    """The model of `loaded.data` repaired, and the paths the repair touched; None if it cannot be built."""
    data = copy.deepcopy(loaded.data)
    touched: set[Path] = set()
    for _ in range(_ROUNDS):
        for error in errors:
            if not _repair(data, loaded, error, touched):
                return None
        if isinstance(data, dict) and isinstance(data.get("decisions"), list):
            data["decisions"] = [item for item in data["decisions"] if item is not _GONE]
        try:
            return Ssot.model_validate(data), frozenset(touched)
        except ValidationError as exc:
            errors = exc.errors()
    return None


def is_touched(path: Path, touched: frozenset[Path]) -> bool:
    """Whether `path` is about something the repair changed (one of the two paths contains the other)."""
    return any(path[: len(t)] == t or t[: len(path)] == path for t in touched)


def _repair(data: Any, loaded: LoadedYaml, error: ErrorDetails, touched: set[Path]) -> bool:
    path: Path = tuple(part for part in error["loc"] if part != "[key]" and part not in UNION_TAGS)
    odd = next((i for i, part in enumerate(path) if type(part) not in (str, int)), None)
    if odd is not None:  # a key YAML read as a boolean or a number (`no:`): the loader said so
        return _remove(data, path[: odd + 1])
    position = loaded.positions.get(path)
    if error["type"] == "extra_forbidden":
        return _remove(data, path)
    if error["type"] == "missing":
        return len(path) > 2 and _leave_out(data, path[:2], touched)
    if position is not None and position.source is not None and not position.quoted and error["type"] == "string_type":
        return _replace(data, path, position.source)  # what the user wrote, read as text
    if len(path) > 2:
        touched.add(path[:-1])
        return _remove(data, path) or _leave_out(data, path[:2], touched)
    return False


def _leave_out(data: Any, entry: Path, touched: set[Path]) -> bool:
    """Leave out a whole entry of a named collection (`layers.L3`), and what refers to it."""
    if len(entry) == 2 and entry[0] == "decisions" and isinstance(entry[1], int):
        # no rule reads the decisions: one is marked, and goes once every error is seen (indices stay)
        return _replace(data, entry, _GONE)
    if len(entry) != 2 or entry[0] not in _ENTRIES or not isinstance(data, dict):
        return False
    collection = data.get(entry[0])
    if not isinstance(collection, dict) or entry[1] not in collection:
        return entry[0] in data  # already left out by an earlier error
    del collection[entry[1]]
    touched.add(entry)
    if entry[0] == "variables":  # each environment's value for it would be "not a declared variable"
        environments = data.get("environments")
        for name in environments if isinstance(environments, dict) else ():
            touched.add(("environments", name, "values", entry[1]))
    return True


def _parent(data: Any, path: Path) -> Any:
    for part in path[:-1]:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _remove(data: Any, path: Path) -> bool:
    parent = _parent(data, path)
    if isinstance(parent, dict) and path and path[-1] in parent:
        del parent[path[-1]]
        return True
    return False


def _replace(data: Any, path: Path, value: object) -> bool:
    parent = _parent(data, path)
    if isinstance(parent, (dict, list)) and path:
        try:
            parent[path[-1]] = value  # type: ignore[index]
        except (IndexError, TypeError):
            return False
        return True
    return False
