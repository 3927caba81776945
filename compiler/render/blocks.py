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


def render_layers_block(facts: Facts) -> str:
    """The Layer Strategy table."""
    rows = [
        [f"**{layer_id}**", f"**{inline(layer.name)}**", _scope(layer), _managed_by(layer), layer_description(layer)]
        for layer_id, layer in facts.ssot.layers.items()
    ]
    return render_table(["Layer", "Name", "Scope", "Managed By", "Description"], rows)


def layer_description(layer: Layer) -> str:
    described = ", ".join(inline(component) for component in layer.components)
    if layer.namespace:
        described += f" in {code(display_pattern(layer.namespace))}"
    return described


def _scope(layer: Layer) -> str:
    return "**Shared** (Singleton)" if layer.scope == "shared" else "**Isolated** (Per-env)"


def _managed_by(layer: Layer) -> str:
    if layer.managed_by == "atlantis" and layer.atlantis_project:
        return f"Atlantis ({code(display_pattern(layer.atlantis_project))})"
    return "GitHub Actions"


def render_isolation_block(facts: Facts) -> str:
    """The Environment Isolation list: shared layers once, per-env layers with each env's namespaces."""
    ssot = facts.ssot
    shared = [i for i, layer in ssot.layers.items() if layer.scope == "shared"]
    per_env = [i for i, layer in ssot.layers.items() if layer.scope == "per-env"]
    lines = []
    if shared:
        lines.append(f"- **Shared layers ({'/'.join(shared)})**: {inline(ssot.isolation.shared)}")
    if per_env:
        lines.append(f"- **Env layers ({'/'.join(per_env)})**: {inline(ssot.isolation.per_env)}:")
        for env in facts.environments:
            namespaces = [code(i.namespace) for i in env.layers if i.namespace]
            # Four spaces: Python-Markdown (MkDocs) nests a list only at four.
            lines.append(f"    - {inline(env.title)}: {', '.join(namespaces) or 'no namespaces'}")
    return "\n".join(lines) + "\n"


def render_decisions_block(facts: Facts) -> str:
    """Every decision, each under a `## Design Decision: TITLE` heading."""
    return "\n".join(render_decision(d, heading="## Design Decision: ") for d in facts.ssot.decisions)


def render_decision(decision: Decision, heading: str, *, admonitions: bool = False) -> str:
    """A decision record. With `admonitions`, each trade-off is a warning box (for the docs site)."""
    parts = [f"{heading}{inline(decision.title)}\n", f"**Decision**: {inline(decision.decision)}\n"]
    if decision.rationale:
        reasons = "".join(
            f"{n}. **{inline(r.title)}**: {inline(r.detail)}\n" for n, r in enumerate(decision.rationale, start=1)
        )
        parts.append(f"**Rationale**:\n\n{reasons}")
    if decision.trade_offs and admonitions:
        for trade_off in decision.trade_offs:
            mitigations = "".join(f"- {inline(m)}\n" for m in trade_off.mitigations)
            body = f"**Risk**: {inline(trade_off.risk)}\n" + (
                f"\n**Mitigation**:\n\n{mitigations}" if mitigations else ""
            )
            parts.append(f"/// warning | Trade-off\n\n{body}\n///\n")
    elif decision.trade_offs:
        lines = []
        for trade_off in decision.trade_offs:
            lines.append(f"- **Risk**: {inline(trade_off.risk)}")
            if trade_off.mitigations:
                lines.append("- **Mitigation**:")
                lines.extend(f"    - {inline(m)}" for m in trade_off.mitigations)
        parts.append("**Trade-offs**:\n\n" + "\n".join(lines) + "\n")
    return "\n".join(parts)


def render_tfvars_files_block(facts: Facts) -> str:
    """Which tfvars file each environment uses, and its template; then the shared tfvars files."""
    lines = [_tfvars_file_line(env.var_file, env.example_file) for env in facts.environments]
    for shared in facts.shared_tfvars:
        read_by = ", ".join(shared.files.feeds)
        lines.append(_tfvars_file_line(shared.files.file, shared.files.example, f"shared, read by {read_by}; "))
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
            lines.append(f"- {code(f'{name} = {hcl_value(value)}')}{_remark(variable, f'in {code(file)}')}")
            continue
        lines.append(f"- {code(f'{name} = {_value_range(name, facts.environments)}')}{_remark(variable)}")
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
