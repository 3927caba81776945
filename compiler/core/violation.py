"""A domain rule's verdict, and the one placeholder rule every pattern follows (compiler/core/rules/__init__.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from compiler.core.model import ENV_PLACEHOLDER, Variable
from compiler.core.values import matches_type, type_name
from compiler.formats.yaml_walk import Path

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class Violation(NamedTuple):
    path: Path
    message: str
    #: point at the key rather than the value (the key itself is what is wrong)
    at_key: bool = False


def placeholders(
    path: Path, field: str, value: str, layer_id: str, scope: str, *, env_optional: bool = False
) -> Iterator[Violation]:
    """`{env}` is the only placeholder; a per-env layer's pattern holds it (unless `env_optional`), a
    shared layer's never does."""
    unknown = sorted({p for p in _PLACEHOLDER.findall(value) if p != "env"})
    if unknown:
        yield Violation(
            path, f"{field} {value!r} uses unknown placeholder {{{unknown[0]}}}; only {ENV_PLACEHOLDER} exists"
        )
    elif scope == "per-env" and not env_optional and ENV_PLACEHOLDER not in value:
        yield Violation(
            path,
            f"{field} {value!r} of per-env layer {layer_id} must contain {ENV_PLACEHOLDER}, "
            "or every environment gets the same one"
            + {
                "workspace": f" (unless its terraform_dir holds {ENV_PLACEHOLDER}: one directory per environment)",
                "state_key": f" (unless its workspace or its terraform_dir holds {ENV_PLACEHOLDER}: one state each)",
            }.get(field, ""),
        )
    elif scope == "shared" and ENV_PLACEHOLDER in value:
        yield Violation(
            path,
            f"{field} {value!r} of shared layer {layer_id} must not contain {ENV_PLACEHOLDER}: "
            "a shared layer is a singleton",
        )


def tfvars_value(where: Path, name: str, value: object, declared: Variable | None) -> Violation | None:
    """What is wrong with a value ssot/env.yaml gives a tfvars variable (an environment's, or a shared
    file's): undeclared, a secret, or not of its declared type; None when it may be written."""
    if declared is None:
        return Violation(where, f"{name!r} is not a declared variable; declare it under variables first", at_key=True)
    if declared.sensitive:
        return Violation(
            where,
            f"variable {name!r} is sensitive and must not have a value in any tfvars; "
            "inject it another way (TF_VAR_ from CI)",
            at_key=True,
        )
    if value is None and declared.type == "string":
        return Violation(where, f'{name!r} is declared as string, but YAML read its empty value as null: quote it ("")')
    if not matches_type(value, declared.type):
        return Violation(where, f"{name!r} is declared as {declared.type}, but its value is {type_name(value)}")
    return None
