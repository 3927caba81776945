"""The named blocks: facts -> the Markdown inside `<!-- ssot:begin NAME -->` markers.

Each block is one fact group of the seed README (envs/README.md); the docs pages reuse them.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import NamedTuple

from compiler.core.facts import EnvironmentFacts, Facts
from compiler.core.layers import display_pattern
from compiler.core.model import ENV_PLACEHOLDER, Decision, Layer, Variable
from compiler.render.columns import Column, TableBlock
from compiler.render.markdown import code, inline
from compiler.render.tfvars import hcl_value
from compiler.render.trace import sourced


def render_layers_block(facts: Facts) -> str:
    """The Layer Strategy table."""
    return LAYER_TABLE.render(facts)


class _LayerRow(NamedTuple):
    layer_id: str
    layer: Layer
    #: the workspaces of its instances (one for a shared layer, one per environment for a per-env one)
    workspaces: tuple[str, ...]


def _layer_rows(facts: Facts) -> list[_LayerRow]:
    workspaces: dict[str, list[str]] = {}
    for instance in (*facts.shared, *(i for env in facts.environments for i in env.layers)):
        workspaces.setdefault(instance.layer_id, []).append(instance.workspace)
    return [_LayerRow(i, layer, tuple(workspaces.get(i, ()))) for i, layer in facts.ssot.layers.items()]


def _workspace(row: _LayerRow) -> str:
    """The workspace all its instances use, else the pattern they follow (`<env>`)."""
    if len(set(row.workspaces)) == 1:
        return code(row.workspaces[0])
    return code(display_pattern(row.layer.workspace or ENV_PLACEHOLDER))


def _layer_column(label: str, cell: Callable[[_LayerRow], str], *field: str) -> Column[_LayerRow]:
    return Column(label, lambda row: sourced(cell(row), "layers", row.layer_id, *field))


def _pattern(pattern: str | None) -> str:
    return code(display_pattern(pattern)) if pattern else ""


#: The Layer Strategy table; a page may show other fields of the layers, under its own labels.
LAYER_TABLE = TableBlock(
    rows=_layer_rows,
    columns={
        "id": _layer_column("Layer", lambda r: f"**{r.layer_id}**"),
        "name": _layer_column("Name", lambda r: f"**{inline(r.layer.name)}**", "name"),
        "scope": _layer_column("Scope", lambda r: _scope(r.layer), "scope"),
        "managed_by": Column(
            "Managed By", lambda r: sourced(_managed_by(r.layer), *managed_by_source(r.layer_id, r.layer))
        ),
        "description": _layer_column("Description", lambda r: layer_description(r.layer), "components"),
        "components": _layer_column("Components", lambda r: ", ".join(map(inline, r.layer.components)), "components"),
        "namespace": _layer_column("Namespace", lambda r: _pattern(r.layer.namespace), "namespace"),
        "workspace": _layer_column("Workspace", _workspace, "workspace"),
        "atlantis_project": _layer_column(
            "Atlantis Project", lambda r: _pattern(r.layer.atlantis_project), "atlantis_project"
        ),
        "terraform_dir": _layer_column(
            "Terraform Dir", lambda r: ", ".join(map(_pattern, r.layer.terraform_dirs)), "terraform_dir"
        ),
    },
    default=("id", "name", "scope", "managed_by", "description"),
)


def layer_description(layer: Layer) -> str:
    described = ", ".join(inline(component) for component in layer.components)
    if layer.namespace:
        described += f" in {code(display_pattern(layer.namespace))}"
    return described


def managed_by_source(layer_id: str, layer: Layer) -> tuple[str, ...]:
    """Where the Managed By cell comes from: the Atlantis project it names, or `managed_by`."""
    field = "atlantis_project" if layer.managed_by == "atlantis" and layer.atlantis_project else "managed_by"
    field = "digger_project" if layer.managed_by == "digger" and layer.digger_project else field
    return ("layers", layer_id, field)


def _scope(layer: Layer) -> str:
    return "**Shared** (Singleton)" if layer.scope == "shared" else "**Isolated** (Per-env)"


def _managed_by(layer: Layer) -> str:
    if layer.managed_by == "atlantis" and layer.atlantis_project:
        return f"Atlantis ({code(display_pattern(layer.atlantis_project))})"
    if layer.managed_by == "digger" and layer.digger_project:
        return f"Digger ({code(display_pattern(layer.digger_project))})"
    return "None" if layer.managed_by == "none" else "GitHub Actions"


def render_isolation_block(facts: Facts) -> str:
    """The Environment Isolation list: shared layers once, per-env layers with each env's namespaces."""
    ssot = facts.ssot
    shared = [i for i, layer in ssot.layers.items() if layer.scope == "shared"]
    per_env = [i for i, layer in ssot.layers.items() if layer.scope == "per-env"]
    lines = []
    if shared:
        lines.append(
            f"- **Shared layers ({'/'.join(shared)})**: {sourced(inline(ssot.isolation.shared), 'isolation', 'shared')}"
        )
    if per_env:
        lines.append(
            f"- **Env layers ({'/'.join(per_env)})**: {sourced(inline(ssot.isolation.per_env), 'isolation', 'per_env')}:"
        )
        for env in facts.environments:
            namespaces = [
                sourced(code(i.namespace), "layers", i.layer_id, "namespace") for i in env.layers if i.namespace
            ]
            # Four spaces: Python-Markdown (MkDocs) nests a list only at four.
            title = sourced(inline(env.title), "environments", env.name)
            lines.append(f"    - {title}: {', '.join(namespaces) or 'no namespaces'}")
    return "\n".join(lines) + "\n"


