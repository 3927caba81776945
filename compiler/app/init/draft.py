"""`ssot init`'s draft (pure): what the repository read into `Inputs` says about its layers, environments,
tfvars files and contract, written as the text of ssot/env.yaml.

The draft restates the repository's facts exactly (project names, directories, workspaces, workflows), so
that `ssot build` has nothing to change; it is a starting point, never a verdict: every guess is listed
for review, and what the repository could not tell carries a `# TODO review` comment in the file itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from compiler.app.init.contract import PLACEHOLDERS, ContractVariable, Value, contract_of
from compiler.app.init.environment_fields import OWN_FIELDS, own_field_lines
from compiler.app.init.environments import DEFAULT_WORKSPACE, environments_of
from compiler.app.init.evidence import agreed, generalise, namespace_of
from compiler.app.init.inputs import Draft, Inputs
from compiler.app.init.layers import DraftLayer, layer_roots, layers_of
from compiler.app.init.tfvars import FedBy, tfvars_files
from compiler.core.layout import DOCS_DIR
from compiler.core.model import ENV_PLACEHOLDER

#: Directory names that say where a layer lives, not what it is (infra/environments/{env}).
_GENERIC = frozenset({"infra", "terraform", "tf", "environments", "environment", "envs", "env", "live", "stages"})


def draft(inputs: Inputs, refused: Mapping[tuple[str, str], str] | None = None) -> Draft:
    """The draft of ssot/env.yaml, what it inferred, and what a maintainer must review.

    `refused`: (environment, variable) -> why the rules refused the value a tfvars file states (a first
    draft's); drafted as a placeholder to review instead."""
    inferred: list[str] = []
    review = [f"{path} could not be read: {why}; nothing was drafted from it" for path, why in inputs.unreadable]
    envs, sources = environments_of(inputs)
    if envs:
        inferred.append(f"environments {', '.join(envs)} (from {', '.join(sources)})")
    else:
        envs = [DEFAULT_WORKSPACE]
        review.append(
            "no environment found (no workspace, env-named directory, project or tfvars name): the draft has one, "
            "default (Terraform's default workspace); rename it or add yours"
        )
    layers = layers_of(inputs, envs, review)
    fed = tfvars_files(inputs, layers, envs, review)
    contract, values, by_file = contract_of(inputs, layers, fed, envs, review)
    lines = [
        "# yaml-language-server: $schema=env.schema.json",
        "#",
        "# Drafted by `ssot init`: review every line marked TODO, then run `ssot build` and `ssot check`.",
        *(
            f"# TODO review: {_one_line(path)} could not be read ({_one_line(why)}); nothing was drafted from it"
            for path, why in inputs.unreadable
        ),
        "",
        "layers:",
    ]
    atlantis = [layer for layer in layers if layer.orchestrator == "atlantis"]
    defaults = {
        "workflow": agreed(layer.workflow for layer in atlantis),
        "terraform_version": agreed(layer.terraform_version for layer in atlantis),
    }
    titles = _titles(layers)
    # a Terragrunt unit's Terraform is its source's: its own directory need hold no .tf file
    units = inputs.terragrunt_units | {p.dir for p in inputs.projects if p.terragrunt}
    used_namespaces: set[str] = set()
    for index, (layer, title) in enumerate(zip(layers, titles, strict=True), start=1):
        lines += _layer_lines(f"L{index}", layer, title, defaults)
        namespace = namespace_of(
            (text for root in layer.roots(envs) for text in inputs.namespaces.get(root, ())), layer.per_env
        )
        if namespace is not None and namespace not in used_namespaces:
            used_namespaces.add(namespace)
            lines.append(f"    namespace: {json.dumps(namespace)}")
        else:
            review.append(f"layer L{index}: no namespace drafted (its Terraform names none, or several); add one")
        dirs = [layer.directory, *layer.extra_dirs]
        if len(dirs) > 1:
            lines += ["    terraform_dir:", *(f"      - {json.dumps(d)}" for d in dirs)]
        else:
            lines.append(f"    terraform_dir: {json.dumps(layer.directory)}")
        lines.append(f"    components: [{json.dumps(title)}]  # TODO review: what the layer runs")
        state_key = _state_key(inputs, layer, envs)
        if state_key is not None:
            lines.append(f"    state_key: {json.dumps(state_key)}")
            inferred.append(f"layer L{index}'s state key {state_key} (from its backend)")
        else:
            review.append(
                f"layer L{index}: no backend in its .tf files names its state (-backend-config, Terragrunt?): "
                "the pages show a default state key; set state_key"
            )
        scope = "per-env" if layer.per_env else "shared"
        inferred.append(
            f"layer L{index} {title}: {scope}, managed by {layer.orchestrator or 'github-actions'}, "
            f"Terraform in {layer.directory}" + (f", namespace {namespace}" if namespace else "")
        )
        missing = [r for r in layer.roots(envs) if r not in inputs.variables and r not in units]
        if missing:
            review.append(f"layer L{index}: {', '.join(missing)} holds no .tf file; correct terraform_dir")
        if layer.orchestrator == "digger" and (layer.workflow or layer.terraform_version):
            review.append(f"layer L{index}: its digger projects' workflow stays in digger.yml (the SSOT names none)")
    review += _uncovered(inputs, layers, envs)
    unnamed = [f"{p.dir} ({p.workspace})" for p in inputs.projects if not p.named]
    if unnamed:
        review.append(f"projects without a name: {', '.join(unnamed)}; the draft names them, and build adds the names")
    settings = {key: value for key, value in defaults.items() if value}
    if settings:
        lines += ["", "atlantis:", *(f"  {key}: {json.dumps(value)}" for key, value in settings.items())]
        inferred.append(f"atlantis.yaml's {' and '.join(settings)}, shared by every project")
    by_directory = any(layer.per_env and ENV_PLACEHOLDER not in (layer.workspace or "") for layer in layers)
    isolated_by = "one Terraform root per environment" if by_directory else "Terraform workspace"
    lines += [
        "",
        "isolation:",
        "  shared: single instance shared by all environments.  # TODO review",
        f"  per_env: isolated by {isolated_by}.  # TODO review",
        "",
        "environments:",
    ]
    value_lines: dict[int, tuple[str, str]] = {}
    for env in envs:
        fields = own_field_lines(values[env], review)
        env_values = _accepted(env, values[env], contract, refused or {}, review)
        lines += [f"  {env}:", *fields] if fields or env_values else [f"  {env}: {{}}"]  # an environment is its name
        if env_values:
            lines.append("    values:")
            for name, value in env_values.items():
                lines.append(_value_line(name, value))
                value_lines[len(lines)] = (env, name)
    lines += ["", "variables:" + (" {}" if not contract else ""), *_variable_lines(contract)]
    lines += _layout_lines(inputs, fed, by_file, inferred)
    review.append("`ssot build` writes the generated pages and checks the files this draft names: diff them")
    local = tuple(fed_by.file for fed_by in fed if not fed_by.committed)  # committed files need no ignore rule
    return Draft("\n".join(lines) + "\n", inferred, review, local, value_lines)


def _one_line(text: str) -> str:
    """`text` fit for a YAML comment: a line break in a file name must not end the comment."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _layer_lines(layer_id: str, layer: DraftLayer, title: str, defaults: dict[str, str | None]) -> list[str]:
    scope = "per-env" if layer.per_env else "shared"
    lines = [f"  {layer_id}:", f"    name: {json.dumps(title)}", f"    scope: {scope}"]
    guess = "  # TODO review: no project runs it, no CI workflow names it" if layer.guessed else ""
    lines.append(f"    managed_by: {layer.orchestrator or 'github-actions'}{guess}")
    if layer.orchestrator is not None and layer.project is not None:
        lines.append(f"    {layer.orchestrator}_project: {json.dumps(layer.project)}")
    if layer.orchestrator == "atlantis":
        if layer.workflow and layer.workflow != defaults["workflow"]:
            lines.append(f"    atlantis_workflow: {json.dumps(layer.workflow)}")
        if layer.terraform_version and layer.terraform_version != defaults["terraform_version"]:
            lines.append(f"    terraform_version: {json.dumps(layer.terraform_version)}")
    implied = ENV_PLACEHOLDER if layer.per_env else DEFAULT_WORKSPACE
    if layer.workspace and layer.workspace != implied:
        lines.append(f"    workspace: {json.dumps(layer.workspace)}")
    return lines


def _state_key(inputs: Inputs, layer: DraftLayer, envs: Sequence[str]) -> str | None:
    """What the backend of every root of the layer names its state, `{env}` where the environment goes
    (envs/staging/terraform.tfstate in each of its roots); None when a root sets none, or they disagree."""
    roots = layer.roots(envs)
    names = [inputs.states.get(root) for root in roots]
    if not names or None in names:
        return None
    if len(roots) == 1:
        return names[0]
    patterns = {generalise(name, env) for name, env in zip(names, envs, strict=True) if name is not None}
    return patterns.pop() if len(patterns) == 1 else None


def _titles(layers: Sequence[DraftLayer]) -> list[str]:
    """Each layer's name: from its project's name, else its directory's; distinct (a name makes a state key)."""
    titles: list[str] = []
    for index, layer in enumerate(layers, start=1):
        title = _words(layer.project or "") or _words(layer.directory) or f"Layer {index}"
        if title in titles:
            title = f"{title} {index}"
        titles.append(title)
    return titles


def _words(pattern: str) -> str:
    """`Data` of data-{env}, envs/{env}/data and 10-data; `Infra` of infra/environments/{env}."""
    segments = [s for s in pattern.replace(ENV_PLACEHOLDER, "").split("/") if s.strip("-_.")]
    named = [s for s in segments if s.lower() not in _GENERIC] or segments[:1]
    words = [w for w in re.split(r"[^A-Za-z0-9]+", named[-1] if named else "") if w and not w.isdigit()]
    return " ".join(words).capitalize()


def _uncovered(inputs: Inputs, layers: Sequence[DraftLayer], envs: Sequence[str]) -> list[str]:
    """Roots no project runs (when the repository has project files), but modules: listed for review."""
    if not inputs.projects:
        return []
    covered = {root for layer in layers for root in (*layer.roots(envs), *layer.extra_dirs)}
    return [
        f"{root} holds .tf files but is no project of {' or '.join(inputs.project_files)}: add it as a layer if it is one"
        for root in layer_roots(inputs)
        if root not in covered
    ]


def _accepted(
    env: str,
    values: Mapping[str, Value],
    contract: Mapping[str, ContractVariable],
    refused: Mapping[tuple[str, str], str],
    review: list[str],
) -> dict[str, Value]:
    """An environment's values under `values:`: those the rules refused become placeholders (or go)."""
    accepted = {}
    for name, value in values.items():
        if name in OWN_FIELDS:
            continue
        why = refused.get((env, name))
        if why is None:
            accepted[name] = value
            continue
        review.append(f"{env}'s value of {name!r} is not one the rules accept ({why}): set it")
        if contract[name].required:
            accepted[name] = Value(PLACEHOLDERS[contract[name].type], stated=False)
    return accepted


def _value_line(name: str, value: Value) -> str:
    return f"      {name}: {json.dumps(value.value)}" + ("" if value.stated else "  # TODO review")


def _variable_lines(contract: dict[str, ContractVariable]) -> list[str]:
    lines = []
    for name, variable in contract.items():
        lines += [
            f"  {name}:",
            f"    type: {variable.type}",
            f"    description: {json.dumps(variable.description)}",
        ]
        if variable.sensitive:
            lines.append("    sensitive: true")
        if not variable.required:
            lines.append("    required: false  # Terraform gives it a default")
    return lines


def _layout_lines(
    inputs: Inputs, fed: Sequence[FedBy], by_file: dict[int, list[str]], inferred: list[str]
) -> list[str]:
    """`layout:`, where the repository differs from the default one (docs/, envs/{env}.tfvars feeding all)."""
    lines = []
    if inputs.docs_dir is not None and inputs.docs_dir != DOCS_DIR:
        lines.append(f"  docs_dir: {json.dumps(inputs.docs_dir)}")
        inferred.append(f"docs_dir {inputs.docs_dir} (from {inputs.mkdocs})")
    if not fed:
        lines.append("  tfvars: []")
        inferred.append("no per-env tfvars file: layout.tfvars is empty")
    elif not (len(fed) == 1 and fed[0].is_default and not fed[0].committed):
        lines.append("  tfvars:")
        for index, fed_by in enumerate(fed):
            lines.append(f"    - file: {json.dumps(fed_by.file)}")
            if fed_by.example is not None:
                lines.append(f"      example: {json.dumps(fed_by.example)}")
            lines.append(f"      feeds: [{', '.join(f'L{i + 1}' for i in fed_by.feeds)}]")
            if fed_by.committed:
                lines.append("      committed: true  # git tracks them: the team's configuration, checked")
                inferred.append(f"{fed_by.file} is committed (git tracks every environment's)")
            if len(fed) > 1:
                lines.append(f"      variables: {json.dumps(by_file[index])}")
            inferred.append(f"{fed_by.file} feeds {', '.join(f'L{i + 1}' for i in fed_by.feeds)}")
    return ["", "layout:", *lines] if lines else []
