"""Which tfvars files feed which layers (pure): a per-env file inside a per-env layer's directory
(`infra/environments/<env>/terraform.tfvars`, `terraform/data/<env>.tfvars`) feeds that layer; the one
outside every layer's directory (`envs/<env>.tfvars`, the default layout) feeds the other per-env layers.
A repository with neither has no tfvars at all: `layout: {tfvars: []}`."""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from compiler.app.init.evidence import generalise
from compiler.app.init.inputs import Inputs
from compiler.app.init.layers import DraftLayer
from compiler.core.layout import EXAMPLE_FILE, NOT_TFVARS, VAR_FILE
from compiler.core.model import ENV_PLACEHOLDER

_EXAMPLE = ".example"


@dataclass(frozen=True)
class FedBy:
    """A per-env tfvars file pattern, its committed example (if the repository has one), the layers it feeds."""

    file: str
    example: str | None
    #: indexes into the drafted layers
    feeds: tuple[int, ...]
    #: git tracks the real file of every environment: the team's configuration (`committed: true`)
    committed: bool = False

    @property
    def is_default(self) -> bool:
        return (self.file, self.example) == (VAR_FILE, EXAMPLE_FILE)


def tfvars_files(inputs: Inputs, layers: Sequence[DraftLayer], envs: Sequence[str], review: list[str]) -> list[FedBy]:
    """The per-env tfvars files and what each feeds."""
    patterns = _per_env_patterns(inputs, envs)
    tracked = {file.path for file in inputs.tfvars if file.tracked}

    def committed(pattern: str) -> bool:
        return all(pattern.replace(ENV_PLACEHOLDER, env) in tracked for env in envs)

    per_env = [index for index, layer in enumerate(layers) if layer.per_env]
    found: list[FedBy] = []
    fed: set[int] = set()
    outside: list[str] = []
    # the file Terraform loads by itself, or the one named after the environment, before any other
    likely = (f"{ENV_PLACEHOLDER}.tfvars", "terraform.tfvars")
    for pattern, has_example in sorted(patterns.items(), key=lambda item: posixpath.basename(item[0]) not in likely):
        inside = [i for i, layer in enumerate(layers) if pattern.startswith(f"{layer.directory}/")]
        feeds = tuple(i for i in inside if i in per_env and i not in fed)
        if feeds:
            fed.update(feeds)
            found.append(FedBy(pattern, pattern + _EXAMPLE if has_example else None, feeds, committed(pattern)))
        elif inside:  # a second file of a layer that reads one already, or a shared layer's
            review.append(
                f"{pattern.replace(ENV_PLACEHOLDER, '<env>')}: which layers read it? Add it under layout.tfvars"
            )
        else:
            outside.append(pattern)
    # one file outside the layers' directories (envs/{env}.tfvars, vars/{env}.tfvars) feeds the per-env
    # layers no file of their own feeds, as -var-file=../../envs/<env>.tfvars does; several: which is whose?
    unfed = tuple(i for i in per_env if i not in fed)
    if len(outside) == 1 and unfed:
        example = outside[0] + _EXAMPLE if patterns[outside[0]] else None
        found.insert(0, FedBy(outside[0], example, unfed, committed(outside[0])))
    elif outside:
        review += [
            f"{p.replace(ENV_PLACEHOLDER, '<env>')}: which layers read it? Add it under layout.tfvars" for p in outside
        ]
    unfed = tuple(i for i in per_env if not any(i in fed_by.feeds for fed_by in found))
    if len(found) > 1 and unfed:
        # the model lets a per-env layer read no file only when there is one per-env file: keep the first
        names = ", ".join(f"L{i + 1}" for i in unfed)
        review += [
            f"{f.file.replace(ENV_PLACEHOLDER, '<env>')} feeds {', '.join(f'L{i + 1}' for i in f.feeds)}, left out: "
            f"with several per-env files every per-env layer must read one, and {names} read none"
            for f in found[1:]
        ]
        found = found[:1]
    for path in _shared_files(inputs, layers, envs):
        review.append(f"{path}: a tfvars file of a shared layer; add it under layout.tfvars if the contract owns it")
    return found


def _per_env_patterns(inputs: Inputs, envs: Sequence[str]) -> dict[str, bool]:
    """tfvars path patterns with `{env}` that exist for every environment (envs/{env}.tfvars, the usual
    place, for any) -> whether examples exist too."""
    seen: dict[str, set[str]] = {}
    examples: set[str] = set()
    for file in inputs.tfvars:
        real = file.path.removesuffix(_EXAMPLE)
        if any(fnmatch.fnmatchcase(posixpath.basename(real), glob) for glob in NOT_TFVARS):
            continue  # a backend config or a template beside the tfvars: no environment's
        for env in envs:
            pattern = generalise(real, env)
            if pattern != real:
                seen.setdefault(pattern, set()).add(env)
                if file.path.endswith(_EXAMPLE):
                    examples.add(pattern)
                break
    return {
        pattern: pattern in examples for pattern, found in seen.items() if found == set(envs) or pattern == VAR_FILE
    }


def _shared_files(inputs: Inputs, layers: Sequence[DraftLayer], envs: Sequence[str]) -> list[str]:
    shared_roots = {layer.directory for layer in layers if not layer.per_env}
    return [
        file.path
        for file in inputs.tfvars
        if file.path.rpartition("/")[0] in shared_roots and all(generalise(file.path, e) == file.path for e in envs)
    ]


def file_values(inputs: Inputs, fed_by: FedBy, env: str) -> Mapping[str, Any]:
    """The values one environment's file states: its example's, else the real file's (when git tracks it)."""
    by_path = {file.path: file.values for file in inputs.tfvars}
    if fed_by.example is not None and (values := by_path.get(fed_by.example.replace(ENV_PLACEHOLDER, env))):
        return values
    return by_path.get(fed_by.file.replace(ENV_PLACEHOLDER, env), {})
