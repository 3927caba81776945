"""The tfvars contract `ssot init` drafts (pure): the variables of the roots the tfvars files feed (a
module's inputs stay out), and each environment's values where its tfvars file states them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from compiler.app.init.inputs import Inputs
from compiler.app.init.layers import DraftLayer
from compiler.app.init.tfvars import FedBy, file_values
from compiler.core.values import converted
from compiler.formats.terraform import TerraformVariable
from compiler.secrets.shapes import secret_reason, secret_word

#: A value of each type for a required variable no tfvars file states (marked TODO review in the draft);
#: the text one is a DNS label, so that it passes any shape rule a contract variable has (env_prefix's).
PLACEHOLDERS: dict[str, Any] = {"string": "todo", "number": 0, "bool": False, "list": [], "map": {}, "object": {}}
#: The variable whose value is each environment's name: no tfvars value of it is drafted.
NAMED = "environment"
#: What a variable of this name means in nearly every repository, when its block has no description.
_WELL_KNOWN = {"environment": "Name of the environment (each environment's tfvars sets its own name)."}


@dataclass(frozen=True)
class ContractVariable:
    type: str
    description: str
    sensitive: bool
    required: bool


@dataclass(frozen=True)
class Value:
    value: Any
    #: taken from a tfvars file (else a placeholder to review)
    stated: bool


def contract_of(
    inputs: Inputs,
    layers: Sequence[DraftLayer],
    fed: Sequence[FedBy],
    envs: Sequence[str],
    review: list[str],
) -> tuple[dict[str, ContractVariable], dict[str, dict[str, Value]], dict[int, list[str]]]:
    """The contract (sorted by name), each environment's values, and each tfvars file's variables."""
    declared: dict[str, TerraformVariable] = {}
    described: dict[str, str] = {}
    by_file: dict[int, list[str]] = {}
    for index, fed_by in enumerate(fed):
        names: list[str] = []
        for root in (r for i in fed_by.feeds for r in layers[i].roots(envs)):
            for name, block in inputs.variables.get(root, {}).items():
                names.append(name)
                first = declared.setdefault(name, block)
                if block.description and name not in described:
                    described[name] = block.description
                if first.ssot_type != block.ssot_type or first.sensitive != block.sensitive:
                    review.append(f"variable {name!r}: {block.file} and {first.file} disagree on type or sensitive")
        by_file[index] = sorted(set(names))
    contract: dict[str, ContractVariable] = {}
    values: dict[str, dict[str, Value]] = {env: {} for env in envs}
    for name in sorted(declared):
        contract[name] = _variable(name, declared[name], described.get(name), review)
    for index, fed_by in enumerate(fed):
        for env in envs:
            stated = file_values(inputs, fed_by, env)
            for name in by_file[index]:
                variable = contract[name]
                if variable.sensitive or name in values[env] or name == NAMED:
                    continue
                value = _value(name, stated.get(name), variable, env, review)
                if value is not None:
                    values[env][name] = value
    for name, variable in contract.items():
        if (
            variable.required
            and not variable.sensitive
            and name != NAMED
            and not all(_stated(values[e], name) for e in envs)
        ):
            review.append(f"variable {name!r} has no default and no value in some tfvars file: set its values")
    return contract, {env: dict(sorted(stated.items())) for env, stated in values.items()}, by_file


def _variable(name: str, block: TerraformVariable, description: str | None, review: list[str]) -> ContractVariable:
    kind = block.ssot_type if block.ssot_type in PLACEHOLDERS else "string"
    if block.ssot_type != kind:
        review.append(f"variable {name!r}: type {block.type_written or 'not given'} drafted as string")
    if description is None and name in _WELL_KNOWN:
        description = _WELL_KNOWN[name]
    if description is None:
        description = f"TODO review: what {name} means"
        review.append(f"variable {name!r} has no description: write one")
    sensitive = block.sensitive
    if not sensitive and secret_word(name) is not None and kind not in ("number", "bool"):
        # the rules require it (a secret never goes into a tfvars file): say so rather than refuse
        sensitive = True
        review.append(f"variable {name!r} looks like a secret: drafted sensitive (set it as TF_VAR_{name})")
    return ContractVariable(kind, description, sensitive, required=not block.has_default)


def _value(name: str, stated: Any, variable: ContractVariable, env: str, review: list[str]) -> Value | None:
    """The value to draft for one variable in one environment: the file's (converted as Terraform converts
    it: a script's `count = "2"` is the number 2), else a placeholder if required."""
    stated = converted(stated, variable.type)
    fits = _fits(stated, variable.type)
    if fits and secret_reason(name, stated) is not None:
        fits = False  # never copy what looks like a secret into a committed file
        review.append(f"variable {name!r}: the value in {env}'s tfvars looks like a secret; not copied")
    if fits:
        return Value(stated, stated=True)
    if stated is not None and not fits:
        review.append(f"variable {name!r}: {env}'s tfvars gives a value that is not a {variable.type}; not copied")
    return Value(PLACEHOLDERS[variable.type], stated=False) if variable.required else None


def _stated(values: dict[str, Value], name: str) -> bool:
    return name in values and values[name].stated


def _fits(value: Any, kind: str) -> bool:
    """Whether a tfvars value is of the contract's type (a bool is no number, though Python says so)."""
    if value is None or isinstance(value, bool) != (kind == "bool"):
        return False
    return isinstance(value, (int, float)) if kind == "number" else isinstance(value, type(PLACEHOLDERS[kind]))
