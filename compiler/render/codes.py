"""The `finding-codes` block: every finding and trouble code of compiler/codes.py, as a table.

README.md holds it, so the documented codes are always the ones the tool emits.
"""

from __future__ import annotations

from compiler.codes import REGISTRY
from compiler.core.facts import Facts
from compiler.render.markdown import code, render_table


def render_codes_block(facts: Facts) -> str:
    """The code table (the same for every SSOT: the facts are not used)."""
    rows = [[code(c.name), str(int(c.exit)), c.meaning] for c in REGISTRY.values()]
    return render_table(["Code", "Exit", "What it means"], rows)
