"""A tfvars example compared attribute by attribute, as `terraform fmt` may lay it out."""

from __future__ import annotations

import re
from collections.abc import Iterator

from compiler import codes
from compiler.compare.files import artifact_drift, content_lines
from compiler.findings import BUILD_FIX, Finding

_ATTRIBUTE = re.compile(r"\s*([A-Za-z_][\w-]*)\s*=\s*(.*?)\s*")


def compare_tfvars_example(path: str, current: str, expected: str) -> list[Finding]:
    return list(_compare_tfvars(path, current, expected))


def _compare_tfvars(path: str, current: str, expected: str) -> Iterator[Finding]:
    have, want = _attributes(current), _attributes(expected)
    for name, (value, _) in want.items():
        if name not in have:
            yield _finding(
                path,
                _last_attribute_line(have),
                codes.TFVARS_EXAMPLE_MISSING,
                f"'{name}' is missing; expected {name} = {value}",
                expected=value,
            )
        elif have[name][0] != value:
            yield _finding(
                path,
                have[name][1],
                codes.TFVARS_EXAMPLE_VALUE,
                f"'{name}': expected {value}, found {have[name][0]}",
                expected=value,
                found=have[name][0],
            )
    for name, (value, line) in have.items():
        if name not in want:
            yield _finding(path, line, codes.TFVARS_EXAMPLE_EXTRA, f"'{name}' is not generated from ssot/env.yaml")
    comments = [line for line in content_lines(current) if not _ATTRIBUTE.fullmatch(line)]
    if comments != [line for line in content_lines(expected) if not _ATTRIBUTE.fullmatch(line)]:
        yield artifact_drift(path, current, expected)


def _last_attribute_line(attributes: dict[str, tuple[str, int]]) -> int:
    return max((line for _, line in attributes.values()), default=0)


def _attributes(text: str) -> dict[str, tuple[str, int]]:
    found: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(content_lines(text, keep_blank=True), start=1):
        match = _ATTRIBUTE.fullmatch(line)
        if match and not line.lstrip().startswith("#"):
            found.setdefault(match.group(1), (match.group(2), number))
    return found


def _finding(
    path: str, line: int, code: str, message: str, *, expected: str | None = None, found: str | None = None
) -> Finding:
    return Finding(path, line, message, code=code, fix=BUILD_FIX, expected=expected, found=found)
