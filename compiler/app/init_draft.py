"""`ssot init`'s inference (pure): what a repository's Terraform roots, Atlantis projects and tfvars file
names say about its layers, environments and variables, drafted as the text of ssot/env.yaml.

The draft is a starting point that validates, never a verdict: every guess is listed for review, and the
placeholders (domains, components) carry a `# TODO review` comment in the file itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from compiler.app.init_evidence import agreed, environment_fields, generalise, namespace_of, only
from compiler.core.model import ENVIRONMENT_FIELDS
from compiler.core.rules import DNS_LABEL
from compiler.core.secret_shapes import secret_reason, secret_word
from compiler.formats.terraform import TerraformVariable

#: Usual promotion order; other names follow, in the order they were found.
_PROMOTION = ("dev", "development", "test", "qa", "stage", "staging", "preprod", "uat", "prod", "production")
_BUILTIN_DESCRIPTIONS = {
    "environment": "Name of the environment; selects the Terraform workspace and the namespace suffix.",
    "base_domain": "Apex domain that business and platform host names are built on.",
    "internal_domain": "Domain for platform services.",
    "env_prefix": "Prefix of business domains (`<env_prefix>.<base_domain>`); may be empty.",
}
_PLACEHOLDERS: dict[str, Any] = {"string": "TODO", "number": 0, "bool": False, "list": [], "map": {}, "object": {}}


@dataclass(frozen=True)
class Project:
    """One project of atlantis.yaml."""

    name: str
    dir: str
    workspace: str = "default"
    workflow: str | None = None
    terraform_version: str | None = None


@dataclass(frozen=True)
class Inputs:
    """What `ssot init` read of the repository (paths relative to its top)."""

    #: atlantis.yaml's projects; None when there is no atlantis.yaml
    projects: tuple[Project, ...] | None
    #: the directories holding `*.tf` files, sorted
    roots: tuple[str, ...]
    #: root -> its variables (merged as Terraform merges a module's files)
    variables: Mapping[str, Mapping[str, TerraformVariable]]
    #: the names of the files in envs/
    env_files: tuple[str, ...] = ()
    #: env -> {name: value} of envs/<env>.tfvars.example
    examples: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: root -> the strings its .tf files assign to `namespace` (evidence of the layer's namespace)
    namespaces: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: root -> the directories its files link into: shared modules, not layers of their own
    links: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Draft:
    text: str
    inferred: list[str]
    review: list[str]


@dataclass
class _Layer:
    name: str
    directory: str
    per_env: bool
    project: str | None
    workflow: str | None = None
    terraform_version: str | None = None


def environments_of(inputs: Inputs) -> list[str]:
    found: list[str] = [p.workspace for p in inputs.projects or () if p.workspace != "default"]
    for name in inputs.env_files:
        for suffix in (".tfvars.example", ".tfvars"):
            if name.endswith(suffix):
                found.append(name.removesuffix(suffix))
    names = [n for n in dict.fromkeys(found) if DNS_LABEL.fullmatch(n)]
    return sorted(names, key=lambda n: (_PROMOTION.index(n) if n in _PROMOTION else len(_PROMOTION), names.index(n)))


def _layers(inputs: Inputs, envs: list[str]) -> list[_Layer]:
    layers: dict[tuple[str, str], _Layer] = {}
    if inputs.projects is not None:
        for project in inputs.projects:
            env = project.workspace if project.workspace in envs else None
            name = generalise(project.name, env) if env else project.name
            directory = generalise(project.dir, env) if env else project.dir
            per_env = env is not None and "{env}" in name
            workflow = generalise(project.workflow, env) if env and project.workflow else project.workflow
            layer = layers.setdefault(
                (name, directory), _Layer(name, directory, per_env, name, workflow, project.terraform_version)
            )
            if (layer.workflow, layer.terraform_version) != (workflow, project.terraform_version):
                layer.workflow = layer.terraform_version = None  # its projects disagree: drafted without
    else:
        for root in inputs.roots:
            pattern = next((generalise(root, e) for e in envs if generalise(root, e) != root), root)
            layers.setdefault((pattern, pattern), _Layer(pattern, pattern, "{env}" in pattern, None))
    return list(layers.values())


def _title(pattern: str) -> str:
    words = [w for w in re.split(r"[^A-Za-z0-9]+", pattern.replace("{env}", "")) if w]
    return " ".join(words[-1:] if "/" in pattern else words).capitalize() or pattern


def _roots_of(layer: _Layer, envs: list[str]) -> list[str]:
    return [layer.directory.replace("{env}", e) for e in envs] if "{env}" in layer.directory else [layer.directory]


def draft(inputs: Inputs) -> Draft:
    """The draft of ssot/env.yaml, what it inferred, and what a maintainer must review."""
    inferred: list[str] = []
    review: list[str] = []
    envs = environments_of(inputs)
    if envs:
        inferred.append(f"environments {', '.join(envs)} (Atlantis workspaces and envs/*.tfvars file names)")
    else:
        envs = ["staging"]
        review.append("no environment found: the draft names one, staging; rename it or add yours")
    layers = _layers(inputs, envs)
    defaults = {
        "workflow": agreed(layer.workflow for layer in layers if layer.project is not None),
        "terraform_version": agreed(layer.terraform_version for layer in layers if layer.project is not None),
    }
    lines = [
        "# yaml-language-server: $schema=env.schema.json",
        "#",
        "# Drafted by `ssot init`: review every line marked TODO, then run `ssot build` and `ssot check`.",
        "",
        "layers:",
    ]
    used_names: set[str] = set()
    used_namespaces: set[str] = set()
    for index, layer in enumerate(layers, start=1):
        title = _title(layer.name)
        if title in used_names:  # a layer's name makes its default state key: keep them apart
            title = f"{title} {index}"
        used_names.add(title)
        scope = "per-env" if layer.per_env else "shared"
        managed = "atlantis" if layer.project is not None else "github-actions"
        lines += [f"  L{index}:", f"    name: {json.dumps(title)}", f"    scope: {scope}", f"    managed_by: {managed}"]
        if layer.project is not None:
            lines.append(f"    atlantis_project: {json.dumps(layer.project)}")
            if layer.workflow and not defaults["workflow"]:
                lines.append(f"    atlantis_workflow: {json.dumps(layer.workflow)}")
            if layer.terraform_version and not defaults["terraform_version"]:
                lines.append(f"    terraform_version: {json.dumps(layer.terraform_version)}")
        namespace = namespace_of(
            (text for root in _roots_of(layer, envs) for text in inputs.namespaces.get(root, ())), layer.per_env
        )
        if namespace is not None and namespace not in used_namespaces:
            used_namespaces.add(namespace)
            lines.append(f"    namespace: {json.dumps(namespace)}")
        else:
            namespace = None
            review.append(f"layer L{index}: no namespace drafted (its Terraform names none, or several); add one")
        # the module folder every root of the layer links into: a root too, so that changing it plans the layer
        targets = {inputs.links.get(root, frozenset()) for root in _roots_of(layer, envs) if root in inputs.variables}
        module = only(only(targets) or frozenset())
        if module is not None:
            lines += ["    terraform_dir:", f"      - {json.dumps(layer.directory)}", f"      - {json.dumps(module)}"]
        else:
            lines.append(f"    terraform_dir: {json.dumps(layer.directory)}")
        lines.append(f"    components: [{json.dumps(title)}]  # TODO review: what the layer runs")
        inferred.append(
            f"layer L{index} {title}: {scope}, managed by {managed}, Terraform in {layer.directory}"
            + (f", namespace {namespace} (its Terraform assigns it)" if namespace else "")
        )
        missing = [r for r in _roots_of(layer, envs) if r not in inputs.variables]
        if missing:
            review.append(f"layer L{index}: {', '.join(missing)} holds no .tf file; correct terraform_dir")
    covered = {root for layer in layers for root in _roots_of(layer, envs)}
    for root in inputs.roots:
        if (
            inputs.projects is not None
            and root not in covered
            and not any(root in targets for targets in inputs.links.values())
        ):
            review.append(f"{root} holds .tf files but is no Atlantis project: add it as a layer if it is one")
    settings = {key: value for key, value in defaults.items() if value}
    if settings:
        lines += ["", "atlantis:", *(f"  {key}: {json.dumps(value)}" for key, value in settings.items())]
        inferred.append(f"atlantis.yaml's {' and '.join(settings)}, shared by every project")
    lines += [
        "",
        "isolation:",
        "  shared: single instance shared by all environments.  # TODO review",
        "  per_env: isolated by Terraform workspace.  # TODO review",
        "",
        "environments:",
    ]
    contract, values = _contract(inputs, layers, envs, inferred, review)
    placeholders = False
    for env in envs:
        fields = environment_fields(inputs.examples.get(env, {}))
        placeholders = placeholders or not {"base_domain", "env_prefix"} <= set(fields)
        lines.append(f"  {env}:")
        lines.append(
            f"    base_domain: {json.dumps(fields['base_domain'])}"
            if "base_domain" in fields
            else "    base_domain: example.com  # TODO review"
        )
        if "internal_domain" in fields:
            lines.append(f"    internal_domain: {json.dumps(fields['internal_domain'])}")
        lines.append(
            f"    env_prefix: {json.dumps(fields['env_prefix'])}"
            if "env_prefix" in fields
            else '    env_prefix: ""  # TODO review'
        )
        env_values = values.get(env, {})
        if env_values:
            lines.append("    values:")
            lines += [f"      {name}: {json.dumps(value)}  # TODO review" for name, value in env_values.items()]
    lines += ["", "variables:"]
    for name, variable in contract.items():
        lines += [
            f"  {name}:",
            f"    type: {variable['type']}",
            f"    description: {json.dumps(variable['description'])}",
        ]
        if variable.get("sensitive"):
            lines.append("    sensitive: true")
        if variable.get("required") is False:
            lines.append("    required: false  # Terraform gives it a default")
        if name == "internal_domain" and "base_domain" in contract:
            lines += ["    required: false", "    default_from: base_domain"]
    if placeholders:
        review.append("base_domain and env_prefix not found in a tfvars example are placeholders (example.com, empty)")
    review.append("`ssot build` rewrites envs/<env>.tfvars.example (and atlantis.yaml) from this file: diff them")
    return Draft("\n".join(lines) + "\n", inferred, review)


def _contract(
    inputs: Inputs, layers: Sequence[_Layer], envs: list[str], inferred: list[str], review: list[str]
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The variables contract, and the values each environment must give (per-env variables without default)."""
    per_env_roots = [r for layer in layers if layer.per_env for r in _roots_of(layer, envs)]
    # Only per-env roots receive envs/<env>.tfvars, so only their variables belong to the contract when
    # there are any; otherwise every root's are listed (shared roots are checked on type and sensitive only).
    roots = [r for r in per_env_roots if r in inputs.variables] or [r for r in inputs.roots if r in inputs.variables]
    contract: dict[str, dict[str, Any]] = {}
    declared: dict[str, TerraformVariable] = {}
    for root in roots:
        for name, block in inputs.variables[root].items():
            first = declared.setdefault(name, block)
            if first.ssot_type != block.ssot_type or first.sensitive != block.sensitive:
                review.append(f"variable {name!r}: {block.file} and {first.file} disagree on type or sensitive")
    values: dict[str, dict[str, Any]] = {}
    for name in (*ENVIRONMENT_FIELDS, *sorted(n for n in declared if n not in ENVIRONMENT_FIELDS)):
        variable = declared.get(name)
        description = next(
            (v.description for r in roots if (v := inputs.variables[r].get(name)) and v.description), None
        )
        if name in ENVIRONMENT_FIELDS:
            if per_env_roots and variable is None:
                # each environment still has the field; no tfvars file sets it, as no root reads it
                inferred.append(f"variable {name!r} left out of the contract: no per-env root declares it")
                continue
            contract[name] = {"type": "string", "description": description or _BUILTIN_DESCRIPTIONS[name]}
            continue
        assert variable is not None
        kind = variable.ssot_type if variable.ssot_type in _PLACEHOLDERS else "string"
        if variable.ssot_type != kind:
            review.append(f"variable {name!r}: type {variable.type_written or 'not given'} drafted as string")
        if description is None:
            description = f"TODO review: what {name} means"
            review.append(f"variable {name!r} has no description: write one")
        sensitive = variable.sensitive
        if not sensitive and secret_word(name) is not None and kind not in ("number", "bool"):
            # the rules require it (a secret never goes into a tfvars file): say so rather than refuse
            sensitive = True
            review.append(f"variable {name!r} looks like a secret: drafted sensitive (set it as TF_VAR_{name})")
        contract[name] = {"type": kind, "description": description, "sensitive": sensitive}
        contract[name]["required"] = not variable.has_default
        if not variable.has_default and not sensitive:
            for env in envs:
                example = inputs.examples.get(env, {}).get(name)
                fits = example is not None and isinstance(example, type(_PLACEHOLDERS[kind]))
                if fits and secret_reason(name, example) is not None:
                    fits = False  # never copy what looks like a secret into a committed file
                    review.append(f"variable {name!r}: the value in {env}'s example looks like a secret; not copied")
                values.setdefault(env, {})[name] = example if fits else _PLACEHOLDERS[kind]
            review.append(f"variable {name!r} has no default: check its value in every environment")
    inferred.append(f"{len(contract)} variables from the variable blocks of {', '.join(roots) or 'no root'}")
    return contract, values
