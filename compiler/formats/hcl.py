"""HCL, read with python-hcl2: the one module that imports it, for tfvars files and Terraform alike.

python-hcl2 is heavy (its first parse builds a grammar), so a plain file is read by hcl_plain.py, which
answers as python-hcl2 would or leaves the file to it. Messages never quote the text: a value may be a
secret. Values are as Terraform reads them (`1e3` a number, `$${` as `${`, a heredoc's last line break
kept: compiler/formats/terraform.py). What python-hcl2 is given is bounded first, by size and nesting
depth (compiler/formats/hcl_budget.py).
"""

from __future__ import annotations

from typing import Any

from compiler import codes
from compiler.errors import Problem, SsotError
from compiler.formats import terraform
from compiler.formats.hcl_budget import TOO_DEEP, check_budget
from compiler.formats.hcl_plain import description_text, read_tfvars, read_variables
from compiler.formats.terraform import UNREAD, TerraformVariable, as_terraform_reads, defaults_as_terraform_reads

#: name -> (line, value) of a tfvars file
Attributes = dict[str, tuple[int, Any]]


def _parse(text: str, filename: str, code: str) -> Any:
    """The lark tree of `text`. Raises SsotError (`code`) naming the line where parsing gave up."""
    check_budget(text, filename, code)
    import hcl2
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        return hcl2.parses_to_tree(text)
    except UnexpectedInput as exc:
        # the parser may point past the last line (at the end of the input)
        line = min(exc.line, text.count("\n") or 1) if exc.line > 0 else 0
        raise SsotError([Problem(filename, line, 0, f"not valid HCL: {_syntax_hint(exc)}")], code=code) from None
    except (LarkError, ValueError):
        raise SsotError([Problem(filename, 0, 0, "not valid HCL")], code=code) from None
    except RecursionError:  # nesting the scan could not see (inside ${...} in a string)
        raise SsotError([Problem(filename, 0, 0, TOO_DEEP)], code=code) from None


def parse_tfvars(text: str, filename: str) -> Attributes:
    """name -> (line, value) of a tfvars file. Raises SsotError (invalid-tfvars) for what Terraform refuses.

    That is: invalid HCL, an attribute set twice (python-hcl2 keeps the last one silently), a block, or a
    value that is not a literal (a variable, a function call, an interpolation).
    """
    check_budget(text, filename, codes.INVALID_TFVARS)
    if (plain := read_tfvars(text)) is not None:
        return as_terraform_reads(text, plain)
    from lark import Tree
    from lark.exceptions import LarkError

    tree = _parse(text, filename, codes.INVALID_TFVARS)
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
        raise SsotError(problems, code=codes.INVALID_TFVARS)
    # Only literals are serialized: python-hcl2 raises TypeError on some expressions (`[for x in y : 1]`).
    try:
        values = _data(tree, text)
    except (LarkError, ValueError, TypeError):
        raise SsotError([Problem(filename, 0, 0, "not valid HCL")], code=codes.INVALID_TFVARS) from None
    except RecursionError:
        raise SsotError([Problem(filename, 0, 0, TOO_DEEP)], code=codes.INVALID_TFVARS) from None
    attributes = {name: (lines.get(name, 0), value) for name, value in values.items() if not name.startswith("__")}
    return as_terraform_reads(text, attributes)


def parse_variables(text: str, filename: str) -> tuple[TerraformVariable, ...]:
    """The `variable` blocks of one .tf file (every other block is skipped). Raises SsotError (invalid-terraform)."""
    check_budget(text, filename, codes.INVALID_TERRAFORM)
    if (plain := read_variables(text, filename)) is not None:
        return defaults_as_terraform_reads(text, plain)
    from lark import Tree

    tree = _parse(text, filename, codes.INVALID_TERRAFORM)
    body = tree.children[0] if tree.children and isinstance(tree.children[0], Tree) else None
    variables: list[TerraformVariable] = []
    problems: list[Problem] = []
    bodies = _bodies(tree, text)
    blocks = 0
    for block in body.children if body is not None and body.data == "body" else []:
        if not isinstance(block, Tree) or block.data != "block" or _name(block.children[0]) != "variable":
            continue
        blocks += 1
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
                default=bodies[blocks - 1].get("default", UNREAD) if len(bodies) >= blocks else UNREAD,
                description=description_text(bodies[blocks - 1].get("description")) if len(bodies) >= blocks else None,
            )
        )
    if problems:
        raise SsotError(problems, code=codes.INVALID_TERRAFORM)
    return defaults_as_terraform_reads(text, tuple(variables))


def _bodies(tree: Any, text: str) -> list[dict[str, Any]]:
    """Per `variable` block, in order: its attributes as data (the default read as tfvars values are); an
    empty list when python-hcl2 cannot turn the file into data (defaults are then not compared)."""
    from lark.exceptions import LarkError

    try:
        data = _data(tree, text)
    except (LarkError, ValueError, TypeError, RecursionError):
        return []
    blocks = data.get("variable", []) if isinstance(data, dict) else []
    bodies = [next(iter(block.values()), None) for block in blocks if isinstance(block, dict)]
    return [body if isinstance(body, dict) else {} for body in bodies]


def _data(tree: Any, text: str) -> Any:
    """python-hcl2's data of the parsed `text`: strings without their quotes, heredocs as Terraform reads them."""
    from hcl2 import SerializationOptions, transform

    options = SerializationOptions(strip_string_quotes=True, with_comments=False, preserve_heredocs=True)
    return terraform.heredocs_as_terraform_reads(text, transform(tree).serialize(options=options))


_NOT_LITERAL = {"interpolation", "function_call", "binary_op", "conditional", "get_attr", "index_expr_term",
                "full_splat_expr_term", "attr_splat_expr_term", "for_tuple_expr", "for_object_expr"}  # fmt: skip


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
    if kind is not None:
        return f"unexpected {kind.lower().replace('_', ' ')} (text needs double quotes, and a value must follow '=')"
    return "unexpected text (a missing value, quote, bracket or brace?)"
