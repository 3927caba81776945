"""Load and validate: SSOT text -> a `Ssot` model, or every problem with its `file:line:col`."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from compiler.core.model import UNION_TAGS, Ssot
from compiler.core.repair import is_touched, repaired
from compiler.core.rules import check_rules
from compiler.core.rules.layout import check_layout
from compiler.errors import Problem, SsotError
from compiler.formats.strict_yaml import LoadedYaml, is_too_big, load_yaml
from compiler.formats.yaml_walk import Path, Position
from compiler.secrets.shapes import could_be_secret
from compiler.secrets.ssot import find_secrets, is_secret_path, scrub
from compiler.text import closest

#: a choice in pydantic's "Input should be 'a' or 'b'"
_QUOTED = re.compile(r"'([^']*)'")


def load_ssot(text: str, filename: str) -> Ssot:
    """Parse, validate and check the domain rules. Raises SsotError with all problems at once."""
    return load_ssot_located(text, filename)[0]


def load_ssot_located(text: str, filename: str) -> tuple[Ssot, dict[Path, Position]]:
    """`load_ssot`, and where each path (such as ("layers", "L3")) is written.

    Secret-shaped text anywhere in the file is a problem too; no problem's message quotes a value that
    could be a secret (compiler/secrets/ssot.py).
    """
    try:
        loaded = load_yaml(text, filename, hidden=is_secret_path)
    except SsotError as exc:
        # A file over the size cap is refused unread (a dump, the wrong file): scanning its megabytes for
        # secrets would cost seconds to add findings to a file the user must replace anyway.
        secrets = [] if is_too_big(text) else find_secrets(text, filename, None)
        raise SsotError(scrub([*exc.problems, *(hit.problem for hit in secrets)])) from None
    secrets = find_secrets(text, filename, loaded)
    problems = list(loaded.problems)
    if not isinstance(loaded.data, dict):
        problems.append(Problem(filename, 1, 1, "the top level must be a mapping (layers, environments, ...)"))
        raise SsotError(scrub([*problems, *(hit.problem for hit in secrets)]))
    touched: frozenset[Path] = frozenset()
    invalid = False  # the model is a repair of the file's data: nothing may be built from it
    try:
        ssot = Ssot.model_validate(loaded.data)
    except ValidationError as exc:
        problems += [_problem(loaded, e) for e in exc.errors() if not _explained(loaded, e)]
        # the rules speak too, on the data repaired as the user will most likely repair it
        built = repaired(loaded, exc.errors())
        if built is None:
            raise SsotError(scrub([*problems, *(hit.problem for hit in secrets)])) from None
        ssot, touched = built
        invalid = True
    for violation in [*check_rules(ssot), *check_layout(ssot)]:
        if is_touched(violation.path, touched):
            continue
        line, col = loaded.locate(violation.path, key=violation.at_key)
        problems.append(Problem(filename, line, col, violation.message))
    # The rules judge each environment's values themselves (secret-named or secret-shaped, with a message
    # naming the tfvars example it would reach): a value there is theirs to report.
    # (Unless the repair left the value out: then no rule saw it.)
    problems += [
        hit.problem
        for hit in secrets
        if hit.key or not _is_tfvars_value(hit.path) or (hit.path is not None and is_touched(hit.path, touched))
    ]
    if problems or invalid:
        raise SsotError(scrub(problems))
    return ssot, loaded.positions


def _is_tfvars_value(path: Path | None) -> bool:
    return path is not None and len(path) >= 4 and path[0] == "environments" and path[2] == "values"


def _explained(loaded: LoadedYaml, error: ErrorDetails) -> bool:
    """Whether the loader already reported what this error is about (`no`, a date, a key like `no:`)."""
    path = tuple(part for part in error["loc"] if part != "[key]" and part not in UNION_TAGS)
    # a key YAML read as a boolean or number shows in the location as that value
    if any(type(part) not in (str, int) for part in path):
        return True
    return any(path[:n] in loaded.explained for n in range(len(path) + 1))


def _problem(loaded: LoadedYaml, error: ErrorDetails) -> Problem:
    path: Path = tuple(part for part in error["loc"] if part != "[key]" and part not in UNION_TAGS)
    dotted = ".".join(str(p) for p in path) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        line, col = loaded.locate(path, key=True)
        message = f"unknown key {path[-1]!r} in {_dotted(path[:-1])}" + _suggestion(
            str(path[-1]), _allowed_keys(path[:-1])
        )
    elif kind == "too_short":
        line, col = loaded.locate(path)
        message = f"{dotted}: needs at least one item"
    elif kind == "missing":
        line, col = loaded.locate(path[:-1], key=True)
        message = f"{_dotted(path[:-1])}: missing required key {path[-1]!r}"
    else:
        line, col = loaded.locate(path)
        message = f"{dotted}: {error['msg']}"
        source = loaded.positions.get(path)
        hide = is_secret_path(path)  # a key that sounds secret: its value is not quoted, whatever it is
        if kind == "string_type" and source is not None and source.source is not None and not source.quoted:
            written = "it" if hide else repr(source.source)
            quote = "quote it" if hide else f'quote it ("{source.source}")'
            message += f"; YAML read {written} as {_yaml_kind(error['input'])}: {quote}"
        elif kind in ("string_type", "literal_error", "bool_type", "int_type", "float_type", "list_type", "dict_type"):
            found = (
                f"{_yaml_kind(error['input'])} (not shown: its key sounds secret)" if hide else _shown(error["input"])
            )
            message += f", found {found}"
            if kind == "literal_error":
                message += _choice_hint(error)
    return Problem(loaded.filename, line, col, message)


def _dotted(path: Path) -> str:
    return ".".join(str(p) for p in path) or "the top level"


def _allowed_keys(path: Path) -> list[str]:
    """The keys the model allows at `path` (a mapping in the YAML), for a did-you-mean hint."""
    model: type[BaseModel] | None = Ssot
    for part in path:
        if model is None:
            return []
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            continue  # a dict key (layer id, environment name): stay on the value model
        model = _model_in(field.annotation)
    return list(model.model_fields) if model is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _suggestion(word: str, allowed: list[str]) -> str:
    close = closest(word, allowed)
    if close:
        return f"; did you mean {close!r}?"
    return f"; allowed: {', '.join(allowed)}" if allowed else ""


def _choice_hint(error: ErrorDetails) -> str:
    """ "; did you mean 'atlantis'?" for a mistyped choice (`managed_by: atlantiss`)."""
    word = error["input"]
    choices = _QUOTED.findall(str((error.get("ctx") or {}).get("expected", "")))
    close = closest(word, choices) if isinstance(word, str) else None
    return f"; did you mean {close!r}?" if close else ""


def _yaml_kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else type(value).__name__


def _shown(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, str) and could_be_secret(value):
        return f"text of {len(value)} characters (not shown: it could be a secret)"
    return repr(value)
