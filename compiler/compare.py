"""Compare an artifact with what `ssot build` would write, and say exactly what differs.

Markdown is compared as Markdown (tables cell by cell, other lines after normalising formatting), a tfvars
example attribute by attribute, the JSON Schema as JSON. Only a difference in content is a finding; the
formatting a tool such as mdformat, prettier or `terraform fmt` changes is not.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator, Sequence

from compiler.findings import BUILD_FIX, Finding, artifact_drift
from compiler.markdown_model import Document, Line, Table, plain, read_markdown
from compiler.markers import block_bodies, find_blocks, is_yaml
from compiler.render.blocks import BLOCKS

_ATTRIBUTE = re.compile(r"\s*([A-Za-z_][\w-]*)\s*=\s*(.*?)\s*")


def compare_artifact(path: str, current: str | None, expected: str | None, *, blocks: bool = False) -> list[Finding]:
    """Findings for one artifact; none when the two differ in formatting only."""
    if current is None or expected is None:
        return [artifact_drift(path, current, expected)]
    if blocks:
        return list(_compare_blocks(path, current, expected))
    if path.endswith(".md"):
        return list(compare_documents(path, read_markdown(current), read_markdown(expected)))
    if path.endswith(".json"):
        try:
            same = json.loads(current) == json.loads(expected)
        except ValueError:  # not JSON at all (a merge conflict, a truncated file): drift, not a crash
            same = False
        return [] if same else [artifact_drift(path, current, expected)]
    if path.endswith(".tfvars.example"):
        return list(_compare_tfvars(path, current, expected))
    return [] if _lines(current) == _lines(expected) else [artifact_drift(path, current, expected)]


def _compare_blocks(path: str, current: str, expected: str) -> Iterator[Finding]:
    if is_yaml(path):  # mkdocs.yml's nav: YAML lines, compared as lines
        if _lines(current) != _lines(expected):
            yield artifact_drift(path, current, expected)
        return
    blocks = find_blocks(current, path, BLOCKS)
    current_bodies = block_bodies(current, blocks)
    expected_bodies = block_bodies(expected, find_blocks(expected, path, BLOCKS))
    for block in blocks:
        yield from compare_documents(
            path,
            read_markdown(current_bodies[block.name], block.begin_line + 1, name=block.name),
            read_markdown(expected_bodies[block.name], block.begin_line + 1, name=block.name),
            where=f"block '{block.name}'",
        )


def compare_documents(path: str, current: Document, expected: Document, where: str = "") -> Iterator[Finding]:
    current_tables = {t.name: t for t in current.tables}
    for table in expected.tables:
        found = current_tables.pop(table.name, None)
        if found is None:
            line = current.anchors.get(table.name.split(" #")[0], min(current.anchors.values(), default=0))
            yield _finding(path, line, "table-missing", f"table '{table.name}' is missing")
        else:
            yield from compare_tables(path, found, table)
    for table in current_tables.values():
        yield _finding(
            path, table.header_line, "table-extra", f"table '{table.name}' is not generated from ssot/env.yaml"
        )
    yield from _compare_lines(path, current.lines, expected.lines, where)


def compare_tables(path: str, current: Table, expected: Table) -> Iterator[Finding]:
    name = f"table '{expected.name}'"
    columns = [c for c in expected.header if c in current.header]
    missing = [c for c in expected.header if c not in current.header]
    extra = [c for c in current.header if c not in expected.header]
    for column in missing:
        yield _finding(
            path, current.header_line, "table-column-missing", f"{name}: column '{plain(column)}' is missing"
        )
    for column in extra:
        yield _finding(
            path, current.header_line, "table-column-extra", f"{name}: column '{plain(column)}' is not generated"
        )
    if [c for c in current.header if c in columns] != columns:
        yield _finding(
            path,
            current.header_line,
            "table-column-order",
            f"{name}: columns in the wrong order",
            expected=", ".join(plain(c) for c in expected.header),
            found=", ".join(plain(c) for c in current.header),
        )

    key_columns = expected.header[: _key_width(expected)]
    if all(column in current.header for column in key_columns):
        current_key = [current.header.index(column) for column in key_columns]
    else:  # the key column itself is gone: rows can only be matched by position
        current_key = []
    expected_rows = {_key(row, range(len(key_columns))): row for row in expected.rows}
    current_rows: dict[tuple[str, ...], tuple[tuple[str, ...], int]] = {}
    for position, (row, line) in enumerate(zip(current.rows, current.row_lines)):
        key = (
            _key(row, current_key)
            if current_key
            else list(expected_rows)[position]
            if position < len(expected_rows)
            else (f"row {position + 1}",)
        )
        if key in current_rows:
            yield _finding(
                path,
                line,
                "table-row-extra",
                f"{name}: row '{_label(key)}' appears twice (first at line {current_rows[key][1]})",
            )
            continue
        current_rows[key] = (row, line)
    for key, row in expected_rows.items():
        if key not in current_rows:
            yield _finding(path, current.header_line, "table-row-missing", f"{name}: row '{_label(key)}' is missing")
            continue
        found_row, line = current_rows[key]
        for column in columns:
            want = _cell(row, expected.header.index(column))
            have = _cell(found_row, current.header.index(column))
            if want != have:
                yield _finding(
                    path,
                    line,
                    "table-cell",
                    f"{name}, row '{_label(key)}', column '{plain(column)}': expected '{want}', found '{have}'",
                    expected=want,
                    found=have,
                )
    for key, (_, line) in current_rows.items():
        if key not in expected_rows:
            yield _finding(
                path, line, "table-row-extra", f"{name}: row '{_label(key)}' is not generated from ssot/env.yaml"
            )
    common = [k for k in expected_rows if k in current_rows]
    found_order = [k for k in current_rows if k in expected_rows]
    if found_order != common:
        yield _finding(
            path,
            current.header_line,
            "table-row-order",
            f"{name}: rows in the wrong order",
            expected=", ".join(_label(k) for k in common),
            found=", ".join(_label(k) for k in found_order),
        )


def _compare_lines(path: str, current: Sequence[Line], expected: Sequence[Line], where: str) -> Iterator[Finding]:
    """One finding with a unified diff (labelled current/expected) if the non-table lines differ."""
    have = [line.normal for line in current]
    want = [line.normal for line in expected]
    if have == want:
        return
    matcher = difflib.SequenceMatcher(a=have, b=want, autojunk=False)
    first = next(op for op in matcher.get_opcodes() if op[0] != "equal")
    line = current[first[1]].number if first[1] < len(current) else (current[-1].number if current else 0)
    diff = [f"--- {path} (current)\n", f"+++ {path} (expected)\n"]
    for group in matcher.get_grouped_opcodes(2):
        a0 = group[0][1]
        start = current[a0].number if a0 < len(current) else line
        diff.append(f"@@ line {start} @@\n")
        for op, a1, a2, b1, b2 in group:
            if op == "equal":
                diff.extend(f" {current[i].text}\n" for i in range(a1, a2))
                continue
            diff.extend(f"-{current[i].text}\n" for i in range(a1, a2))
            diff.extend(f"+{expected[i].text}\n" for i in range(b1, b2))
    what = f"text in {where}" if where else "text"
    yield _finding(path, line, "text-drift", f"{what} differs from what ssot/env.yaml generates", diff="".join(diff))


def _compare_tfvars(path: str, current: str, expected: str) -> Iterator[Finding]:
    have, want = _attributes(current), _attributes(expected)
    for name, (value, _) in want.items():
        if name not in have:
            yield _finding(
                path,
                _last_attribute_line(have),
                "tfvars-example-missing",
                f"'{name}' is missing; expected {name} = {value}",
                expected=value,
            )
        elif have[name][0] != value:
            yield _finding(
                path,
                have[name][1],
                "tfvars-example-value",
                f"'{name}': expected {value}, found {have[name][0]}",
                expected=value,
                found=have[name][0],
            )
    for name, (value, line) in have.items():
        if name not in want:
            yield _finding(path, line, "tfvars-example-extra", f"'{name}' is not generated from ssot/env.yaml")
    comments = [line for line in _lines(current) if not _ATTRIBUTE.fullmatch(line)]
    if comments != [line for line in _lines(expected) if not _ATTRIBUTE.fullmatch(line)]:
        yield artifact_drift(path, current, expected)


def _last_attribute_line(attributes: dict[str, tuple[str, int]]) -> int:
    return max((line for _, line in attributes.values()), default=0)


def _attributes(text: str) -> dict[str, tuple[str, int]]:
    found: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(_lines(text, keep_blank=True), start=1):
        match = _ATTRIBUTE.fullmatch(line)
        if match and not line.lstrip().startswith("#"):
            found.setdefault(match.group(1), (match.group(2), number))
    return found


def _lines(text: str, keep_blank: bool = False) -> list[str]:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return lines if keep_blank else [line for line in lines if line]


def _key_width(table: Table) -> int:
    """How many leading columns identify a row: the first, or more when the first repeats (a matrix)."""
    for width in range(1, len(table.header) + 1):
        if len({_key(row, range(width)) for row in table.rows}) == len(table.rows):
            return width
    return len(table.header)


def _key(row: tuple[str, ...], columns: Iterable[int]) -> tuple[str, ...]:
    return tuple(plain(_cell(row, i)) for i in columns)


def _label(key: tuple[str, ...]) -> str:
    return " / ".join(key)


def _cell(row: tuple[str, ...], index: int) -> str:
    return row[index] if index < len(row) else ""


def _finding(
    path: str,
    line: int,
    code: str,
    message: str,
    *,
    expected: str | None = None,
    found: str | None = None,
    diff: str = "",
) -> Finding:
    return Finding(path, line, message, code=code, fix=BUILD_FIX, expected=expected, found=found, diff=diff)