def render_decisions_block(facts: Facts) -> str:
    """Every decision, each under a `## Design Decision: TITLE` heading."""
    return "\n".join(
        render_decision(d, heading="## Design Decision: ", at=n) for n, d in enumerate(facts.ssot.decisions)
    )


def render_decision(decision: Decision, heading: str, *, at: int, admonitions: bool = False) -> str:
    """A decision record (the `at`-th). With `admonitions`, each trade-off is a warning box (for the docs site)."""
    path = ("decisions", at)
    parts = [
        f"{heading}{sourced(inline(decision.title), *path, 'title')}\n",
        f"**Decision**: {sourced(inline(decision.decision), *path, 'decision')}\n",
    ]
    if decision.rationale:
        reasons = "".join(
            sourced(f"{n}. **{inline(r.title)}**: {inline(r.detail)}", *path, "rationale", n - 1) + "\n"
            for n, r in enumerate(decision.rationale, start=1)
        )
        parts.append(f"**Rationale**:\n\n{reasons}")
    if decision.trade_offs and admonitions:
        for t, trade_off in enumerate(decision.trade_offs):
            here = (*path, "trade_offs", t)
            mitigations = "".join(
                f"- {sourced(inline(m), *here, 'mitigations', i)}\n" for i, m in enumerate(trade_off.mitigations)
            )
            body = f"**Risk**: {sourced(inline(trade_off.risk), *here, 'risk')}\n" + (
                f"\n**Mitigation**:\n\n{mitigations}" if mitigations else ""
            )
            parts.append(f"/// warning | Trade-off\n\n{body}\n///\n")
    elif decision.trade_offs:
        lines = []
        for t, trade_off in enumerate(decision.trade_offs):
            here = (*path, "trade_offs", t)
            lines.append(f"- **Risk**: {sourced(inline(trade_off.risk), *here, 'risk')}")
            if trade_off.mitigations:
                lines.append("- **Mitigation**:")
                lines.extend(
                    f"    - {sourced(inline(m), *here, 'mitigations', i)}" for i, m in enumerate(trade_off.mitigations)
                )
        parts.append("**Trade-offs**:\n\n" + "\n".join(lines) + "\n")
    return "\n".join(parts)


