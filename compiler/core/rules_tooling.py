"""Domain rules about the tools that apply a layer: Atlantis (project, workflow, version) and Terraform roots."""

from __future__ import annotations

import re
from collections.abc import Iterator

from compiler.core.model import Ssot
from compiler.core.violation import Violation, placeholders
from compiler.formats.yaml_walk import Path


def managed_by_rules(ssot: Ssot) -> Iterator[Violation]:
    yield from _fixed_settings(ssot)
    with_root = next((i for i, l in ssot.layers.items() if l.managed_by == "atlantis" and l.terraform_dirs), None)
    for layer_id, layer in ssot.layers.items():
        if layer.managed_by == "atlantis" and with_root is not None and not layer.terraform_dirs:
            # atlantis.yaml is written once a layer has a root; one without would silently get no project
            yield Violation(
                ("layers", layer_id, "managed_by"),
                f"layer {layer_id} is managed by atlantis but names no terraform_dir, while {with_root} does: "
                f"atlantis.yaml would have no project for {layer_id}; add its terraform_dir",
            )
        for field in ("atlantis_workflow", "terraform_version"):
            if layer.managed_by != "atlantis" and getattr(layer, field) is not None:
                yield Violation(
                    ("layers", layer_id, field),
                    f"layer {layer_id} is managed by {layer.managed_by}: {field} goes to atlantis.yaml only, "
                    "so it has none",
                )
        if layer.atlantis_workflow is not None:
            yield from placeholders(
                ("layers", layer_id, "atlantis_workflow"),
                "atlantis_workflow",
                layer.atlantis_workflow,
                layer_id,
                layer.scope,
                env_optional=True,
            )
        if layer.managed_by == "atlantis" and layer.atlantis_project is None:
            yield Violation(
                ("layers", layer_id, "managed_by"),
                f"layer {layer_id} is managed by atlantis but names no atlantis_project",
            )
        if layer.managed_by != "atlantis" and layer.atlantis_project is not None:
            yield Violation(
                ("layers", layer_id, "atlantis_project"),
                f"layer {layer_id} is managed by {layer.managed_by}, so it has no atlantis_project",
            )


def terraform_dir_rules(ssot: Ssot) -> Iterator[Violation]:
    """A terraform_dir is read by `ssot check`: it must stay inside the repository (no `/...`, no `..`), and
    only a per-env layer's may hold `{env}` (a per-env layer may still name one root for every environment)."""
    for layer_id, layer in ssot.layers.items():
        several = not isinstance(layer.terraform_dir, str)
        for index, directory in enumerate(layer.terraform_dirs):
            path: Path = ("layers", layer_id, "terraform_dir", *((index,) if several else ()))
            if directory.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", directory):
                yield Violation(
                    path,
                    f"terraform_dir {directory!r} leaves the repository; write a path relative to its top "
                    "(such as terraform/data)",
                )
            else:
                yield from placeholders(path, "terraform_dir", directory, layer_id, layer.scope, env_optional=True)


def _fixed_settings(ssot: Ssot) -> Iterator[Violation]:
    """The settings that are one value for every instance: a placeholder there would reach atlantis.yaml as
    written (a shared layer has no environment to fill it with)."""
    settings: list[tuple[Path, str | None]] = [
        (("layers", layer_id, "terraform_version"), layer.terraform_version) for layer_id, layer in ssot.layers.items()
    ]
    if ssot.atlantis is not None:
        settings += [
            (("atlantis", "workflow"), ssot.atlantis.workflow),
            (("atlantis", "terraform_version"), ssot.atlantis.terraform_version),
        ]
    for path, value in settings:
        if value is not None and "{" in value:
            yield Violation(
                path,
                f"{'.'.join(map(str, path[-2:]))} {value!r} holds a placeholder; only a layer's atlantis_workflow "
                "may hold {env}",
            )
