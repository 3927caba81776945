"""A Terraform root's default for a contract variable, against the value ssot/env.yaml states for it there.

The SSOT is the one place a value is stated, so a default is compared with it, never with another root's
default (two roots may well default differently where the SSOT says nothing). A root whose tfvars file sets
the variable for every environment it serves never uses its default (Terraform takes the tfvars value): no
finding, whatever it says. A root fed by a tfvars file that leaves the variable out for some environment uses
its default there, where the SSOT states nothing: no finding either. A root no tfvars file feeds takes the
default: it is compared with what the SSOT states for the variable anywhere, when that is one value. A block
linked into several roots (the snapshot reads it under its real path) is one default for all of them:
compared only when every root that uses it gets the same stated value, and reported once, where it really
is. `default = null` means "required": never compared. Values are never shown: a default may be a secret.
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler import codes
from compiler.core.facts import Facts
from compiler.core.layout import SSOT_PATH
from compiler.findings import Finding
from compiler.formats.terraform import UNREAD, TerraformVariable, same_value
from compiler.formats.yaml_walk import Path
from compiler.io.snapshot import LayerTerraform

#: a value the SSOT states, and where: the key path it is written at
Stated = tuple[object, Path]
#: a root whose tfvars set the variable for every environment it serves: its default is never used
UNUSED = "unused"


def default_mismatches(facts: Facts, roots: tuple[LayerTerraform, ...]) -> Iterator[Finding]:
    """Each contract variable's default that differs from the value the SSOT states wherever it applies."""
    # a block linked into several roots is one default for every environment those roots serve
    blocks: dict[tuple[str, int], tuple[TerraformVariable, list[Stated | None]]] = {}
    for root in roots:
        for name, variable in (root.module.variables or {}).items():
            if name not in facts.ssot.variables or variable.default is None or variable.default is UNREAD:
                continue  # no default, `null` (required), or one that is not a constant
            entry = blocks.setdefault((variable.file, variable.line), (variable, []))
            value = stated_value(facts, root, name)
            if not isinstance(value, str):  # UNUSED: that root takes the value from its tfvars
                entry[1].append(value)
    for variable, stated in blocks.values():
        if not stated:
            continue  # every root it is in gets the value from its tfvars
        first = stated[0]
        if first is None or any(s is None or not same_value(s[0], first[0]) for s in stated[1:]):
            continue  # a root where the SSOT states no value, or another one: the default is used there
        if same_value(variable.default, first[0]):
            continue
        at = facts.written(first[1])
        where = f"{SSOT_PATH}:{facts.line_of(*at)} ({'.'.join(map(str, at))})"
        yield Finding(
            variable.file,
            variable.line,
            f"variable {variable.name!r}: its default here differs from the value {where} gives it",
            code=codes.TERRAFORM_DEFAULT_MISMATCH,
            fix=f"make them agree: change the default here (or drop it: tfvars set the value), or the value at {where}",
        )


def stated_value(facts: Facts, root: LayerTerraform, name: str) -> Stated | str | None:
    """The one value the SSOT states for variable `name` in `root`, with where; UNUSED when the root's
    tfvars file sets it for every environment; None if it states none, or several (environments that
    differ: the default is then some environment's, which is no finding)."""
    fed = facts.layout.feeding(root.layer_id)
    envs = [env for env in facts.environments if root.env in (None, env.name)]
    if fed is not None:  # the file sets it everywhere (the default is unused), or leaves it to the default
        if fed.per_env:
            return UNUSED if envs and all(name in env.tfvars for env in envs) else None
        shared = next((s for s in facts.shared_tfvars if s.files == fed), None)
        return UNUSED if shared is not None and name in shared.tfvars else None
    statements: list[Stated] = []
    for index, files in enumerate(facts.layout.tfvars):
        shared = next((s for s in facts.shared_tfvars if s.files == files), None)
        if shared is not None and name in shared.tfvars:
            statements.append((shared.tfvars[name], ("layout", "tfvars", index, "values", name)))
    per_env = [(env.name, env.tfvars[name]) for env in envs if name in env.tfvars]
    if per_env and len(per_env) < len(envs):
        return None  # some environment leaves it to the default
    statements += [(value, _env_value_path(facts, env, name)) for env, value in per_env]
    if not statements or any(not same_value(value, statements[0][0]) for value, _ in statements[1:]):
        return None
    return statements[0]


def _env_value_path(facts: Facts, env: str, name: str) -> Path:
    """Where an environment's value of `name` is written: under its values, or as a field of its own."""
    for path in (("environments", env, "values", name), ("environments", env, name)):
        if path in facts.positions:
            return path
    return ("environments", env)