def files_setting(facts: Facts, name: str) -> list[str]:
    """The per-env tfvars files (as patterns, `terraform/data/<env>.tfvars`) that set variable `name`, when the
    layout has several; else none (one file sets every per-env variable)."""
    per_env = facts.layout.per_env_tfvars_files
    shared = any(name in s.tfvars for s in facts.shared_tfvars)
    if len(per_env) < 2 or shared or not facts.ssot.variables[name].in_tfvars:
        return []
    return [display_pattern(f.file) for f in per_env if f.variables is None or name in f.variables]


def read_by(feeds: tuple[str, ...]) -> str:
    """`read by L3, L4; ` (nothing when no layer reads the file)."""
    return f"read by {', '.join(feeds)}; " if feeds else ""


def render_tfvars_files_block(facts: Facts) -> str:
    """Which tfvars files each environment uses (which layers read each, when several), and their
    templates; then the shared tfvars files."""
    several = len(facts.layout.per_env_tfvars_files) > 1
    lines = [
        sourced(
            _tfvars_file_line(
                file.var_file,
                file.example_file,
                read_by(file.files.feeds) if several else "",
                committed=file.files.committed,
            ).removesuffix("\n"),
            "environments",
            env.name,
        )
        + "\n"
        for env in facts.environments
        for file in env.tfvars_files
    ]
    for shared in facts.shared_tfvars:
        lines.append(
            _tfvars_file_line(
                shared.files.file,
                shared.files.example,
                f"shared, {read_by(shared.files.feeds)}",
                committed=shared.files.committed,
            )
        )
    return "".join(lines)


def _tfvars_file_line(var_file: str, example: str | None, remark: str = "", *, committed: bool = False) -> str:
    """`- var_file (not committed; use its example as template)`, the example named from the file's folder;
    a committed file (the team's configuration, `committed: true`) says so."""
    template = (
        f"; use {code(posixpath.relpath(example, posixpath.dirname(var_file) or '.'))} as template" if example else ""
    )
    return f"- {code(var_file)} ({remark}{'committed' if committed else 'not committed'}{template})\n"


def render_tfvars_content_block(facts: Facts) -> str:
    """The recommended tfvars content: each non-sensitive variable, with its values across environments."""
    shared = {name: (s.files.file, value) for s in facts.shared_tfvars for name, value in s.tfvars.items()}
    lines = []
    for name, variable in facts.ssot.variables.items():
        if variable.sensitive:
            continue
        if name in shared:  # one value, in the shared file that sets it
            file, value = shared[name]
            line = f"- {code(f'{name} = {hcl_value(value)}')}{_remark(variable, f'in {code(file)}')}"
        else:
            files = files_setting(facts, name)
            where = [f"in {', '.join(code(f) for f in files)}"] if files else []
            line = f"- {code(f'{name} = {value_range(name, facts.environments)}')}{_remark(variable, *where)}"
        lines.append(sourced(line, "variables", name))
    return "\n".join(lines) + "\n"


def value_range(name: str, environments: tuple[EnvironmentFacts, ...]) -> str:
    """`"staging"|"prod"` when environments differ, `"..."` when they all agree (a placeholder)."""
    values = [hcl_value(env.tfvars[name]) for env in environments if name in env.tfvars]
    distinct = list(dict.fromkeys(values))
    if len(distinct) > 1:
        return "|".join(distinct)
    return '"..."' if all(v.startswith('"') for v in values) else "..."


def _remark(variable: Variable, *first: str) -> str:
    remarks = list(first)
    if not variable.required:
        remarks.append("optional")
    if variable.default_from:
        remarks.append(f"defaults to {variable.default_from}")
    if variable.note:
        remarks.append(inline(variable.note))
    return f" ({'; '.join(remarks)})" if remarks else ""
