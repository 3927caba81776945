"""The domains the docs pages show: only for environments whose values give `base_domain`.

Domains are conventions over the contract's values (compiler/core/env_values.py): business host names
live on `base_domain`, under `env_prefix` when environments have one; platform host names live on
`internal_domain` when they have one, else on `base_domain`. A repository without domains gets no
Domains section and no domain column; one with only `base_domain` gets one column of domains, not a
business/platform split it never made.
"""

from __future__ import annotations

from typing import NamedTuple

from compiler.core.facts import Domains, EnvironmentFacts, Facts
from compiler.formats.yaml_walk import Path
from compiler.render.markdown import code, inline, render_table
from compiler.render.trace import sourced


class Shape(NamedTuple):
    """Which domain values the environments give (any of them): what the tables have columns for."""

    prefix: bool
    internal: bool

    @property
    def split(self) -> bool:
        """Whether business and platform domains are told apart (else one column: the domains)."""
        return self.prefix or self.internal


def shape_of(environments: tuple[EnvironmentFacts, ...] | list[EnvironmentFacts]) -> Shape | None:
    """The shape of the environments' domains; None when no environment has any."""
    domains = [env.domains for env in environments if env.domains is not None]
    if not domains:
        return None
    return Shape(
        prefix=any(d.env_prefix is not None for d in domains), internal=any(d.internal is not None for d in domains)
    )


def _source(env: EnvironmentFacts, domains: Domains, *names: str) -> Path:
    """Where the first of `names` that the environment gives is written (base_domain at the latest)."""
    return next((domains.sources[n] for n in names if n in domains.sources), domains.sources["base_domain"])


def business(env: EnvironmentFacts, domains: Domains) -> str:
    return sourced(code(domains.business), *_source(env, domains, "env_prefix", "base_domain"))


def platform(env: EnvironmentFacts, domains: Domains) -> str:
    return sourced(code(domains.platform), *_source(env, domains, "internal_domain", "base_domain"))


def _value(env: EnvironmentFacts, domains: Domains, name: str, value: str | None) -> str:
    if value is None:
        return "-"
    return sourced(code(value) if value else "(empty)", *_source(env, domains, name))


def domains_intro(facts: Facts, shape: Shape) -> str:
    """What the Domains section of the environment model page says about how domains are built."""
    internal = facts.ssot.variables.get("internal_domain")
    defaults = (
        " (which defaults to `base_domain`)" if internal is None or internal.default_from == "base_domain" else ""
    )
    if shape.prefix and shape.internal:
        return (
            "Business domains carry the environment's `env_prefix`; platform domains never do and live on\n"
            f"`internal_domain`{defaults}.\n"
        )
    if shape.prefix:
        return "Business domains carry the environment's `env_prefix`; platform domains never do and live on `base_domain`.\n"
    if shape.internal:
        return "Business domains live on `base_domain`; platform domains live on `internal_domain`.\n"
    return "Each environment's host names live on its `base_domain`.\n"


def render_domains_table(facts: Facts, shape: Shape) -> str:
    """One row per environment with domains: what they are built from, and the domains."""
    header = ["Environment", "base_domain"]
    header += (
        ["env_prefix", "Business domains"] if shape.prefix else ["Business domains"] if shape.split else ["Domains"]
    )
    header += ["internal_domain"] if shape.internal else []
    header += ["Platform domains"] if shape.split else []
    rows = []
    for env in facts.environments:
        if (d := env.domains) is None:
            continue
        row = [sourced(inline(env.title), "environments", env.name), _value(env, d, "base_domain", d.base)]
        row += [_value(env, d, "env_prefix", d.env_prefix)] if shape.prefix else []
        row.append(sourced(code(f"*.{d.business}"), *_source(env, d, "env_prefix", "base_domain")))
        row += [_value(env, d, "internal_domain", d.internal)] if shape.internal else []
        row += (
            [sourced(code(f"*.{d.platform}"), *_source(env, d, "internal_domain", "base_domain"))]
            if shape.split
            else []
        )
        rows.append(row)
    return render_table(header, rows)


def environment_domain_columns(shape: Shape | None) -> list[str]:
    """The domain columns of the Environments table."""
    if shape is None:
        return []
    return ["Business domain", "Platform domain"] if shape.split else ["Domain"]


def environment_domain_cells(env: EnvironmentFacts, shape: Shape | None) -> list[str]:
    if shape is None:
        return []
    if env.domains is None:
        return ["-", "-"] if shape.split else ["-"]
    cells = [business(env, env.domains)]
    return [*cells, platform(env, env.domains)] if shape.split else cells


def render_environment_domains(env: EnvironmentFacts) -> str:
    """An environment page's Domains section ("" without domains): each kind, and what it is built from."""
    d = env.domains
    if d is None:
        return ""
    base = f"base_domain {_value(env, d, 'base_domain', d.base)}"
    rows = []
    if d.env_prefix is not None or d.internal is not None:
        prefix = f"env_prefix {_value(env, d, 'env_prefix', d.env_prefix)} + " if d.env_prefix is not None else ""
        internal = (
            f"internal_domain {_value(env, d, 'internal_domain', d.internal)}" if d.internal is not None else base
        )
        rows.append(
            ["Business", sourced(code(f"*.{d.business}"), *_source(env, d, "env_prefix", "base_domain")), prefix + base]
        )
        rows.append(
            ["Platform", sourced(code(f"*.{d.platform}"), *_source(env, d, "internal_domain", "base_domain")), internal]
        )
    else:
        rows.append(["All", sourced(code(f"*.{d.business}"), *_source(env, d, "base_domain")), base])
    return "## Domains\n\n" + render_table(["Kind", "Domain", "Built from"], rows)
