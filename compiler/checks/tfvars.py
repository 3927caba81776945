"""Real envs/<env>.tfvars files (not committed, may hold local values) checked against the contract.

When the per-env layers name Terraform directories (the layers that get `-var-file=envs/<env>.tfvars`;
shared layers get none), each key must also be a variable that one of them declares.
"""

from __future__ import annotations

from compiler import codes
from compiler.checks.terraform import PerEnvDeclarations, per_env_declarations
from compiler.core.facts import Facts
from compiler.core.layout import REAL_SUFFIX, var_file
from compiler.core.rules import DNS_LABEL
from compiler.core.secret_shapes import could_be_secret
from compiler.core.values import converts_to, type_name
from compiler.errors import Problem, SsotError
from compiler.findings import Finding
from compiler.io.snapshot import Snapshot
from compiler.text import closest


def check_real_tfvars(facts: Facts, snapshot: Snapshot) -> list[Finding]:
    """Findings for every real envs/<env>.tfvars file (a name that is no DNS label, such as
    `staging.backend.tfvars`, is another kind of tfvars file). Raises SsotError if one cannot be read as
    Terraform would."""
    if not snapshot.real_tfvars:
        return []
    environments = {env.name for env in facts.environments}
    # raises SsotError (invalid-terraform) by itself: a broken .tf file is not a broken tfvars file
    terraform = per_env_declarations(snapshot)
    findings: list[Finding] = []
    problems: list[Problem] = []
    for file in snapshot.real_tfvars:
        env = file.path.rsplit("/", 1)[-1].removesuffix(REAL_SUFFIX)
        if not DNS_LABEL.fullmatch(env):
            # `staging.backend.tfvars`, `common.auto.tfvars`: no environment is named so (names are DNS
            # labels), so it is another kind of tfvars file (a backend config, a template), not a contract's
            continue
        try:
            attributes = file.attributes
        except SsotError as exc:
            problems.extend(exc.problems)
            continue
        if env not in environments:
            findings.append(
                Finding(
                    file.path,
                    0,
                    f"no environment {env!r} in ssot/env.yaml (known: {', '.join(sorted(environments))})",
                    code=codes.TFVARS_UNKNOWN_ENVIRONMENT,
                    fix=f"rename it to one of those, or add {env!r} under environments in ssot/env.yaml",
                )
            )
            continue
        findings.extend(_check_attributes(facts, env, file.path, attributes))
        declared = per_env_declarations(snapshot, env) if terraform is not None else None
        if declared is not None:  # what this environment's roots declare (its `{env}` roots, the shared ones)
            findings.extend(_check_declared_in_terraform(facts, declared, file.path, attributes))
    if problems:
        raise SsotError(problems, code=codes.INVALID_TFVARS)
    return findings


def _check_attributes(
    facts: Facts, env: str, relative: str, attributes: dict[str, tuple[int, object]]
) -> list[Finding]:
    variables = facts.ssot.variables
    findings = []
    for name, (line, value) in attributes.items():
        variable = variables.get(name)
        if variable is None:
            close = closest(name, variables)
            hint = f"; did you mean {close!r}?" if close else ""
            findings.append(
                Finding(
                    relative,
                    line,
                    f"{name!r} is not a variable of the contract in ssot/env.yaml{hint}",
                    code=codes.TFVARS_UNDECLARED,
                    found=name,
                    expected=close,
                    fix="remove it, or declare it under variables in ssot/env.yaml",
                )
            )
        elif variable.sensitive:
            findings.append(
                Finding(
                    relative,
                    line,
                    f"{name!r} is sensitive and must not be in a tfvars file",
                    code=codes.TFVARS_SENSITIVE,
                    fix=f"remove it; inject it another way (TF_VAR_{name} from CI)",
                )
            )
        elif name == "environment" and value != env:
            what, found = _shown(value)
            findings.append(
                Finding(
                    relative,
                    line,
                    f"environment is {what}, but this file is {var_file(env)}",
                    code=codes.TFVARS_ENVIRONMENT,
                    expected=env,
                    found=found,
                    fix=f'set environment = "{env}"',
                )
            )
        elif not converts_to(value, variable.type):
            findings.append(
                Finding(
                    relative,
                    line,
                    f"{name!r} is declared as {variable.type}, but its value is {type_name(value)}",
                    code=codes.TFVARS_TYPE,
                    expected=variable.type,
                    found=type_name(value),
                )
            )
    for name, variable in variables.items():
        if variable.needs_value and name not in attributes:
            findings.append(
                Finding(
                    relative,
                    0,
                    f"required variable {name!r} is not set",
                    code=codes.TFVARS_MISSING,
                    fix=f"add it; see {var_file(env)}.example",
                )
            )
    return findings


def _shown(value: object) -> tuple[str, str | None]:
    """How a message names a real tfvars value, and the `found` it reports: text is quoted only if it
    cannot be a secret (a real tfvars file holds local values), a list or a map is named by its type."""
    if isinstance(value, str):
        if could_be_secret(value):
            return "text that is not shown (it could be a secret)", None
        return repr(value), value
    if isinstance(value, (list, dict)):
        return f"a {type_name(value)}", None
    written = "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    return written, written


def _check_declared_in_terraform(
    facts: Facts, terraform: PerEnvDeclarations, relative: str, attributes: dict[str, tuple[int, object]]
) -> list[Finding]:
    """Keys the contract declares but no per-env layer's Terraform does (the others are reported above)."""
    findings = []
    searched = ", ".join(terraform.directories)
    for name, (line, _) in attributes.items():
        variable = facts.ssot.variables.get(name)
        if variable is None or variable.sensitive or name in terraform.names:
            continue
        close = closest(name, sorted(terraform.names))
        hint = f"; did you mean {close!r}?" if close else ""
        findings.append(
            Finding(
                relative,
                line,
                f"{name!r} is declared by no per-env layer's Terraform (searched: {searched}){hint}",
                code=codes.TFVARS_NOT_IN_TERRAFORM,
                found=name,
                expected=close,
                fix=f'declare variable "{name}" in the Terraform, or remove it here and from ssot/env.yaml',
            )
        )
    return findings
