"""Real tfvars files checked against the contract: one per environment (envs/<env>.tfvars), and the shared
ones the layout names (such as the bootstrap layer's). Local files (the default) may hold local values;
committed ones (`committed: true`, the team's configuration) must also hold the values ssot/env.yaml states.

When the layers a file feeds name Terraform directories (`-var-file`), each of its keys must also be a
variable that one of them declares.
"""

from __future__ import annotations

from collections.abc import Collection

from compiler import codes
from compiler.checks.terraform import FedDeclarations, fed_declarations, tfvars_variables
from compiler.core.facts import Facts
from compiler.core.layout import TfvarsFiles
from compiler.core.rules import DNS_LABEL
from compiler.core.values import converts_to, type_name
from compiler.errors import Problem, SsotError
from compiler.findings import Finding
from compiler.formats.terraform import same_value
from compiler.io.snapshot import Snapshot, TfvarsFile
from compiler.render.tfvars import tfvars_source
from compiler.secrets.shapes import could_be_secret
from compiler.text import closest


def check_real_tfvars(facts: Facts, snapshot: Snapshot) -> list[Finding]:
    """Findings for every real tfvars file. A file of layout.not_tfvars (a backend config), or whose
    environment part is no DNS label (`staging.backend.tfvars`), is another kind of file and not checked.
    Raises SsotError if one cannot be read as Terraform would."""
    if not snapshot.real_tfvars:
        return []
    environments = {env.name for env in facts.environments}
    findings: list[Finding] = []
    problems: list[Problem] = []
    # raises SsotError (invalid-terraform) by itself: a broken .tf file is not a broken tfvars file
    terraform = {files: fed_declarations(snapshot, files) for files in facts.layout.tfvars}
    for file in snapshot.real_tfvars:
        files = facts.layout.tfvars_of(file.path)
        if files is None:
            continue
        env = files.environment(file.path)
        if files.per_env and (env is None or not DNS_LABEL.fullmatch(env)):
            # `staging.backend.tfvars`, `common.auto.tfvars`: no environment is named so (names are DNS
            # labels), so it is another kind of tfvars file (a backend config, a template), not a contract's
            continue
        try:
            attributes = file.attributes
        except SsotError as exc:
            problems.extend(exc.problems)
            continue
        if env is not None and env not in environments:
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
        findings.extend(_check_attributes(facts, files, env, file, attributes))
        if files.committed:
            findings.extend(_check_stated_values(facts, file.path, env, attributes))
        declared = fed_declarations(snapshot, files, env) if terraform[files] is not None else None
        if declared is not None:  # what this environment's roots declare (its `{env}` roots, the shared ones)
            findings.extend(_check_declared_in_terraform(facts, declared, file.path, attributes))
    if problems:
        raise SsotError(problems, code=codes.INVALID_TFVARS)
    return findings


def _check_attributes(
    facts: Facts, files: TfvarsFiles, env: str | None, file: TfvarsFile, attributes: dict[str, tuple[int, object]]
) -> list[Finding]:
    variables = facts.ssot.variables
    relative = file.path
    own: Collection[str] = tfvars_variables(facts, files)
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
        elif files.variables is not None and name not in own and not variable.sensitive:
            findings.append(
                Finding(
                    relative,
                    line,
                    f"{name!r} is not one of the variables {files.file} sets (layout.tfvars in ssot/env.yaml): "
                    f"{', '.join(own)}",
                    code=codes.TFVARS_UNDECLARED,
                    found=name,
                    fix=f"remove it, or add {name!r} to that file's variables under layout.tfvars in ssot/env.yaml",
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
        elif name == "environment" and env is not None and value != env:
            what, found = _shown(value)
            findings.append(
                Finding(
                    relative,
                    line,
                    f"environment is {what}, but this file is {files.var_file(env)}",
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
    example = files.example_file(env)
    see = f"; see {example}" if example else ""
    for name in own:
        if variables[name].needs_value and name not in attributes:
            findings.append(
                Finding(
                    relative,
                    0,
                    f"required variable {name!r} is not set",
                    code=codes.TFVARS_MISSING,
                    fix=f"add it{see}",
                )
            )
    return findings


def _check_stated_values(
    facts: Facts, relative: str, env: str | None, attributes: dict[str, tuple[int, object]]
) -> list[Finding]:
    """A committed file's values against those ssot/env.yaml states for it (as Terraform compares them:
    "2" is 2); a local file's values are its user's business."""
    environment = None
    if env is None:
        stated = next((s.tfvars for s in facts.shared_tfvars if s.files.file == relative), {})
    else:
        environment = next((e for e in facts.environments if e.name == env), None)
        tfvars = environment.tfvars_files if environment is not None else ()
        stated = next((f.tfvars for f in tfvars if f.var_file == relative), {})
    findings = []
    for name, wanted in stated.items():
        if name not in attributes or name == "environment" or same_value(attributes[name][1], wanted):
            continue  # a missing one, and the environment's name, are reported above
        line, value = attributes[name]
        what, found = _shown(value)
        expected = _shown(wanted)[1]
        said = (
            f"is {what}, but ssot/env.yaml states {expected}"
            if expected and found
            else "is not the value ssot/env.yaml states"
        )
        written, at, _ = facts.locate(tfvars_source(environment, name) if environment is not None else ())
        where = f" ({'.'.join(map(str, written))}, line {at})" if written else ""
        findings.append(
            Finding(
                relative,
                line,
                f"{name!r} {said}{where}",
                code=codes.TFVARS_VALUE,
                expected=expected,
                found=found,
                # `ssot build` never writes a committed tfvars file: one side or the other is changed by hand
                fix=f"set {name} here to the value ssot/env.yaml states, or change it there",
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
    facts: Facts, terraform: FedDeclarations, relative: str, attributes: dict[str, tuple[int, object]]
) -> list[Finding]:
    """Keys the contract declares but no fed layer's Terraform does (the others are reported above)."""
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
                f"{name!r} is declared by no {terraform.whose} Terraform (searched: {searched}){hint}",
                code=codes.TFVARS_NOT_IN_TERRAFORM,
                found=name,
                expected=close,
                fix=f'declare variable "{name}" in the Terraform, or remove it here and from ssot/env.yaml',
            )
        )
    return findings
