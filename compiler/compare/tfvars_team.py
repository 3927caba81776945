"""A tfvars example a team wrote (no generated header) checked for the values ssot/env.yaml states, nothing else.

Each value that differs is reported at its line, a value the file lacks at its end, each with where the
value lives in the SSOT; other attributes, comments and layout are the team's. `ssot build` changes those
values in place (compiler/render/tfvars_edit.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from compiler import codes
from compiler.core.facts import Facts
from compiler.core.layout import SSOT_PATH
from compiler.core.model import TfvarsValue
from compiler.findings import BUILD_FIX, Finding, Source
from compiler.formats.hcl import parse_tfvars
from compiler.render.tfvars import hcl_value
from compiler.render.tfvars_edit import differing_values
from compiler.render.trace import Path


def compare_team_tfvars(
    facts: Facts, path: str, text: str, values: Mapping[str, TfvarsValue], source: Callable[[str], Path]
) -> list[Finding]:
    """Raises SsotError (invalid-tfvars) when the file is no tfvars file Terraform would read."""
    have = parse_tfvars(text, path)
    last = text.count("\n") + (0 if text.endswith("\n") else 1)
    found = []
    for name, line in differing_values(path, text, values).items():
        wanted = hcl_value(values[name])
        written, at, col = facts.locate(source(name))
        origin = Source(SSOT_PATH, at, col, ".".join(map(str, written))) if written else None
        if line is None:
            message, code, shown = (
                f"'{name}' is missing; ssot/env.yaml states {name} = {wanted}",
                codes.TFVARS_EXAMPLE_MISSING,
                None,
            )
        else:
            shown = hcl_value(have[name][1])
            message, code = f"'{name}': ssot/env.yaml states {wanted}, found {shown}", codes.TFVARS_EXAMPLE_VALUE
        found.append(
            Finding(
                path,
                line or max(last, 1),
                message,
                code=code,
                fix=BUILD_FIX,
                expected=wanted,
                found=shown,
                source=origin,
            )
        )
    return sorted(found, key=lambda finding: finding.line)
