"""A tfvars example compared attribute by attribute, read as HCL (compiler/formats/hcl.py), not as lines.

Values are compared as data, each shown as `ssot build` writes it: `terraform fmt` alignment, a map spread
over several lines, a trailing comment or CRLF endings are not drift. The comment lines `ssot build`
writes (the header, the sensitive-variable note) are compared too, as text.
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler import codes
from compiler.compare.files import artifact_drift, content_lines
from compiler.errors import SsotError
from compiler.findings import Finding, drift
from compiler.formats.hcl import Attributes, parse_tfvars
from compiler.render.tfvars import hcl_value


def compare_tfvars_example(path: str, current: str, expected: str) -> list[Finding]:
    try:
        have = parse_tfvars(current, path)
    except SsotError:  # not HCL Terraform would read (a merge conflict, a broken edit): the whole file differs
        return [artifact_drift(path, current, expected)]
    return list(_compare(path, current, have, expected, parse_tfvars(expected, path)))


def _compare(path: str, current: str, have: Attributes, expected: str, want: Attributes) -> Iterator[Finding]:
    order = list(want)
    for name, (origin, value) in want.items():
        wanted = hcl_value(value)
        if name not in have:
            yield drift(
                path,
                _missing_line(name, order, have, current),
                codes.TFVARS_EXAMPLE_MISSING,
                f"'{name}' is missing; expected {name} = {wanted}",
                expected=wanted,
                origin=(origin, None, None),
            )
            continue
        line, found = have[name][0], hcl_value(have[name][1])
        if found != wanted:
            yield drift(
                path,
                line,
                codes.TFVARS_EXAMPLE_VALUE,
                f"'{name}': expected {wanted}, found {found}",
                expected=wanted,
                found=found,
                origin=(origin, None, None),
            )
    for name, (line, _) in have.items():
        if name not in want:
            yield drift(path, line, codes.TFVARS_EXAMPLE_EXTRA, f"'{name}' is not generated from ssot/env.yaml")
    if _comments(current) != _comments(expected):
        yield artifact_drift(path, current, expected)


def _missing_line(name: str, order: list[str], have: Attributes, current: str) -> int:
    """Where a missing attribute belongs: at the line of the next generated attribute that is there, or
    (none follows) on the line after the file's last one that is not blank."""
    for later in order[order.index(name) + 1 :]:
        if later in have:
            return have[later][0]
    lines = content_lines(current, keep_blank=True)
    return next((n for n in range(len(lines), 0, -1) if lines[n - 1]), 0) + 1


def _comments(text: str) -> list[str]:
    """The comment lines: what `ssot build` writes besides the attributes."""
    return [line.strip() for line in content_lines(text) if line.lstrip().startswith(("#", "//"))]
