"""The named blocks: facts -> the Markdown inside `<!-- ssot:begin NAME -->` markers.

Each block is one fact group of the seed README (envs/README.md); the docs pages reuse them.
"""

from __future__ import annotations

import posixpath

from compiler.core.facts import EnvironmentFacts, Facts
from compiler.core.layers import display_pattern
from compiler.core.model import Decision, Layer, Variable
from compiler.render.markdown import code, inline, render_table
from compiler.render.tfvars import hcl_value
from compiler.render.trace import sourced


def render_layers_block(facts: Facts) -> str:
    """The Layer Strategy table."""
    rows = [
        [
            sourced(f"**{layer_id}**", "layers", layer_id),
            sourced(f"**{inline(layer.name)}**", "layers", layer_id, "name"),
            sourced(_scope(layer), "layers", layer_id, "scope"),
            sourced(_managed_by(layer), *managed_by_source(layer_id, layer)),
            sourced(layer_description(layer), "layers", layer_id, "components"),
        ]
        for layer_id, layer in facts.ssot.layers.items()
    ]
    return render_table(["Layer", "Name", "Scope", "Managed By", "Description"], rows)


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
                file.var_file, file.example_file, read_by(file.files.feeds) if several else ""
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
            _tfvars_file_line(shared.files.file, shared.files.example, f"shared, {read_by(shared.files.feeds)}")
        )
    return "".join(lines)


def _tfvars_file_line(var_file: str, example: str | None, remark: str = "") -> str:
    """`- var_file (not committed; use its example as template)`, the example named from the file's folder."""
    template = (
        f"; use {code(posixpath.relpath(example, posixpath.dirname(var_file) or '.'))} as template" if example else ""
    )
    return f"- {code(var_file)} ({remark}not committed{template})\n"


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
            line = f"- {code(f'{name} = {_value_range(name, facts.environments)}')}{_remark(variable, *where)}"
        lines.append(sourced(line, "variables", name))
    return "\n".join(lines) + "\n"


def _value_range(name: str, environments: tuple[EnvironmentFacts, ...]) -> str:
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
