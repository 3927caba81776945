"""Real envs/<env>.tfvars files (not committed, may hold local values) checked against the contract.

python-hcl2 is imported here only, and only when such a file exists: `ssot check` stays fast without it.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from compiler.errors import Problem, SsotError
from compiler.facts import Facts, var_file
from compiler.findings import Finding
from compiler.fsio import read_text, resolve_inside
from compiler.rules import matches_type, type_name


def check_real_tfvars(root: Path, facts: Facts) -> list[Finding]:
    """Findings for every envs/*.tfvars file. Raises SsotError if one cannot be parsed."""
    environments = {env.name for env in facts.environments}
    findings: list[Finding] = []
    problems: list[Problem] = []
    for path in sorted((root / "envs").glob("*.tfvars")):
        relative = path.relative_to(root).as_posix()
        env = path.name.removesuffix(".tfvars")
        try:
            text = read_text(resolve_inside(root, relative), relative)
            if text is None:
                continue
            attributes = parse_tfvars(text, relative)
        except SsotError as exc:
            problems.extend(exc.problems)
            continue
        if env not in environments:
            findings.append(
                Finding(
                    relative,
                    0,
                    f"no environment {env!r} in ssot/env.yaml (known: {', '.join(sorted(environments))})",
                    fix=f"rename it to one of those, or add {env!r} under environments in ssot/env.yaml",
                )
            )
            continue
        findings.extend(_check_attributes(facts, env, relative, attributes))
    if problems:
        raise SsotError(problems)
    return findings


def parse_tfvars(text: str, filename: str) -> dict[str, tuple[int, Any]]:
    """name -> (line, value). Raises SsotError for unparsable HCL or a duplicated attribute."""
    import hcl2  # heavy (a grammar to build): only when there is a tfvars file to read
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        tree = hcl2.parses_to_tree(text)
        values = hcl2.transform(tree).serialize(
            options=hcl2.SerializationOptions(strip_string_quotes=True, with_comments=False)
        )
    except UnexpectedInput as exc:
        raise SsotError(
            [Problem(filename, exc.line, exc.column, "not valid HCL: " + str(exc).splitlines()[0])]
        ) from None
    except (LarkError, ValueError) as exc:
        raise SsotError([Problem(filename, 0, 0, f"not valid HCL: {exc}")]) from None
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    for body in tree.find_data("body"):
        for child in body.children:
            if getattr(child, "data", None) != "attribute":
                continue
            name_token = next(child.children[0].scan_values(lambda _: True))
            name, line = str(name_token), name_token.line
            if name in lines:
                problems.append(
                    Problem(
                        filename,
                        line,
                        0,
                        f"{name!r} is set twice (first at line {lines[name]}); Terraform refuses that",
                    )
                )
            lines.setdefault(name, line)
        break  # only the top-level body: tfvars hold attributes, never blocks
    if problems:
        raise SsotError(problems)
    return {name: (lines.get(name, 0), value) for name, value in values.items() if not name.startswith("__")}


def _check_attributes(facts: Facts, env: str, relative: str, attributes: dict[str, tuple[int, Any]]) -> list[Finding]:
    variables = facts.ssot.variables
    findings = []
    for name, (line, value) in attributes.items():
        variable = variables.get(name)
        if variable is None:
            close = difflib.get_close_matches(name, list(variables), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            findings.append(
                Finding(
                    relative,
                    line,
                    f"{name!r} is not a variable of the contract in ssot/env.yaml{hint}",
                    fix="remove it, or declare it under variables in ssot/env.yaml",
                )
            )
        elif variable.sensitive:
            findings.append(
                Finding(
                    relative,
                    line,
                    f"{name!r} is sensitive and must not be in a tfvars file",
                    fix=f"remove it; inject it another way (TF_VAR_{name} from CI)",
                )
            )
        elif name == "environment" and value != env:
            findings.append(
                Finding(
                    relative,
                    line,
                    f"environment is {value!r}, but this file is {var_file(env)}",
                    fix=f'set environment = "{env}"',
                )
            )
        elif not matches_type(value, variable.type):
            findings.append(
                Finding(relative, line, f"{name!r} is declared as {variable.type}, but its value is {type_name(value)}")
            )
    for name, variable in variables.items():
        if variable.required and not variable.sensitive and name not in attributes:
            findings.append(
                Finding(
                    relative, 0, f"required variable {name!r} is not set", fix=f"add it; see {var_file(env)}.example"
                )
            )
    return findings
