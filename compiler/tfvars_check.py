"""Real envs/<env>.tfvars files (not committed, may hold local values) checked against the contract.

When the per-env layers name Terraform directories (the layers that get `-var-file=envs/<env>.tfvars`;
shared layers get none), each key must also be a variable that one of them declares.

python-hcl2 is imported only when such a file exists: `ssot check` stays fast without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from compiler.errors import Problem, SsotError
from compiler.facts import Facts, var_file
from compiler.findings import Finding
from compiler.fsio import read_text, resolve_inside
from compiler.rules import matches_type, type_name
from compiler.terraform import PerEnvDeclarations, per_env_declarations
from compiler.text import closest


def check_real_tfvars(root: Path, facts: Facts) -> tuple[list[Finding], int]:
    """Findings for every envs/*.tfvars file, and how many files were read.

    Raises SsotError if one cannot be read as Terraform would.
    """
    environments = {env.name for env in facts.environments}
    findings: list[Finding] = []
    problems: list[Problem] = []
    paths = sorted((root / "envs").glob("*.tfvars"))
    # raises SsotError (invalid-terraform) by itself: a broken .tf file is not a broken tfvars file
    terraform = per_env_declarations(root, facts) if paths else None
    for path in paths:
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
                    code="tfvars-unknown-environment",
                    fix=f"rename it to one of those, or add {env!r} under environments in ssot/env.yaml",
                )
            )
            continue
        findings.extend(_check_attributes(facts, env, relative, attributes))
        if terraform is not None:
            findings.extend(_check_declared_in_terraform(facts, terraform, relative, attributes))
    if problems:
        raise SsotError(problems, code="invalid-tfvars")
    return findings, len(paths)


def parse_tfvars(text: str, filename: str) -> dict[str, tuple[int, Any]]:
    """name -> (line, value). Raises SsotError for what Terraform would refuse to read.

    That is: invalid HCL, an attribute set twice (python-hcl2 keeps the last one silently), a block, or a
    value that is not a literal (a variable, a function call, an interpolation). Messages never quote the
    file's text: the offending value may be a secret.
    """
    import hcl2  # heavy (a grammar to build): only when there is a tfvars file to read
    from lark import Tree
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        tree = hcl2.parses_to_tree(text)
        values = hcl2.transform(tree).serialize(
            options=hcl2.SerializationOptions(strip_string_quotes=True, with_comments=False, preserve_heredocs=False)
        )
    except UnexpectedInput as exc:
        line = min(exc.line, text.count("\n") or 1) if exc.line > 0 else 0
        raise SsotError([Problem(filename, line, 0, f"not valid HCL: {_describe_syntax_error(exc)}")]) from None
    except (LarkError, ValueError):
        raise SsotError([Problem(filename, 0, 0, "not valid HCL")]) from None
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    body = tree.children[0] if tree.children and isinstance(tree.children[0], Tree) else None
    for child in body.children if body is not None and body.data == "body" else []:
        if not isinstance(child, Tree) or child.data == "new_line_or_comment":
            continue
        first = next(child.scan_values(lambda _: True))
        line = getattr(first, "line", 0)
        if child.data != "attribute":
            problems.append(Problem(filename, line, 0, "a tfvars file holds only `name = value` lines, not blocks"))
            continue
        name = str(first)
        if name in lines:
            problems.append(
                Problem(
                    filename, line, 0, f"{name!r} is set twice (first at line {lines[name]}); Terraform refuses that"
                )
            )
        elif not _is_literal(child.children[-1]):
            problems.append(
                Problem(
                    filename,
                    line,
                    0,
                    f"the value of {name!r} is not a literal; Terraform allows no variables, "
                    'function calls or ${...} interpolation in a tfvars file (quote text: "...")',
                )
            )
        lines.setdefault(name, line)
    if problems:
        raise SsotError(problems)
    return {name: (lines.get(name, 0), value) for name, value in values.items() if not name.startswith("__")}


_NOT_LITERAL = {
    "interpolation", "function_call", "binary_op", "conditional", "get_attr", "index_expr_term",
    "full_splat_expr_term", "attr_splat_expr_term", "for_tuple_expr", "for_object_expr",
}  # fmt: skip


def _is_literal(expression: Any) -> bool:
    """True if an attribute's value is a constant (strings, numbers, bools, null, lists and maps of them)."""
    from lark import Tree

    stack = [(expression, False)]
    while stack:
        node, in_key = stack.pop()
        if not isinstance(node, Tree):
            continue
        if node.data in _NOT_LITERAL or str(node.data).startswith("template_"):
            return False
        # A bare name is a variable reference, except as a map key (`{ team = "web" }`).
        if (
            node.data == "expr_term"
            and not in_key
            and any(isinstance(c, Tree) and c.data == "identifier" for c in node.children)
        ):
            return False
        stack.extend((child, in_key or node.data == "object_elem_key") for child in node.children)
    return True


def _describe_syntax_error(exc: Any) -> str:
    """What the parser expected, in words, without echoing the text it choked on."""
    token = getattr(exc, "token", None)
    kind = getattr(token, "type", None)
    if kind == "$END":
        return "the file ends too early (an unterminated string, bracket or brace?)"
    if kind is not None:
        return f"unexpected {kind.lower().replace('_', ' ')} (text needs double quotes, and a value must follow '=')"
    return "unexpected character (text needs double quotes, and a value must follow '=')"


def _check_attributes(facts: Facts, env: str, relative: str, attributes: dict[str, tuple[int, Any]]) -> list[Finding]:
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
                    code="tfvars-undeclared",
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
                    code="tfvars-sensitive",
                    fix=f"remove it; inject it another way (TF_VAR_{name} from CI)",
                )
            )
        elif name == "environment" and value != env:
            findings.append(
                Finding(
                    relative,
                    line,
                    f"environment is {value!r}, but this file is {var_file(env)}",
                    code="tfvars-environment",
                    expected=env,
                    found=str(value),
                    fix=f'set environment = "{env}"',
                )
            )
        elif not matches_type(value, variable.type):
            findings.append(
                Finding(
                    relative,
                    line,
                    f"{name!r} is declared as {variable.type}, but its value is {type_name(value)}",
                    code="tfvars-type",
                    expected=variable.type,
                    found=type_name(value),
                )
            )
    for name, variable in variables.items():
        if variable.required and not (variable.sensitive or variable.injected) and name not in attributes:
            findings.append(
                Finding(
                    relative,
                    0,
                    f"required variable {name!r} is not set",
                    code="tfvars-missing",
                    fix=f"add it; see {var_file(env)}.example",
                )
            )
    return findings


def _check_declared_in_terraform(
    facts: Facts, terraform: PerEnvDeclarations, relative: str, attributes: dict[str, tuple[int, Any]]
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
                code="tfvars-not-in-terraform",
                found=name,
                expected=close,
                fix=f'declare variable "{name}" in the Terraform, or remove it here and from ssot/env.yaml',
            )
        )
    return findings
