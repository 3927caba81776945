"""Domain rules about the tools that apply a layer: Atlantis (project, workflow, version), Digger (project) and
Terraform roots."""

from __future__ import annotations

import re
from collections.abc import Iterator

from compiler.core.model import Ssot
from compiler.core.violation import Violation, placeholders
from compiler.formats.yaml_walk import Path

#: Each orchestrator whose file `ssot build` writes, and the field that names a layer's project in it.
_PROJECT_FIELDS = {"atlantis": "atlantis_project", "digger": "digger_project"}
_FILES = {"atlantis": "atlantis.yaml", "digger": "digger.yml"}


def managed_by_rules(ssot: Ssot) -> Iterator[Violation]:
    yield from _fixed_settings(ssot)
    for tool, project in _PROJECT_FIELDS.items():
        yield from _projects(ssot, tool, project)
    for layer_id, layer in ssot.layers.items():
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


def _projects(ssot: Ssot, tool: str, field: str) -> Iterator[Violation]:
    """A layer `tool` manages names its project (`field`), and has a root once another such layer does;
    a layer it does not manage names none."""
    with_root = next((i for i, l in ssot.layers.items() if l.managed_by == tool and l.terraform_dirs), None)
    for layer_id, layer in ssot.layers.items():
        if layer.managed_by == tool and with_root is not None and not layer.terraform_dirs:
            # the file is written once a layer has a root; one without would silently get no project
            yield Violation(
                ("layers", layer_id, "managed_by"),
                f"layer {layer_id} is managed by {tool} but names no terraform_dir, while {with_root} does: "
                f"{_FILES[tool]} would have no project for {layer_id}; add its terraform_dir",
            )
        if layer.managed_by == tool and getattr(layer, field) is None:
            yield Violation(
                ("layers", layer_id, "managed_by"), f"layer {layer_id} is managed by {tool} but names no {field}"
            )
        if layer.managed_by != tool and getattr(layer, field) is not None:
            yield Violation(
                ("layers", layer_id, field),
                f"layer {layer_id} is managed by {layer.managed_by}, so it has no {field}",
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
