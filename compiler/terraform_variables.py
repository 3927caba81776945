"""A Terraform directory's `variable` blocks, read with python-hcl2: name, type, default, sensitive, place.

Only what the tfvars contract needs is read; every other block is skipped. python-hcl2 is imported inside
the functions that parse, so nothing pays for it unless a layer names a Terraform directory.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from compiler.errors import Problem, SsotError
from compiler.fsio import read_text, resolve_inside

#: Terraform's type keywords and constructors -> the SSOT's types; None: agrees with anything.
SSOT_TYPES: dict[str, str | None] = {
    "string": "string",
    "number": "number",
    "bool": "bool",
    "list": "list",
    "set": "list",
    "tuple": "list",
    "map": "map",
    "object": "object",
    "any": None,
}


@dataclass(frozen=True)
class TerraformVariable:
    """One `variable` block, located at its `variable` keyword (file relative to the repository's top)."""

    name: str
    file: str
    line: int
    #: the type as written, shortened to its keyword or constructor (`set(...)`); None when not given
    type_written: str | None
    has_default: bool
    sensitive: bool
    #: the attributes the block sets (an override block replaces only those)
    written: frozenset[str] = frozenset()

    @property
    def ssot_type(self) -> str | None:
        """The SSOT type this Terraform type stands for; None agrees with any; an unknown keyword stays as is."""
        if self.type_written is None:
            return None
        keyword = self.type_written.removesuffix("(...)")
        return SSOT_TYPES.get(keyword, keyword)


def read_directory(root: Path, directory: str) -> dict[str, TerraformVariable] | None:
    """The variables of the Terraform module in `directory` (relative to `root`), by name.

    None when the directory does not exist. Like Terraform, reads the directory's `*.tf` files only (not
    subdirectories, which are other modules), and applies override files (`override.tf`, `*_override.tf`)
    last, their attributes replacing the original's. Raises SsotError (code invalid-terraform) for a file
    Terraform would refuse: invalid HCL, a variable declared twice, an attribute set twice.
    """
    path = resolve_inside(root, directory)
    if not path.is_dir():
        return None
    files = sorted(path.glob("*.tf"), key=lambda p: (_is_override(p.name), p.name))
    variables: dict[str, TerraformVariable] = {}
    problems: list[Problem] = []
    for file in files:
        relative = file.relative_to(root).as_posix()
        try:
            text = read_text(resolve_inside(root, relative), relative)
            found = parse_variables(text, relative) if text is not None else ()
        except SsotError as exc:
            problems.extend(exc.problems)
            continue
        for variable in found:
            first = variables.get(variable.name)
            if first is None:
                variables[variable.name] = variable
            elif _is_override(file.name):
                variables[variable.name] = _overridden(first, variable)
            else:
                problems.append(
                    Problem(
                        variable.file,
                        variable.line,
                        0,
                        f"variable {variable.name!r} is declared twice in {directory}: "
                        f"first at {first.file}:{first.line}; Terraform refuses that",
                    )
                )
    if problems:
        raise SsotError(problems, code="invalid-terraform")
    return variables


def _is_override(filename: str) -> bool:
    return filename == "override.tf" or filename.endswith("_override.tf")


def _overridden(original: TerraformVariable, override: TerraformVariable) -> TerraformVariable:
    """An override block replaces the attributes it sets; findings point at it, the last word on the variable."""
    return replace(
        original,
        file=override.file,
        line=override.line,
        type_written=override.type_written if "type" in override.written else original.type_written,
        has_default=original.has_default or override.has_default,
        sensitive=override.sensitive if "sensitive" in override.written else original.sensitive,
        written=original.written | override.written,
    )


@functools.lru_cache(maxsize=128)
def parse_variables(text: str, filename: str) -> tuple[TerraformVariable, ...]:
    """The `variable` blocks of one .tf file. Cached: the tfvars check and the cross-check both ask.

    Messages never quote the file's text: a default may be a secret.
    """
    import hcl2  # heavy (a grammar to build): only when a layer has Terraform to read
    from lark import Tree
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        tree = hcl2.parses_to_tree(text)
    except UnexpectedInput as exc:
        last_line = text.count("\n") or 1
        line = min(exc.line, last_line) if exc.line > 0 else 0
        raise SsotError(
            [Problem(filename, line, 0, f"not valid HCL: {_syntax_hint(exc)}")], code="invalid-terraform"
        ) from None
    except (LarkError, ValueError):
        raise SsotError([Problem(filename, 0, 0, "not valid HCL")], code="invalid-terraform") from None
    body = tree.children[0] if tree.children and isinstance(tree.children[0], Tree) else None
    variables: list[TerraformVariable] = []
    problems: list[Problem] = []
    for block in body.children if body is not None and body.data == "body" else []:
        if not isinstance(block, Tree) or block.data != "block" or _name(block.children[0]) != "variable":
            continue
        keyword = next(block.scan_values(lambda _: True))
        line = getattr(keyword, "line", 0)
        labels = [c for c in block.children[1:] if isinstance(c, Tree) and c.data in ("identifier", "string")]
        if len(labels) != 1:
            problems.append(Problem(filename, line, 0, 'a variable block takes one name: variable "name" { ... }'))
            continue
        name = _name(labels[0])
        attributes, block_problems = _attributes(block, filename)
        problems += block_problems
        sensitive = attributes.get("sensitive")
        sensitive_value = _bool(sensitive) if sensitive is not None else False
        if sensitive_value is None:
            problems.append(Problem(filename, line, 0, f"variable {name!r}: sensitive must be true or false"))
            continue
        type_expression = attributes.get("type")
        variables.append(
            TerraformVariable(
                name=name,
                file=filename,
                line=line,
                type_written=_type_written(type_expression) if type_expression is not None else None,
                has_default="default" in attributes,
                sensitive=sensitive_value,
                written=frozenset(attributes),
            )
        )
    if problems:
        raise SsotError(problems, code="invalid-terraform")
    return tuple(variables)


def _attributes(block: Any, filename: str) -> tuple[dict[str, Any], list[Problem]]:
    """The block's own attributes (nested blocks such as `validation` skipped): name -> expression."""
    from lark import Tree

    body = next((c for c in block.children if isinstance(c, Tree) and c.data == "body"), None)
    attributes: dict[str, Any] = {}
    problems = []
    for child in body.children if body is not None else []:
        if isinstance(child, Tree) and child.data == "attribute":
            name = _name(child.children[0])
            if name in attributes:
                line = getattr(next(child.scan_values(lambda _: True)), "line", 0)
                problems.append(
                    Problem(filename, line, 0, f"{name!r} is set twice in one block; Terraform refuses that")
                )
            attributes[name] = child.children[-1]
    return attributes, problems


def _name(node: Any) -> str:
    """The text of an identifier, or of a plain quoted string (a block label)."""
    from lark import Token

    return "".join(
        str(v) for v in node.scan_values(lambda v: isinstance(v, Token) and v.type in ("NAME", "STRING_CHARS"))
    )


def _term(expression: Any) -> Any:
    """The one node inside an `expr_term` (a keyword, a call, a string, a literal), else the expression."""
    from lark import Tree

    inner = [c for c in expression.children if isinstance(c, Tree)] if isinstance(expression, Tree) else []
    return inner[0] if getattr(expression, "data", None) == "expr_term" and len(inner) == 1 else expression


def _type_written(expression: Any) -> str:
    """`string`, `set(...)`, ... The quoted form of Terraform 0.11 (`"string"`) reads as its keyword."""
    term = _term(expression)
    kind = getattr(term, "data", None)
    if kind in ("identifier", "string"):
        return _name(term)
    if kind == "function_call":
        return f"{_name(term.children[0])}(...)"
    return "an expression"


def _bool(expression: Any) -> bool | None:
    """true / false, or their quoted forms (which HCL converts); None for anything else."""
    term = _term(expression)
    kind = getattr(term, "data", None)
    text = _name(term) if kind == "string" else str(term.children[0]) if kind == "literal_value" else ""
    return {"true": True, "false": False}.get(text)


def _syntax_hint(exc: Any) -> str:
    """Where the parser gave up, in words, without echoing the text it choked on."""
    kind = getattr(getattr(exc, "token", None), "type", None)
    if kind == "$END":
        return "the file ends too early (an unterminated string, bracket or brace?)"
    return "unexpected text (a missing value, quote, bracket or brace?)"
