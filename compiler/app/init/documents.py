"""Parsing what `ssot init` reads (pure): a YAML document as plain data, tolerant of tags other tools use,
under the SSOT's budgets; and `OverBudget`, which stops init where a merely unparsable file is listed.
"""

from __future__ import annotations

from typing import Any

import yaml

from compiler.errors import Problem, SsotError
from compiler.formats.strict_yaml import over_budget


class _TolerantLoader(yaml.SafeLoader):
    """safe_load that reads a tag it does not know (mkdocs.yml's `!ENV`, `!!python/name:`) as null."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


class OverBudget(Exception):
    """A file past the SSOT's budgets: init stops (exit 2), where an unparsable file is listed for review."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


def parse_yaml(text: str, filename: str) -> Any:
    """A YAML document as plain data (unknown tags read as null). Raises SsotError, or OverBudget first."""
    over = over_budget(text, filename)
    if over is not None:
        raise OverBudget([over])
    try:
        return yaml.load(text, Loader=_TolerantLoader)  # a SafeLoader subclass: builds plain data only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SsotError([Problem(filename, mark.line + 1 if mark else 0, 0, "not valid YAML")]) from None
    except (RecursionError, ValueError, OverflowError) as exc:  # a date or number YAML types but cannot build
        raise SsotError([Problem(filename, 0, 0, f"cannot be read: {type(exc).__name__}")]) from None
