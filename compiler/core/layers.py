"""Layer patterns expanded (pure): every layer instance, shared once and per-env once per environment.

Both the domain rules (names produced twice) and the compiled facts use this; patterns are expanded here
and nowhere else.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

from compiler.core.layout import Layout
from compiler.core.layout_settings import layout_of, per_env_layer_ids
from compiler.core.model import ENV_PLACEHOLDER, Environment, Layer, Ssot


class LayerInstance(NamedTuple):
    """A layer as it exists once: shared layers once (env None), per-env layers once per environment."""

    layer_id: str
    layer: Layer
    env: str | None
    namespace: str | None
    workspace: str
    atlantis_project: str | None
    state_key: str
    var_file: str | None
    #: Atlantis' workflow and Terraform version for it (the layer's, else the SSOT's default); None: unset
    workflow: str | None = None
    terraform_version: str | None = None
    #: its project in digger.yml (a digger-managed layer's)
    digger_project: str | None = None


def expand(pattern: str, env: str) -> str:
    return pattern.replace(ENV_PLACEHOLDER, env)


def display_pattern(pattern: str) -> str:
    """`data-{env}` as people write it in prose: `data-<env>`."""
    return pattern.replace(ENV_PLACEHOLDER, "<env>")


#: An order prefix on a layer id (`1.`, `01-`, `1_`): it sorts directories and says nothing about the layer.
_ORDER_PREFIX = re.compile(r"^\d+[._-]")
_SEPARATORS = re.compile(r"[\s_-]+")


def layer_label(layer_id: str, layer: Layer) -> str:
    """How a layer is named in prose, headings and the diagram: `L1 Bootstrap`, or `Bootstrap` alone when
    the id only repeats the name (`bootstrap`, `1.bootstrap`, `01-bootstrap`), as a repository that names
    its layers by directory does. Plain text: Markdown callers pass it through `inline`."""
    return _label(layer_id, layer.name)


@functools.lru_cache(maxsize=1024)
def _label(layer_id: str, name: str) -> str:
    """`layer_label` of a layer called `name` (asked for each instance, on each page: a few layers' worth)."""
    unordered = _ORDER_PREFIX.sub("", layer_id, count=1)
    return name if _same_words(unordered, name) else f"{layer_id} {name}"


def _same_words(a: str, b: str) -> bool:
    """Equal ignoring case and how words are separated (`cluster-addons` is `Cluster Addons`)."""
    return _SEPARATORS.sub(" ", a).strip().casefold() == _SEPARATORS.sub(" ", b).strip().casefold()


def environment_title(name: str, env: Environment) -> str:
    return env.title or name.capitalize()


def layer_instances(ssot: Ssot, layout: Layout | None = None) -> Iterator[LayerInstance]:
    """Every layer instance: shared layers first, in layer order; then per environment, in layer order."""
    layout = layout or layout_of(ssot.layout, per_env_layer_ids(ssot.layers))
    for layer_id, layer in ssot.layers.items():
        if layer.scope == "shared":
            yield _instance(ssot, layer_id, layer, None, layout)
    # each per-env layer's instance with its patterns as they are ({env} in place): the same for every
    # environment, made once; an environment's instance only fills its name in
    patterns = [
        _instance(ssot, layer_id, layer, ENV_PLACEHOLDER, layout)
        for layer_id, layer in ssot.layers.items()
        if layer.scope == "per-env"
    ]
    for env in ssot.environments:
        for pattern in patterns:
            yield _filled(pattern, env)


def _filled(pattern: LayerInstance, env: str) -> LayerInstance:
    """A per-env layer's instance in `env`, from its instance in ENV_PLACEHOLDER (patterns unexpanded)."""

    def fill(text: str | None) -> str | None:
        return None if text is None else expand(text, env)

    return LayerInstance(
        layer_id=pattern.layer_id,
        layer=pattern.layer,
        env=env,
        namespace=fill(pattern.namespace),
        workspace=expand(pattern.workspace, env),
        atlantis_project=fill(pattern.atlantis_project),
        state_key=expand(pattern.state_key, env),
        var_file=fill(pattern.var_file),
        workflow=fill(pattern.workflow),
        terraform_version=pattern.terraform_version,
        digger_project=fill(pattern.digger_project),
    )


def _instance(ssot: Ssot, layer_id: str, layer: Layer, env: str | None, layout: Layout) -> LayerInstance:
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
        var_file=None if (fed_by := layout.feeding(layer_id)) is None else fed_by.var_file(env),
        workflow=fill(layer.atlantis_workflow or (ssot.atlantis.workflow if ssot.atlantis else None)),
        terraform_version=layer.terraform_version or (ssot.atlantis.terraform_version if ssot.atlantis else None),
        digger_project=fill(layer.digger_project),
    )
