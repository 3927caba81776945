"""docs/ssot/env.md: the environment model page."""

from __future__ import annotations

from compiler.core.facts import EnvironmentFacts, Facts
from compiler.core.layers import LayerInstance, layer_label
from compiler.render.blocks import render_decision, render_isolation_block, render_layers_block
from compiler.render.domains import (
    domains_intro,
    environment_domain_cells,
    environment_domain_columns,
    render_domains_table,
    shape_of,
)
from compiler.render.markdown import code, inline, render_table, required_text
from compiler.render.pages import generated_header, tfvars_files_phrase
from compiler.render.tfvars import hcl_value, render_tfvars_example, tfvars_source
from compiler.render.trace import sourced


def render_env_page(facts: Facts) -> str:
    sections = [
        generated_header("Environment model", facts, facts.layout.page("env_model")),
        "## Layers\n",
        render_layers_block(facts),
        "## Environment isolation\n",
        render_isolation_block(facts),
        "## Environments\n",
        _environments(facts),
        "## Environment matrix\n",
        "Where each layer lives: shared layers once, per-env layers once per environment.\n",
        _matrix(facts),
        *_domains(facts),
        "## tfvars contract\n",
    ]
    if facts.ssot.variables:
        sections += [
            f"Every variable {tfvars_files_phrase(facts)} may set. Sensitive variables never appear in a tfvars file.\n",
            _contract(facts),
            "## tfvars by environment\n",
            "The values each environment's tfvars example sets (its own page lists them with their descriptions):\n",
            _values(facts),
        ]
    else:
        sections.append("No variable is declared (`variables` in ssot/env.yaml).\n")
    if any(env.tfvars_files for env in facts.environments):
        sections.append(_tfvars_tabs(facts))
    if facts.ssot.decisions:
        sections.append("## Decisions\n")
        sections.extend(
            render_decision(d, heading="### ", at=n, admonitions=True) for n, d in enumerate(facts.ssot.decisions)
        )
    return "\n".join(sections)


def _environments(facts: Facts) -> str:
    shape = shape_of(facts.environments)
    with_files = bool(facts.layout.per_env_tfvars_files)
    rows = [
        [
            sourced(inline(env.title), "environments", env.name, "title"),
            sourced(code(env.name), "environments", env.name),
            *(
                [sourced(", ".join(code(file.var_file) for file in env.tfvars_files), "environments", env.name)]
                if with_files
                else []
            ),
            *environment_domain_cells(env, shape),
        ]
        for env in facts.environments
    ]
    header = ["Environment", "Name", *(["Var-file"] if with_files else []), *environment_domain_columns(shape)]
    return render_table(header, rows)


def _matrix(facts: Facts) -> str:
    def row(instance: LayerInstance, env_title: str) -> list[str]:
        layer = ("layers", instance.layer_id)
        env = ("environments", instance.env) if instance.env else layer
        return [
            sourced(inline(layer_label(instance.layer_id, instance.layer)), *layer),
            sourced(inline(env_title), *env),
            sourced(_code_or_dash(instance.namespace), *layer, "namespace"),
            sourced(code(instance.workspace), *env),
            sourced(_code_or_dash(instance.atlantis_project), *layer, "atlantis_project"),
            sourced(code(instance.state_key), *layer),
            sourced(_code_or_dash(instance.var_file), *env),
        ]

    rows = [row(i, "all (shared)") for i in facts.shared]
    rows += [row(i, env.title) for env in facts.environments for i in env.layers]
    return render_table(
        ["Layer", "Environment", "Namespace", "Workspace", "Atlantis project", "State key", "Var-file"], rows
    )


def _domains(facts: Facts) -> list[str]:
    """The Domains section, when environments have domains (their values give base_domain)."""
    shape = shape_of(facts.environments)
    if shape is None:
        return []
    return ["## Domains\n", domains_intro(facts, shape), render_domains_table(facts, shape)]


def _contract(facts: Facts) -> str:
    rows = []
    for name, variable in facts.ssot.variables.items():
        at = ("variables", name)
        rows.append(
            [
                sourced(code(name), *at),
                sourced(variable.type, *at, "type"),
                sourced(required_text(variable), *at, "required"),
                sourced("yes" if variable.sensitive else "no", *at, "sensitive"),
                sourced(inline(variable.description), *at, "description"),
            ]
        )
    return render_table(["Variable", "Type", "Required", "Sensitive", "Description"], rows)


def _values(facts: Facts) -> str:
    """Each variable's value per environment: a table of its own, so the contract stays five columns wide
    however many environments there are."""
    envs = facts.environments

    def value(name: str, env: EnvironmentFacts) -> str:
        if facts.ssot.variables[name].sensitive:
            return sourced("(sensitive)", "variables", name, "sensitive")
        if name not in env.tfvars:
            return sourced("-", "variables", name)
        return sourced(code(hcl_value(env.tfvars[name])), *tfvars_source(env, name))

    rows = [
        [sourced(code(name), "variables", name), *(value(name, env) for env in envs)] for name in facts.ssot.variables
    ]
    return render_table(["Variable", *(inline(env.title) for env in envs)], rows)


def _tfvars_tabs(facts: Facts) -> str:
    """One tab per environment with its tfvars example (non-indented blocks: formatter-safe)."""
    return "\n".join(
        f"/// tab | {sourced(inline(env.title), 'environments', env.name)}\n\n"
        + "\n".join(
            f'```hcl title="{file.example_file or file.var_file}"\n{render_tfvars_example(facts, env, file)}```\n'
            for file in env.tfvars_files
        )
        + "\n///\n"
        for env in facts.environments
    )


def _code_or_dash(text: str | None) -> str:
    return code(text) if text else "-"
