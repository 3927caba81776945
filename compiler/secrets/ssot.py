"""Secrets kept out of ssot/env.yaml, and out of what validation says about it (pure).

ssot/env.yaml is committed, copied into the docs, README blocks and tfvars examples, and published whole
on the site (docs/source.md shows it with its comments). So a token shape (compiler/secrets/shapes.py)
anywhere in it, in a value, a key or a comment, is a problem at its line and column (exit 2, nothing
written), naming the field and the kind of secret, never the text. And every problem about the file is
scrubbed before anyone sees it: a message quotes a value only if it cannot be a secret, and never one under
a key that sounds secret (`is_secret_path`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import NamedTuple

from compiler.errors import Problem
from compiler.formats.strict_yaml import LoadedYaml
from compiler.formats.yaml_walk import Path
from compiler.secrets.shapes import find_shapes, mask_secrets, scrub_message, secret_word, shape_reason

_ADVICE = (
    "ssot/env.yaml is committed and published with the docs: remove it, rotate it if it was ever pushed, "
    "and set a secret another way (a sensitive variable, TF_VAR_<name> from CI)"
)


class SecretHit(NamedTuple):
    """A secret found in the file: the problem to report, and the field it is in (None: a comment)."""

    problem: Problem
    path: Path | None
    key: bool = False


class _Leaf(NamedTuple):
    """A key or a text value of the YAML, where it is written (one per key and value: a tuple is made
    faster than a frozen dataclass)."""

    path: Path
    key: bool
    text: str
    line: int
    col: int


def find_secrets(text: str, filename: str, loaded: LoadedYaml | None) -> list[SecretHit]:
    """Every token shape in the file, one problem per field (or comment) it is in, by position.

    `loaded` (None when the YAML cannot be read) tells which field a match is in, and finds a secret
    written with escapes (`"gh\\x70_..."`) that the text itself does not show.
    """
    leaves = list(_leaves(loaded)) if loaded is not None else []
    hits: list[SecretHit] = []
    seen: set[tuple[Path | None, bool, int]] = set()
    matches = find_shapes(text)
    if matches:  # placed by position: the fields in the order they are written (most files have no match)
        leaves.sort(key=lambda leaf: (leaf.line, leaf.col))
    starts = [(leaf.line, leaf.col) for leaf in leaves] if matches else []
    newlines = [found.start() for found in re.finditer("\n", text)] if matches else []
    for match in matches:
        line = bisect.bisect_left(newlines, match.start) + 1
        col = match.start - (newlines[line - 2] + 1 if line > 1 else 0) + 1
        needle = text[match.start : match.end].split("\n", 1)[0]
        # the field is the last one written before the match, if the match is part of it
        before = bisect.bisect_right(starts, (line, col)) - 1
        leaf = leaves[before] if before >= 0 and needle in leaves[before].text else None
        path, key = (leaf.path, leaf.key) if leaf is not None else (None, False)
        if (path, key, line) not in seen:
            seen.add((path, key, line))
            hits.append(SecretHit(Problem(filename, line, col, _message(match.reason, leaf)), path, key))
    found = {(hit.path, hit.key) for hit in hits}
    shaped = [
        (leaf, reason)
        for leaf in leaves
        if (leaf.path, leaf.key) not in found and (reason := shape_reason(leaf.text)) is not None
    ]
    shaped.sort(key=lambda hit: (hit[0].line, hit[0].col))  # by position, as the leaves would be
    hits += [
        SecretHit(Problem(filename, leaf.line, leaf.col, _message(reason, leaf)), leaf.path, leaf.key)
        for leaf, reason in shaped
    ]
    return hits


def is_secret_path(path: Path) -> bool:
    """Whether the value at `path` sits under a key that sounds secret (`environments.prod.values.db_password`,
    `...values.db.admin_token`): no message quotes it, whatever YAML made of it (a number, a date, a boolean),
    for a password is not less of one for reading as a number."""
    return any(isinstance(part, str) and secret_word(part) is not None for part in path)


def scrub(problems: Iterable[Problem]) -> list[Problem]:
    """`problems` with every token shape and every password-like word masked (see `scrub_message`)."""
    return [replace(problem, message=scrub_message(problem.message)) for problem in problems]


def _message(reason: str, leaf: _Leaf | None) -> str:
    if leaf is None:
        where = "a comment"
    elif leaf.key:
        where = f"a key in {_dotted(leaf.path[:-1])}"
    else:
        where = f"the value of {_dotted(leaf.path)}"
    return f"{where} looks like a secret ({reason}); {_ADVICE}"


def _dotted(path: Path) -> str:
    return mask_secrets(".".join(str(part) for part in path)) or "the top level"


def _leaves(loaded: LoadedYaml) -> Iterator[_Leaf]:
    """Every mapping key and every text value of the data, at its position."""
    stack: list[tuple[Path, object]] = [((), loaded.data)]
    while stack:
        path, value = stack.pop()
        position = loaded.positions.get(path)
        if isinstance(value, str) and position is not None:
            yield _Leaf(path, False, value, position.line, position.col)
        elif isinstance(value, dict):
            for key, child in value.items():
                child_path = (*path, key)
                child_position = loaded.positions.get(child_path)
                if isinstance(key, str) and child_position is not None:
                    yield _Leaf(child_path, True, key, child_position.key_line, child_position.key_col)
                stack.append((child_path, child))
        elif isinstance(value, list):
            stack.extend(((*path, index), child) for index, child in enumerate(value))
