"""Compile (pure): a validated model -> the facts every renderer uses.

The env x layer matrix (namespace, workspace, Atlantis project, state key, var-file), the domains, and
each environment's tfvars values. Patterns are expanded in compiler/core/layers.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from compiler import codes
from compiler.core.env_values import Domains, domains_of, environment_values
from compiler.core.layers import LayerInstance, environment_title, layer_instances
from compiler.core.layout import DEFAULT_LAYOUT, Layout, TfvarsFiles
from compiler.core.layout_settings import layout_of, per_env_layer_ids, shared_values
from compiler.core.model import Environment, Ssot, TfvarsValue
from compiler.core.validate import load_ssot_located
from compiler.errors import SsotError
from compiler.formats.yaml_walk import Path, Position

__all__ = [
    "Domains",
    "EnvTfvarsFacts",
    "EnvironmentFacts",
    "Facts",
    "LayerInstance",
    "SharedTfvarsFacts",
    "compile_facts",
    "compile_text",
]


class EnvTfvarsFacts(NamedTuple):
    """One of an environment's tfvars files (a layout may have several per-env files, one per root)."""

    files: TfvarsFiles
    #: the file for this environment, and its generated example (None: the layout generates none)
    var_file: str
    example_file: str | None
    #: what it holds: the environment's tfvars values of the variables this file sets, in contract order
    tfvars: dict[str, TfvarsValue]


class EnvironmentFacts(NamedTuple):
    name: str
    title: str
    environment: Environment
    #: its domains (None: its values give no base_domain, as in a repository without domains)
    domains: Domains | None
    #: the per-env layer instances of this environment, in layer order
    layers: tuple[LayerInstance, ...]
    #: its values of the contract's variables a tfvars file may hold: non-sensitive, in contract order, but
    #: those a shared tfvars file sets (its tfvars files hold them, or no file when the layout has none)
    tfvars: dict[str, TfvarsValue]
    #: its (first) tfvars file and that file's generated example (None: the layout has no per-env file,
    #: or generates no example)
    var_file: str | None
    example_file: str | None
    #: each of its tfvars files (one per per-env file of the layout), with what it holds
    tfvars_files: tuple[EnvTfvarsFacts, ...] = ()
    #: where each of its values is written in ssot/env.yaml, by variable name
    sources: Mapping[str, Path] = MappingProxyType({})


class SharedTfvarsFacts(NamedTuple):
    """A tfvars file every environment shares (such as the bootstrap layer's), and what it holds."""

    files: TfvarsFiles
    #: its values, non-sensitive contract variables in contract order
    tfvars: dict[str, TfvarsValue]


class Facts(NamedTuple):
    ssot: Ssot
    shared: tuple[LayerInstance, ...]
    environments: tuple[EnvironmentFacts, ...]
    #: where the repository keeps its files (the `layout:` section, defaults filled in)
    layout: Layout = DEFAULT_LAYOUT
    #: the shared tfvars files of the layout, with their values
    shared_tfvars: tuple[SharedTfvarsFacts, ...] = ()
    #: where each path of ssot/env.yaml is written: for findings that say where a fact lives. Never for
    #: rendering: an artifact that showed a line number would change with every comment added above it.
    positions: Mapping[Path, Position] = MappingProxyType({})

    def line_of(self, *path: str | int) -> int:
        """The line of `path`'s key in ssot/env.yaml, or of its nearest written ancestor's (1 if none)."""
        found = self.written(path)
        return self.positions[found].key_line if found in self.positions else 1

    def locate(self, path: Path) -> tuple[Path, int, int]:
        """Where `path`'s value is written: (the path written, line, column), the nearest written ancestor
        for a path left to its default, its key for a mapping or a list; ((), 1, 1) if nothing is."""
        found = self.written(path)
        position = self.positions.get(found)
        if position is None:
            return ((), 1, 1)
        if position.source is None and found:  # a mapping or list: where its key is written
            return (found, position.key_line, position.key_col)
        return (found, position.line, position.col)

    def written(self, path: Path) -> Path:
        """`path`, or its nearest ancestor written in ssot/env.yaml."""
        while path and path not in self.positions:
            path = path[:-1]
        return path


def compile_facts(ssot: Ssot, positions: Mapping[Path, Position] | None = None) -> Facts:
    layout = layout_of(ssot.layout, per_env_layer_ids(ssot.layers))
    instances = list(layer_instances(ssot, layout))
    by_env: dict[str | None, list[LayerInstance]] = {}
    for instance in instances:  # grouped once: looking them up per environment would be quadratic
        by_env.setdefault(instance.env, []).append(instance)
    by_shared_file = shared_values(ssot.layout)
    elsewhere = {name for values in by_shared_file.values() for name in values}
    environments = []
    first_file = layout.per_env_tfvars
    for name, env in ssot.environments.items():
        values = environment_values(ssot, name, env)
        tfvars: dict[str, TfvarsValue] = {
            var_name: values[var_name].value
            for var_name, variable in ssot.variables.items()
            if not variable.sensitive and var_name not in elsewhere and var_name in values
        }
        environments.append(
            EnvironmentFacts(
                name=name,
                title=environment_title(name, env),
                environment=env,
                domains=domains_of(values),
                layers=tuple(by_env.get(name, ())),
                tfvars=tfvars,
                var_file=None if first_file is None else first_file.var_file(name),
                example_file=None if first_file is None else first_file.example_file(name),
                tfvars_files=tuple(
                    EnvTfvarsFacts(
                        files,
                        files.var_file(name),
                        files.example_file(name),
                        {n: v for n, v in tfvars.items() if files.variables is None or n in files.variables},
                    )
                    for files in layout.per_env_tfvars_files
                ),
                sources={var_name: value.path for var_name, value in values.items()},
            )
        )
    shared_tfvars = tuple(
        SharedTfvarsFacts(
            files, {n: by_shared_file[files.file][n] for n in ssot.variables if n in by_shared_file[files.file]}
        )
        for files in layout.shared_tfvars
    )
    return Facts(
        ssot=ssot,
        shared=tuple(by_env.get(None, ())),
        environments=tuple(environments),
        layout=layout,
        shared_tfvars=shared_tfvars,
        positions=positions or {},
    )


def compile_text(text: str, filename: str) -> Facts:
    """SSOT text -> facts: load, validate, compile. Raises SsotError (invalid-ssot) with every problem."""
    try:
        return compile_facts(*load_ssot_located(text, filename))
    except SsotError as exc:
        raise SsotError(exc.problems, code=codes.INVALID_SSOT) from None
