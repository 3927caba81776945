"""The tfvars contract cross-checked with the layers' Terraform `variable` blocks.

Which directories count for what:

- every layer's `terraform_dir` must exist, and each of its variables that the contract also declares
  must agree with it on type and `sensitive` (one name, one meaning);
- only the per-env layers receive `envs/<env>.tfvars` (`-var-file`; shared layers have none), so only
  their directories are held to the contract itself: each contract variable is declared by at least one
  of them, each of their variables is in the contract, and each of their variables without a default is
  provided by every environment's tfvars or injected another way (`injected: true`, or sensitive).

Nothing is read, and python-hcl2 is not imported, when no layer names a Terraform directory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from compiler.artifacts import SSOT_PATH
from compiler.facts import Facts
from compiler.findings import Finding
from compiler.model import Layer
from compiler.terraform_variables import TerraformVariable, read_directory


@dataclass(frozen=True)
class LayerTerraform:
    layer_id: str
    layer: Layer
    #: the directory as written in ssot/env.yaml, without a trailing slash
    directory: str
    #: None: the directory does not exist
    variables: dict[str, TerraformVariable] | None


@dataclass(frozen=True)
class PerEnvDeclarations:
    """What the per-env layers' Terraform declares: the variables an envs/<env>.tfvars may set."""

    names: frozenset[str]
    #: the existing directories that were read, in layer order
    directories: tuple[str, ...]


def read_layers(root: Path, facts: Facts) -> list[LayerTerraform]:
    """Every layer that names a Terraform directory, with its variables. Raises SsotError (exit 2)."""
    found: list[LayerTerraform] = []
    for layer_id, layer in facts.ssot.layers.items():
        if layer.terraform_dir is not None:
            directory = layer.terraform_dir.rstrip("/") or layer.terraform_dir
            found.append(LayerTerraform(layer_id, layer, directory, read_directory(root, directory)))
    return found


def per_env_declarations(root: Path, facts: Facts) -> PerEnvDeclarations | None:
    """The union of the per-env layers' declared variables; None when none of them has Terraform to read."""
    return _declarations(read_layers(root, facts))


def _declarations(layers: list[LayerTerraform]) -> PerEnvDeclarations | None:
    read = [t for t in layers if t.layer.scope == "per-env" and t.variables is not None]
    if not read:
        return None
    names = frozenset(name for t in read for name in t.variables or {})
    return PerEnvDeclarations(names, tuple(dict.fromkeys(t.directory for t in read)))


def cross_check(root: Path, facts: Facts) -> list[Finding]:
    """Findings where the Terraform and the contract in ssot/env.yaml disagree. Raises SsotError (exit 2)."""
    layers = read_layers(root, facts)
    if not layers:
        return []
    findings = [_missing_directory(root, facts, t) for t in layers if t.variables is None]
    declarations = _declarations(layers)
    if declarations is not None:
        findings += _undeclared(facts, declarations)
    seen: set[tuple[str, int]] = set()  # two layers may share a directory: report each block once,
    for layer in sorted(layers, key=lambda t: t.layer.scope != "per-env"):  # as a per-env layer's if it is one
        for variable in (layer.variables or {}).values():
            if (variable.file, variable.line) not in seen:
                seen.add((variable.file, variable.line))
                findings += _variable_findings(facts, layer, variable)
    return findings


def _missing_directory(root: Path, facts: Facts, layer: LayerTerraform) -> Finding:
    what = "is not a directory" if (root / layer.directory).exists() else "does not exist"
    return Finding(
        SSOT_PATH,
        facts.line_of("layers", layer.layer_id, "terraform_dir"),
        f"layers.{layer.layer_id}.terraform_dir: {layer.directory!r} {what}",
        code="terraform-dir-missing",
        found=layer.directory,
        fix="correct the path (relative to the repository's top), or remove terraform_dir",
    )


def _undeclared(facts: Facts, declarations: PerEnvDeclarations) -> Iterator[Finding]:
    searched = ", ".join(declarations.directories)
    for name in facts.ssot.variables:
        if name not in declarations.names:
            yield Finding(
                SSOT_PATH,
                facts.line_of("variables", name),
                f"variable {name!r} is declared by no per-env layer's Terraform (searched: {searched})",
                code="terraform-undeclared",
                fix=f'declare variable "{name}" in one of them, or remove it from variables in {SSOT_PATH}',
            )


def _variable_findings(facts: Facts, layer: LayerTerraform, variable: TerraformVariable) -> Iterator[Finding]:
    name = variable.name
    declared = facts.ssot.variables.get(name)
    per_env = layer.layer.scope == "per-env"
    if declared is None:
        if per_env:
            yield Finding(
                variable.file,
                variable.line,
                f"variable {name!r} is not in the tfvars contract (variables in {SSOT_PATH})",
                code="terraform-not-in-ssot",
                fix=f"declare it under variables in {SSOT_PATH} (injected: true if CI sets TF_VAR_{name}), "
                "or remove it here",
            )
        return
    terraform_type = variable.ssot_type
    if terraform_type is not None and terraform_type != declared.type:
        yield Finding(
            variable.file,
            variable.line,
            f"variable {name!r} has type {variable.type_written} here, but {declared.type} in {SSOT_PATH}",
            code="terraform-type",
            expected=declared.type,
            found=terraform_type,
            fix=f"make them agree: change the type here or under variables.{name} in {SSOT_PATH}",
        )
    if variable.sensitive != declared.sensitive:
        here, there = ("sensitive", "not") if variable.sensitive else ("not sensitive", "sensitive")
        yield Finding(
            variable.file,
            variable.line,
            f"variable {name!r} is {here} here, but {there} in {SSOT_PATH}",
            code="terraform-sensitive",
            expected=_hcl_bool(declared.sensitive),
            found=_hcl_bool(variable.sensitive),
            fix=f"make them agree: set sensitive here or under variables.{name} in {SSOT_PATH}",
        )
    if per_env and not variable.has_default and not (declared.injected or declared.sensitive):
        unprovided = [env.name for env in facts.environments if name not in env.tfvars]
        if unprovided:
            yield Finding(
                variable.file,
                variable.line,
                f"variable {name!r} has no default, and {SSOT_PATH} gives it no value for "
                f"{', '.join(unprovided)}: Terraform would stop and ask for it",
                code="terraform-unprovided",
                fix=f"set it under environments.<env>.values in {SSOT_PATH}, mark it injected: true there "
                f"if CI sets TF_VAR_{name}, or give it a default here",
            )


def _hcl_bool(value: bool) -> str:
    return "true" if value else "false"
