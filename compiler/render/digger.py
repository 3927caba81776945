"""digger.yml (pure): Digger's repo config, one project per Digger-managed layer instance with a root.

Digger (the Atlantis alternative that runs in the CI) reads `projects:` with a `name` and a `dir` each, and
a `workspace` when it is not Terraform's default. A team's own digger.yml (without the header) is edited in
place instead (compiler/render/projects.py): its `terragrunt`, `include_patterns`, `workflow`s and
`workflows:` are the team's.
"""

from __future__ import annotations

from compiler.core.facts import Facts, LayerInstance
from compiler.core.layout import SSOT_PATH
from compiler.render.atlantis import project_instances, roots
from compiler.render.projects import WantedProject, scalar
from compiler.render.trace import sourced

#: As atlantis.yaml's: a file that starts so is the tool's; one that does not (at digger.yml, or an existing
#: digger.yaml: compiler/core/layout.py) is the team's.
HEADER = f"# Generated from {SSOT_PATH} by `ssot build`: edit {SSOT_PATH}, not this file."


def digger_instances(facts: Facts) -> list[LayerInstance]:
    return project_instances(facts, "digger")


def has_digger_projects(facts: Facts) -> bool:
    return bool(digger_instances(facts))


def wanted_digger_projects(facts: Facts) -> list[WantedProject]:
    """What the SSOT states about each project of digger.yml: its name and dir, and its workspace."""
    wanted = []
    for instance in digger_instances(facts):
        assert instance.digger_project is not None
        layer = ("layers", instance.layer_id)
        sources = {
            "name": (*layer, "digger_project"),
            "dir": (*layer, "terraform_dir"),
            "workspace": (*layer, "workspace"),
        }
        values = {"dir": roots(instance)[0], "workspace": instance.workspace}
        wanted.append(WantedProject(instance.digger_project, values, sources, {"workspace": "default"}))
    return wanted


def render_digger_yml(facts: Facts) -> str:
    lines = [HEADER, "projects:"]
    for instance, want in zip(digger_instances(facts), wanted_digger_projects(facts), strict=True):
        layer = ("layers", instance.layer_id)
        lines += [
            sourced(f"  - name: {scalar(want.name, None)}", *layer, "digger_project"),
            sourced(f"    dir: {scalar(want.values['dir'], None)}", *layer, "terraform_dir"),
        ]
        if instance.workspace != "default":
            lines.append(sourced(f"    workspace: {scalar(instance.workspace, None)}", *layer, "workspace"))
    return "\n".join(lines) + "\n"
