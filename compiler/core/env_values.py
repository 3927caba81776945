"""An environment's values (pure): what each contract variable is for it, where that is written, and the
domains a repository's values describe.

An environment needs only its name. Everything else it has is a value of the repository's own contract,
written under `environments.<env>.values`; `environment` is the one value every environment has (its
name). Domains are conventions over contract variables, never required: an environment whose values give
`base_domain` has domains, shaped by `env_prefix` (business domains only) and `internal_domain` (platform
domains) when those have values. The older fields `environments.<env>.base_domain` / `env_prefix` /
`internal_domain` are still read, as they always were (internal_domain defaulting to base_domain).
"""

from __future__ import annotations

from typing import NamedTuple

from compiler.core.model import Environment, Ssot, TfvarsValue
from compiler.formats.yaml_walk import Path

#: The domain fields an environment may still carry itself (before they became contract values).
LEGACY_DOMAIN_FIELDS = ("base_domain", "internal_domain", "env_prefix")


class Value(NamedTuple):
    """A variable's value for one environment, and where ssot/env.yaml writes it."""

    value: TfvarsValue
    path: Path


class Domains(NamedTuple):
    """An environment's domains, from its values of base_domain, env_prefix and internal_domain."""

    base: str
    #: the business-domain prefix ("" when empty); None: the environment has no env_prefix value
    env_prefix: str | None
    #: the platform services' domain; None: the environment has no internal_domain value
    internal: str | None
    #: apex of business host names: env_prefix.base, or base when there is no (or an empty) prefix
    business: str
    #: apex of platform host names: internal, else base; never prefixed
    platform: str
    #: where each of base_domain, env_prefix, internal_domain is written (those it has)
    sources: dict[str, Path]


def environment_values(ssot: Ssot, name: str, env: Environment) -> dict[str, Value]:
    """Every value environment `name` has: `environment` (its name), its legacy domain fields, its
    `values`, then, for a contract variable it does not set, its default_from variable's value."""
    at: Path = ("environments", name)
    found: dict[str, Value] = {"environment": Value(name, at)}
    for field in LEGACY_DOMAIN_FIELDS:
        if (legacy := getattr(env, field)) is not None:
            found[field] = Value(legacy, (*at, field))
    for key, value in env.values.items():
        # a value set twice (field and values) is reported by the rules; the field wins, as it did
        found.setdefault(key, Value(value, (*at, "values", key)))
    if env.base_domain is not None:  # as it always was: internal_domain defaults to the base_domain field
        found.setdefault("internal_domain", found["base_domain"])
    for variable in ssot.variables:
        _defaulted(ssot, variable, found, set())
    return found


def _defaulted(ssot: Ssot, name: str, found: dict[str, Value], seen: set[str]) -> Value | None:
    """`name`'s value: its own, else its default_from variable's (followed along a chain, never round)."""
    if name in found:
        return found[name]
    variable = ssot.variables.get(name)
    if variable is None or variable.default_from is None or name in seen:
        return None
    value = _defaulted(ssot, variable.default_from, found, seen | {name})
    if value is not None:
        found[name] = value
    return value


def domains_of(values: dict[str, Value]) -> Domains | None:
    """The domains `values` describe: None without a text base_domain (a repository without domains)."""
    base = _text(values, "base_domain")
    if base is None:
        return None
    prefix = _text(values, "env_prefix")
    internal = _text(values, "internal_domain")
    return Domains(
        base=base,
        env_prefix=prefix,
        internal=internal,
        business=f"{prefix}.{base}" if prefix else base,
        platform=internal or base,
        sources={n: values[n].path for n in LEGACY_DOMAIN_FIELDS if _text(values, n) is not None},
    )


def _text(values: dict[str, Value], name: str) -> str | None:
    found = values.get(name)
    return found.value if found is not None and isinstance(found.value, str) else None
