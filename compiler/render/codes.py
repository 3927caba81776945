"""The `finding-codes` block: every finding and trouble code of compiler/codes.py, as a table.

README.md holds it, so the documented codes are always the ones the tool emits.
"""

from __future__ import annotations

from compiler.codes import REGISTRY, Code
from compiler.core.facts import Facts
from compiler.render.columns import Column, TableBlock
from compiler.render.markdown import code

#: The code table (the same for every SSOT: the facts are not used); a page may name its columns.
CODES_TABLE = TableBlock(
    rows=lambda _facts: REGISTRY.values(),
    columns={
        "code": Column[Code]("Code", lambda c: code(c.name)),
        "exit": Column[Code]("Exit", lambda c: str(int(c.exit))),
        "meaning": Column[Code]("What it means", lambda c: c.meaning),
    },
    default=("code", "exit", "meaning"),
)


def render_codes_block(facts: Facts) -> str:
    """The code table."""
    return CODES_TABLE.render(facts)
