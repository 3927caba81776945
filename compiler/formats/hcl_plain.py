"""The fast reader of plain HCL files (pure, no python-hcl2): tfvars attributes and `variable` blocks.

compiler/formats/hcl.py asks it first. It answers exactly what python-hcl2's path answers (the same values,
types and lines: tests/test_hcl_plain.py compares both on every file of the tests and on generated ones),
or None: for anything its parser (compiler/formats/hcl_syntax.py) is unsure of, and for every file the
python-hcl2 path refuses or reads oddly (a block or an expression in a tfvars file, a name set twice, a
`variable` block that is not plain). Then python-hcl2 reads the file, and its answer or message stands.
So python-hcl2, its import and its grammar are paid only for the files that need them.
"""

from __future__ import annotations

from typing import Any

from compiler.formats.hcl_scan import Expr, Unsure
from compiler.formats.hcl_syntax import Attribute, Block, parse
from compiler.formats.terraform import UNREAD, TerraformVariable

#: Longer texts go to python-hcl2, whose budget (compiler/formats/hcl.py) names the file if it is too big:
#: 512 Ki characters weigh at most 2 MiB in UTF-8, the least that budget allows.
MAX_CHARACTERS = 512 << 10

_LITERAL = ("value", "string")


def read_tfvars(text: str) -> dict[str, tuple[int, Any]] | None:
    """name -> (line, value) of a tfvars file, or None: ask python-hcl2."""
    body = _parse(text)
    if body is None:
        return None
    attributes: dict[str, tuple[int, Any]] = {}
    for item in body:
        if isinstance(item, Block) or item.expr.kind not in _LITERAL or item.name.startswith("__"):
            return None
        attributes[item.name] = (item.line, item.expr.value)
    return attributes


def read_variables(text: str, filename: str) -> tuple[TerraformVariable, ...] | None:
    """The `variable` blocks of a .tf file, or None: ask python-hcl2."""
    body = _parse(text)
    if body is None:
        return None
    variables = []
    for item in body:
        if isinstance(item, Attribute):  # Terraform allows none at the top; python-hcl2 reads them oddly
            return None
        if item.type == "variable":
            variable = _variable(item, filename)
            if variable is None:
                return None
            variables.append(variable)
    return tuple(variables)


def _parse(text: str) -> list[Attribute | Block] | None:
    if len(text) > MAX_CHARACTERS:
        return None
    try:
        return parse(text)
    except Unsure:
        return None


def _variable(block: Block, filename: str) -> TerraformVariable | None:
    if len(block.labels) != 1 or block.labels[0].kind not in ("string", "name"):
        return None
    attributes = {item.name: item.expr for item in block.body if isinstance(item, Attribute)}
    sensitive = _bool(attributes["sensitive"]) if "sensitive" in attributes else False
    type_written = _type_written(attributes["type"]) if "type" in attributes else None
    default, description = attributes.get("default"), attributes.get("description")
    if (
        sensitive is None
        or (type_written is None and "type" in attributes)
        or (default is not None and default.kind not in _LITERAL)
        or (description is not None and description.kind not in _LITERAL)
    ):
        return None
    return TerraformVariable(
        name=block.labels[0].value,
        file=filename,
        line=block.line,
        type_written=type_written,
        has_default=default is not None,
        sensitive=sensitive,
        written=frozenset(attributes),
        default=UNREAD if default is None else default.value,  # as python-hcl2's path has it
        description=None if description is None else description_text(description.value),
    )


def _bool(expr: Expr) -> bool | None:
    """true / false, or their quoted forms (which HCL converts); None for anything else."""
    if expr.kind == "value" and isinstance(expr.value, bool):
        return bool(expr.value)
    return {"true": True, "false": False}.get(expr.value) if expr.kind == "string" else None


def _type_written(expr: Expr) -> str | None:
    """`string`, `set(...)`, or a quoted keyword; None for what python-hcl2's path calls "an expression"."""
    if expr.kind in ("name", "string"):
        return str(expr.value)
    return f"{expr.value}(...)" if expr.kind == "call" else None


def description_text(value: Any) -> str | None:
    """A description as `ssot init` drafts from it: one line, when it is plain text."""
    return " ".join(value.split()) if isinstance(value, str) and value.strip() and "${" not in value else None
