"""Compile (pure): a validated model -> the facts every renderer uses.

The env x layer matrix (namespace, workspace, Atlantis project, state key, var-file), the domains, and
each environment's tfvars values. Patterns are expanded in compiler/core/layers.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from compiler import codes
from compiler.core.layers import LayerInstance, environment_title, layer_instances
from compiler.core.layout import var_file
from compiler.core.model import Environment, Ssot, TfvarsValue
from compiler.core.validate import load_ssot_located
from compiler.errors import SsotError

__all__ = ["EnvironmentFacts", "Facts", "LayerInstance", "compile_facts", "compile_text"]


@dataclass(frozen=True)
class EnvironmentFacts:
    name: str
    title: str
    environment: Environment
    base_domain: str
    internal_domain: str
    env_prefix: str
    #: apex of business host names: env_prefix.base_domain, or base_domain when the prefix is empty
    business_domain: str
    #: apex of platform host names: always internal_domain, never prefixed
    platform_domain: str
    #: the per-env layer instances of this environment, in layer order
    layers: tuple[LayerInstance, ...]
    #: what envs/<name>.tfvars holds: non-sensitive variables in contract order
    tfvars: dict[str, TfvarsValue]

    @property
    def var_file(self) -> str:
        return var_file(self.name)


@dataclass(frozen=True)
class Facts:
    ssot: Ssot
    shared: tuple[LayerInstance, ...]
    environments: tuple[EnvironmentFacts, ...]
    #: where each path of ssot/env.yaml is written (its key's line), for "defined at" links
    source_lines: Mapping[tuple[str | int, ...], int] = field(default_factory=dict)

    def line_of(self, *path: str | int) -> int:
        """The line of `path` in ssot/env.yaml, or of its nearest written ancestor (1 if none)."""
        while path and path not in self.source_lines:
            path = path[:-1]
        return self.source_lines.get(path, 1)


def compile_facts(ssot: Ssot, source_lines: Mapping[tuple[str | int, ...], int] | None = None) -> Facts:
    instances = list(layer_instances(ssot))
    by_env: dict[str | None, list[LayerInstance]] = {}
    for instance in instances:  # grouped once: looking them up per environment would be quadratic
        by_env.setdefault(instance.env, []).append(instance)
    environments = []
    for name, env in ssot.environments.items():
        internal_domain = env.internal_domain or env.base_domain
        builtin: dict[str, TfvarsValue] = {
            "environment": name,
            "base_domain": env.base_domain,
            "internal_domain": internal_domain,
            "env_prefix": env.env_prefix,
        }
        tfvars: dict[str, TfvarsValue] = {}
        for var_name, variable in ssot.variables.items():
            if variable.sensitive:
                continue
            if var_name in builtin:
                tfvars[var_name] = builtin[var_name]
            elif var_name in env.values:
                tfvars[var_name] = env.values[var_name]
        environments.append(
            EnvironmentFacts(
                name=name,
                title=environment_title(name, env),
                environment=env,
                base_domain=env.base_domain,
                internal_domain=internal_domain,
                env_prefix=env.env_prefix,
                business_domain=f"{env.env_prefix}.{env.base_domain}" if env.env_prefix else env.base_domain,
                platform_domain=internal_domain,
                layers=tuple(by_env.get(name, ())),
                tfvars=tfvars,
            )
        )
    return Facts(
        ssot=ssot,
        shared=tuple(by_env.get(None, ())),
        environments=tuple(environments),
        source_lines=source_lines or {},
    )


def compile_text(text: str, filename: str) -> Facts:
    """SSOT text -> facts: load, validate, compile. Raises SsotError (invalid-ssot) with every problem."""
    try:
        return compile_facts(*load_ssot_located(text, filename))
    except SsotError as exc:
        raise SsotError(exc.problems, code=codes.INVALID_SSOT) from None
