"""Markdown building blocks shared by the README blocks and the docs pages."""

from __future__ import annotations

from collections.abc import Sequence

from compiler.core.model import Variable

GENERATED_NOTICE = "Generated from ssot/env.yaml by `ssot build`. Do not edit by hand."


def required_text(variable: Variable) -> str:
    """How a contract table says whether a variable is required."""
    if variable.required:
        return "yes"
    return f"no (defaults to {variable.default_from})" if variable.default_from else "no"


def code(text: str) -> str:
    return f"`{text}`"


def render_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A pipe table with padded, aligned columns: readable as plain text, stable under formatters."""
    cells = [[_escape(c) for c in header], *[[_escape(c) for c in row] for row in rows]]
    widths = [max(3, *(len(row[i]) for row in cells)) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths)) + " |"

    delimiter = "| " + " | ".join("-" * width for width in widths) + " |"
    return "\n".join([line(cells[0]), delimiter, *(line(row) for row in cells[1:])]) + "\n"


def _escape(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\n", " ")
