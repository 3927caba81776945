"""The tfvars contract cross-checked with the layers' Terraform `variable` blocks.

Which directories count for what:

- every root a layer's `terraform_dir` names (one per environment for `{env}`) must exist and hold `*.tf`
  files, and each of its variables that the contract also declares must agree with it on type and
  `sensitive` (one name, one meaning), and its default with the value ssot/env.yaml states for it there
  (compiler/checks/terraform_defaults.py);
- only the layers a tfvars file feeds (`-var-file`; by default the per-env layers, with `envs/<env>.tfvars`;
  a shared file such as the bootstrap layer's feeds those the layout says) are held to the contract
  itself: each variable of that file is declared by at least one of them, each of their variables is in
  the contract, and each of their variables without a default is provided by the file (every
  environment's, for a per-env file) or injected another way (`injected: true`, or sensitive);
- an `{env}` root is one root per environment, each checked on its own: a variable one environment's
  root declares and another's lacks is reported at the root that lacks it (whatever the layer's other
  roots hold: a module folder listed as a second root, for autoplan), and a variable without a default
  there need only be provided by that environment.

A file linked into a root (a symlink to a shared module folder) is read through the link and reported
where it really is, once, however many roots link to it.

Nothing is read, and python-hcl2 is not imported, when no layer names a Terraform directory.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from compiler import codes
from compiler.checks.terraform_defaults import default_mismatches
from compiler.core.facts import Facts
from compiler.core.layout import SSOT_PATH, TfvarsFiles
from compiler.findings import Finding
from compiler.formats.terraform import TerraformVariable
from compiler.io.snapshot import LayerTerraform, Snapshot


class FedDeclarations(NamedTuple):
    """What the Terraform of the layers a tfvars file feeds declares: the variables that file may set."""

    names: frozenset[str]
    #: the existing directories that were read, in layer order
    directories: tuple[str, ...]
    #: how messages name those layers ("per-env layer's", or "layer's fed by bootstrap/terraform.tfvars")
    whose: str = "per-env layer's"


def fed_declarations(snapshot: Snapshot, files: TfvarsFiles, env: str | None = None) -> FedDeclarations | None:
    """The union of the declared variables of the layers `files` feeds (for `env` only: its `{env}` roots and
    the roots every environment shares); None when none has Terraform to read.

    Raises SsotError (invalid-terraform) for a module Terraform would refuse.
    """
    read = [
        t
        for t in snapshot.terraform
        if t.layer_id in files.feeds and t.module.variables is not None and (env is None or t.env in (None, env))
    ]
    if not read:
        return None
    names = frozenset(name for t in read for name in t.module.variables or {})
    whose = "per-env layer's" if files.per_env and files.variables is None else f"layer's fed by {files.file}"
    return FedDeclarations(names, tuple(dict.fromkeys(t.module.directory for t in read)), whose)


def tfvars_variables(facts: Facts, files: TfvarsFiles) -> list[str]:
    """The contract variables a tfvars file is for: a shared file's are its values' keys (and no per-env file's)."""
    shared = {s.files.file: s.tfvars for s in facts.shared_tfvars}
    if not files.per_env:
        return list(shared.get(files.file, {}))
    elsewhere = {name for values in shared.values() for name in values}
    chosen = files.variables
    return [name for name in facts.ssot.variables if name not in elsewhere and (chosen is None or name in chosen)]


def check_terraform(facts: Facts, snapshot: Snapshot) -> list[Finding]:
    """Findings where the Terraform and the contract in ssot/env.yaml disagree. Raises SsotError (exit 2)."""
    layers = snapshot.terraform
    if not layers:
        return []
    findings = [_missing_directory(facts, t) for t in layers if t.module.variables is None]
    findings += [_empty_directory(facts, t) for t in layers if t.module.files == {} and not t.module.terragrunt_unit]
    for files in facts.layout.tfvars:
        declarations = fed_declarations(snapshot, files)
        if declarations is not None:
            findings += _undeclared(facts, snapshot, declarations, tfvars_variables(facts, files))
    seen: set[tuple[str, int]] = set()  # two layers may share a directory: report each block once, as a
    for layer in sorted(layers, key=lambda t: facts.layout.feeding(t.layer_id) is None):  # fed layer's if one
        for variable in (layer.module.variables or {}).values():
            if (variable.file, variable.line) not in seen:
                seen.add((variable.file, variable.line))
                findings += _variable_findings(facts, layer, variable)
    findings += default_mismatches(facts, layers)
    return findings


def _missing_directory(facts: Facts, layer: LayerTerraform) -> Finding:
    return Finding(
        SSOT_PATH,
        facts.line_of(*layer.at) if layer.at else facts.line_of("layers", layer.layer_id, "terraform_dir"),
        f"layers.{layer.layer_id}.terraform_dir: {layer.module.directory!r} {layer.module.missing}"
        + (f" (the root of {layer.env})" if layer.env else ""),
        code=codes.TERRAFORM_DIR_MISSING,
        found=layer.module.directory,
        fix="correct the path (relative to the repository's top), or remove terraform_dir",
    )


def _empty_directory(facts: Facts, layer: LayerTerraform) -> Finding:
    return Finding(
        SSOT_PATH,
        facts.line_of(*layer.at) if layer.at else facts.line_of("layers", layer.layer_id, "terraform_dir"),
        f"layers.{layer.layer_id}.terraform_dir: {layer.module.directory!r} holds no .tf file, "
        "so Terraform has nothing to apply there",
        code=codes.TERRAFORM_DIR_EMPTY,
        found=layer.module.directory,
        fix="point terraform_dir at the directory of the layer's .tf files (not a parent of it), or add them here",
    )


def _undeclared(
    facts: Facts, snapshot: Snapshot, declarations: FedDeclarations, variables: list[str]
) -> Iterator[Finding]:
    """A variable of a tfvars file that no root of the layers it feeds declares, at the contract; and one that
    an `{env}` root declares for some environments but not for others, at each expansion that lacks it
    (whatever other roots hold: each environment's root is a root of its own)."""
    searched = ", ".join(declarations.directories)
    for name in variables:
        if name not in declarations.names:
            yield Finding(
                SSOT_PATH,
                facts.line_of("variables", name),
                f"variable {name!r} is declared by no {declarations.whose} Terraform (searched: {searched})",
                code=codes.TERRAFORM_UNDECLARED,
                fix=f'declare variable "{name}" in one of them, or remove it from variables in {SSOT_PATH}',
            )
        else:
            yield from _undeclared_in_env_roots(snapshot, name)


def _undeclared_in_env_roots(snapshot: Snapshot, name: str) -> Iterator[Finding]:
    """The expansions of an `{env}` root that lack `name` while another expansion of it declares it."""
    expansions: dict[tuple[str | int, ...], list[LayerTerraform]] = {}
    for root in snapshot.terraform:
        if root.env is not None and root.layer.scope == "per-env" and root.module.variables is not None:
            expansions.setdefault(root.at, []).append(root)
    for roots in expansions.values():
        declaring = next((r for r in roots if name in (r.module.variables or {})), None)
        if declaring is None:
            continue
        declared = (declaring.module.variables or {})[name]
        for root in roots:
            if name not in (root.module.variables or {}):
                yield Finding(
                    root.module.directory,
                    0,
                    f"variable {name!r} is not declared in this root of layer {root.layer_id} for {root.env}, "
                    f"but {declaring.env}'s root declares it ({declared.file}:{declared.line}): "
                    f"{root.env}'s plan would not get it",
                    code=codes.TERRAFORM_UNDECLARED,
                    fix=f'declare variable "{name}" here as in {declaring.module.directory}, '
                    "or link the file that declares it",
                )


def _variable_findings(facts: Facts, layer: LayerTerraform, variable: TerraformVariable) -> Iterator[Finding]:
    name = variable.name
    declared = facts.ssot.variables.get(name)
    fed_by = facts.layout.feeding(layer.layer_id)
    if declared is None:
        if fed_by is not None:
            yield Finding(
                variable.file,
                variable.line,
                f"variable {name!r} is not in the tfvars contract (variables in {SSOT_PATH})",
                code=codes.TERRAFORM_NOT_IN_SSOT,
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
            code=codes.TERRAFORM_TYPE,
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
            code=codes.TERRAFORM_SENSITIVE,
            expected=_hcl_bool(declared.sensitive),
            found=_hcl_bool(variable.sensitive),
            fix=f"make them agree: set sensitive here or under variables.{name} in {SSOT_PATH}",
        )
    if fed_by is not None and not variable.has_default and declared.in_tfvars:
        where, set_it = "", "under environments.<env>.values"
        if fed_by.per_env:
            unprovided = [
                env.name
                for env in facts.environments
                if layer.env in (None, env.name)
                and not any(f.files == fed_by and name in f.tfvars for f in env.tfvars_files)
            ]
            where = f"for {', '.join(unprovided)}"
        else:
            values = next(s.tfvars for s in facts.shared_tfvars if s.files == fed_by)
            unprovided = [] if name in values else [fed_by.file]
            where, set_it = f"in {fed_by.file}", f"in the values of {fed_by.file} under layout.tfvars"
        if unprovided:
            yield Finding(
                variable.file,
                variable.line,
                f"variable {name!r} has no default, and {SSOT_PATH} gives it no value {where}: "
                "Terraform would stop and ask for it",
                code=codes.TERRAFORM_UNPROVIDED,
                fix=f"set it {set_it} in {SSOT_PATH}, mark it injected: true there "
                f"if CI sets TF_VAR_{name}, or give it a default here",
            )


def _hcl_bool(value: bool) -> str:
    return "true" if value else "false"
