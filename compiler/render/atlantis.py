"""atlantis.yaml (pure): Atlantis' repo config (version 3), one project per Atlantis-managed layer instance.

A project needs a directory, so only layers with a `terraform_dir` become projects (the rules require one on
every Atlantis-managed layer once any has one), and the file is written only when there is at least one
(`has_atlantis_projects`); the first line's digest lets `ssot build` remove it when that stops. Workflow and
Terraform version are the layer instance's (its own, else the `atlantis:` defaults), left out when unset. A layer with several roots plans in its first;
its other roots (files symlinked into the first, say) only trigger autoplan. Written by hand, not by a
YAML dumper, so that the layout is stable; each scalar is quoted only when YAML would misread it.
"""

from __future__ import annotations

import functools
from pathlib import PurePosixPath

import yaml

from compiler.core.facts import Facts, LayerInstance
from compiler.core.layers import expand
from compiler.core.layout import SSOT_PATH
from compiler.render.projects import WantedProject
from compiler.render.trace import sourced
from compiler.render.yaml_text import is_plain_word

#: What Atlantis watches in a project's directory, besides the var-file it reads.
WATCHED = ("*.tf", "*.tfvars", ".terraform.lock.hcl")
HEADER = f"# Generated from {SSOT_PATH} by `ssot build`: edit {SSOT_PATH}, not this file."


def project_instances(facts: Facts, orchestrator: str) -> list[LayerInstance]:
    """The layer instances that are projects of `orchestrator` (atlantis, digger): shared first, then per
    environment, in layer order; each with its project's name and a Terraform root."""
    instances = [*facts.shared, *(instance for env in facts.environments for instance in env.layers)]
    return [
        instance
        for instance in instances
        if instance.layer.managed_by == orchestrator
        and getattr(instance, f"{orchestrator}_project")
        and instance.layer.terraform_dirs
    ]


def atlantis_instances(facts: Facts) -> list[LayerInstance]:
    return project_instances(facts, "atlantis")


def has_atlantis_projects(facts: Facts) -> bool:
    return bool(atlantis_instances(facts))


def wanted_atlantis_projects(facts: Facts) -> list[WantedProject]:
    """What the SSOT states about each project of a team's own atlantis.yaml: its name, dir and workspace, and
    its workflow and Terraform version where set. Not `execution_order_group` (the SSOT has no such field; the
    file written whole derives it from the layer order) nor autoplan: the team's."""
    wanted = []
    for instance in atlantis_instances(facts):
        assert instance.atlantis_project is not None
        layer = ("layers", instance.layer_id)
        values = {"dir": roots(instance)[0], "workspace": instance.workspace}
        sources: dict[str, tuple[str | int, ...]] = {
            "name": (*layer, "atlantis_project"),
            "dir": (*layer, "terraform_dir"),
            "workspace": (*layer, "workspace"),
        }
        if instance.workflow:
            values["workflow"] = instance.workflow
            sources["workflow"] = (*layer, "atlantis_workflow") if instance.layer.atlantis_workflow else ("atlantis",)
        if instance.terraform_version:
            values["terraform_version"] = instance.terraform_version
            own = instance.layer.terraform_version
            sources["terraform_version"] = (*layer, "terraform_version") if own else ("atlantis", "terraform_version")
        wanted.append(WantedProject(instance.atlantis_project, values, sources, {"workspace": "default"}))
    return wanted


def roots(instance: LayerInstance) -> list[str]:
    """The instance's Terraform roots, `{env}` expanded, normalised (no `./`, no trailing `/`)."""
    dirs = instance.layer.terraform_dirs
    return [_normalised(d if instance.env is None else expand(d, instance.env)) for d in dirs]


def when_modified(instance: LayerInstance, dirs: list[str] | None = None) -> list[str]:
    """Autoplan patterns, relative to the project's directory: its files, its other roots, its var-file.

    `dirs`: the instance's `roots`, if the caller has them already."""
    first, *others = dirs or roots(instance)
    patterns = [*WATCHED, *(f"{relative(root, first)}/*.tf" for root in others)]
    if instance.var_file is not None:
        patterns.append(relative(instance.var_file, first))
    return patterns


def relative(target: str, start: str) -> str:
    """`target` as seen from directory `start`, both relative to the repository's top (no I/O)."""
    to, base = _parts(target), _parts(start)
    common = 0
    while common < min(len(to), len(base)) and to[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + list(to[common:])) or "."


def _normalised(path: str) -> str:
    """`str(PurePosixPath(path))`, without making a path object (as `_parts`)."""
    return str(PurePosixPath(path)) if path.startswith("/") else "/".join(_parts(path)) or "."


def _parts(path: str) -> tuple[str, ...]:
    """`PurePosixPath(path).parts`, without making a path object per instance (thousands of environments)."""
    if path.startswith("/"):
        return PurePosixPath(path).parts
    return tuple(part for part in path.split("/") if part and part != ".")


def render_atlantis_yaml(facts: Facts) -> str:
    order = list(facts.ssot.layers)
    lines = [HEADER, "version: 3", "projects:"]
    for instance in atlantis_instances(facts):
        assert instance.atlantis_project is not None
        dirs = roots(instance)
        layer = ("layers", instance.layer_id)
        env = ("environments", instance.env) if instance.env else layer
        lines += [
            sourced(f"  - name: {yaml_scalar(instance.atlantis_project)}", *layer, "atlantis_project"),
            sourced(f"    dir: {yaml_scalar(dirs[0])}", *layer, "terraform_dir"),
            sourced(f"    workspace: {yaml_scalar(instance.workspace)}", *env),
            *(
                [
                    sourced(
                        f"    terraform_version: {yaml_scalar(instance.terraform_version)}", *layer, "terraform_version"
                    )
                ]
                if instance.terraform_version
                else []
            ),
            *(
                [sourced(f"    workflow: {yaml_scalar(instance.workflow)}", *layer, "atlantis_workflow")]
                if instance.workflow
                else []
            ),
            sourced(f"    execution_order_group: {order.index(instance.layer_id)}", *layer),
            "    autoplan:",
            "      enabled: true",
            "      when_modified:",
            *(
                sourced(f"        - {yaml_scalar(pattern)}", *layer, "terraform_dir")
                for pattern in when_modified(instance, dirs)
            ),
        ]
    return "\n".join(lines) + "\n"


@functools.lru_cache(maxsize=1024)  # the same patterns (`*.tf`) in every project
def yaml_scalar(text: str) -> str:
    """`text` as a YAML string: plain when YAML reads it back as that string, else double-quoted.

    `*.tf` would read as an alias, `no` as a boolean, `3` as a number, `a: b` as a mapping.
    """
    if is_plain_word(text):
        return text
    try:
        if yaml.safe_load(f"- {text}") == [text]:
            return text
    except yaml.YAMLError:
        pass
    return yaml.safe_dump(text, default_style='"', allow_unicode=True, width=float("inf")).rstrip("\n")
