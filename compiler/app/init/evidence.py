"""Small pieces of evidence `ssot init` weighs (pure): the namespace a layer's Terraform names, a value
every project agrees on, an environment's name inside a path or a project's name. Each is drafted only
on evidence; without it, the draft leaves the field out and says so."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import TypeVar

from compiler.core.rules import DNS_LABEL

T = TypeVar("T")

#: How Terraform spells the environment inside a string: `data-${var.environment}`, `${terraform.workspace}`.
_ENV_INTERPOLATION = re.compile(r"\$\{\s*(?:var\.(?:environment|env)|terraform\.workspace)\s*\}")
_PER_ENV_NAMESPACE = re.compile(r"[a-z0-9-]*\{env\}[a-z0-9-]*")


def namespace_of(strings: Iterable[str], per_env: bool) -> str | None:
    """The namespace pattern the strings assigned to `namespace` in a layer's Terraform agree on, if any:
    `data-${var.environment}` is `data-{env}` for a per-env layer; a plain DNS label for a shared one."""
    found = set()
    for text in strings:
        pattern = _ENV_INTERPOLATION.sub("{env}", text)
        if per_env:
            fits = _PER_ENV_NAMESPACE.fullmatch(pattern) is not None and len(pattern) <= 58
        else:
            fits = "$" not in pattern and DNS_LABEL.fullmatch(pattern) is not None
        if fits:
            found.add(pattern)
    return found.pop() if len(found) == 1 else None


def agreed(values: Iterable[str | None]) -> str | None:
    """The one value every item has (None if they differ, or none has one)."""
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None


def only(items: Collection[T]) -> T | None:
    """The one item of `items`, or None if there are none or several."""
    return next(iter(items)) if len(items) == 1 else None


def generalise(text: str, env: str) -> str:
    """`text` with the environment's name, where it stands as a word (data-staging, envs/staging), as {env}."""
    return re.sub(rf"(?<![A-Za-z0-9]){re.escape(env)}(?![A-Za-z0-9])", "{env}", text)
