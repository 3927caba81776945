"""Compile (pure): a validated model -> the facts every renderer uses.

The env x layer matrix (namespace, workspace, Atlantis project, state key, var-file), the domains, and
each environment's tfvars values. Patterns are expanded here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from compiler.model import ENV_PLACEHOLDER, Environment, Layer, Ssot, TfvarsValue


@dataclass(frozen=True)
class LayerInstance:
    """A layer as it exists once: shared layers once (env None), per-env layers once per environment."""

    layer_id: str
    layer: Layer
    env: str | None
    namespace: str | None
    workspace: str
    atlantis_project: str | None
    state_key: str
    var_file: str | None


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


def var_file(env: str) -> str:
    return f"envs/{env}.tfvars"


def example_file(env: str) -> str:
    return f"envs/{env}.tfvars.example"


def expand(pattern: str, env: str) -> str:
    return pattern.replace(ENV_PLACEHOLDER, env)


def display_pattern(pattern: str) -> str:
    """`data-{env}` as people write it in prose: `data-<env>`."""
    return pattern.replace(ENV_PLACEHOLDER, "<env>")


def environment_title(name: str, env: Environment) -> str:
    return env.title or name.capitalize()


def layer_instances(ssot: Ssot) -> Iterator[LayerInstance]:
    """Every layer instance: shared layers first, in layer order; then per environment, in layer order."""
    for layer_id, layer in ssot.layers.items():
        if layer.scope == "shared":
            yield _instance(layer_id, layer, None)
    for env in ssot.environments:
        for layer_id, layer in ssot.layers.items():
            if layer.scope == "per-env":
                yield _instance(layer_id, layer, env)


def _instance(layer_id: str, layer: Layer, env: str | None) -> LayerInstance:
    slug = layer.name.lower().replace(" ", "-")
    if env is None:
        workspace = layer.workspace or "default"
        state_key = layer.state_key or f"{slug}/terraform.tfstate"
    else:
        workspace = layer.workspace or ENV_PLACEHOLDER
        state_key = layer.state_key or f"{slug}/{ENV_PLACEHOLDER}/terraform.tfstate"

    def fill(pattern: str | None) -> str | None:
        return None if pattern is None else (pattern if env is None else expand(pattern, env))

    return LayerInstance(
        layer_id=layer_id,
        layer=layer,
        env=env,
        namespace=fill(layer.namespace),
        workspace=fill(workspace) or workspace,
        atlantis_project=fill(layer.atlantis_project),
        state_key=fill(state_key) or state_key,
        var_file=None if env is None else var_file(env),
    )


def compile_facts(ssot: Ssot, source_lines: Mapping[tuple[str | int, ...], int] | None = None) -> Facts:
    instances = list(layer_instances(ssot))
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
                layers=tuple(i for i in instances if i.env == name),
                tfvars=tfvars,
            )
        )
    return Facts(
        ssot=ssot,
        shared=tuple(i for i in instances if i.env is None),
        environments=tuple(environments),
        source_lines=source_lines or {},
    )
