"""A tfvars example a team wrote (no generated header) edited in place (pure): only the values ssot/env.yaml
states for it.

Each value that differs is replaced where it stands (compiler/formats/hcl_lexer.py finds its text), written
as `ssot build` writes values; a value the file lacks is added at its end. Comments, blank lines, alignment,
attributes the SSOT states nothing about (a placeholder for a secret, say) and their order stay as they are.
"""

from __future__ import annotations

from collections.abc import Mapping

from compiler.core.model import TfvarsValue
from compiler.formats.hcl import parse_tfvars
from compiler.formats.hcl_lexer import attribute_spans
from compiler.render.tfvars import hcl_value


def differing_values(path: str, text: str, values: Mapping[str, TfvarsValue]) -> dict[str, int | None]:
    """name -> the line of each attribute whose value is not what the SSOT states (None: the file lacks it).
    Raises SsotError (invalid-tfvars) when the file is no tfvars file Terraform would read."""
    have = parse_tfvars(text, path)
    return {
        name: have[name][0] if name in have else None
        for name, value in values.items()
        if name not in have or hcl_value(have[name][1]) != hcl_value(value)
    }


def edit_tfvars(path: str, text: str, values: Mapping[str, TfvarsValue]) -> str:
    """`text` with the values the SSOT states; every other byte as it was. Raises SsotError (invalid-tfvars)."""
    differing = differing_values(path, text, values)
    spans = attribute_spans(text)
    edits = sorted(
        ((spans[name][1], spans[name][2], hcl_value(values[name])) for name, line in differing.items() if line),
        reverse=True,
    )
    for start, end, replacement in edits:
        text = text[:start] + replacement + text[end:]
    missing = [name for name, line in differing.items() if line is None]
    if missing:
        newline = "\r\n" if "\r\n" in text else "\n"
        if text and not text.endswith("\n"):
            text += newline
        text += "".join(f"{name} = {hcl_value(values[name])}{newline}" for name in missing)
    return text
