"""Markdown compared as Markdown: tables cell by cell, other lines after normalising their formatting.

Only a difference in content is a finding; what a formatter such as mdformat or prettier changes is not.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence

from compiler import codes
from compiler.findings import Finding, drift
from compiler.formats.blocks import block_bodies, find_blocks
from compiler.formats.markdown import Document, Line, Table, plain, read_markdown


def compare_markdown(path: str, current: str, expected: str) -> list[Finding]:
    """A generated Markdown page: tables cell by cell, other lines normalised."""
    return list(compare_documents(path, read_markdown(current), read_markdown(expected)))


def compare_markdown_blocks(path: str, current: str, expected: str) -> list[Finding]:
    """A hand-written page's generated blocks, each compared as Markdown (the text around them is not ours)."""
    return list(_compare_blocks(path, current, expected))


def _compare_blocks(path: str, current: str, expected: str) -> Iterator[Finding]:
    blocks = find_blocks(current, path, None)
    current_bodies = block_bodies(current, blocks)
    expected_blocks = find_blocks(expected, path, None)
    expected_bodies = block_bodies(expected, expected_blocks)
    # the expected side numbered as in the expected text: findings' `origin` (compiler/findings.py)
    expected_begin = {block.name: block.begin_line for block in expected_blocks}
    for block in blocks:
        yield from compare_documents(
            path,
            read_markdown(current_bodies[block.name], block.begin_line + 1, name=block.name),
            read_markdown(expected_bodies[block.name], expected_begin[block.name] + 1, name=block.name),
            where=f"block '{block.name}'",
        )


def compare_documents(path: str, current: Document, expected: Document, where: str = "") -> Iterator[Finding]:
    current_tables = {t.name: t for t in current.tables}
    for table in expected.tables:
        found = current_tables.pop(table.name, None)
        if found is None:
            line = current.anchors.get(table.name.split(" #")[0], min(current.anchors.values(), default=0))
            yield drift(path, line, codes.TABLE_MISSING, f"table '{table.name}' is missing")
        else:
            yield from compare_tables(path, found, table)
    for table in current_tables.values():
        yield drift(
            path, table.header_line, codes.TABLE_EXTRA, f"table '{table.name}' is not generated from ssot/env.yaml"
        )
    yield from _compare_lines(path, current.lines, expected.lines, where)


def compare_tables(path: str, current: Table, expected: Table) -> Iterator[Finding]:
    name = f"table '{expected.name}'"
    columns = [c for c in expected.header if c in current.header]
    missing = [c for c in expected.header if c not in current.header]
    extra = [c for c in current.header if c not in expected.header]
    for column in missing:
        yield drift(
            path, current.header_line, codes.TABLE_COLUMN_MISSING, f"{name}: column '{plain(column)}' is missing"
        )
    for column in extra:
        yield drift(
            path, current.header_line, codes.TABLE_COLUMN_EXTRA, f"{name}: column '{plain(column)}' is not generated"
        )
    if [c for c in current.header if c in columns] != columns:
        yield drift(
            path,
            current.header_line,
            codes.TABLE_COLUMN_ORDER,
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
    expected_lines = {_key(row, range(len(key_columns))): n for row, n in zip(expected.rows, expected.row_lines)}
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
            yield drift(
                path,
                line,
                codes.TABLE_ROW_EXTRA,
                f"{name}: row '{_label(key)}' appears twice (first at line {current_rows[key][1]})",
            )
            continue
        current_rows[key] = (row, line)
    for key, row in expected_rows.items():
        if key not in current_rows:
            yield drift(
                path,
                current.header_line,
                codes.TABLE_ROW_MISSING,
                f"{name}: row '{_label(key)}' is missing",
                origin=(expected_lines[key], 0, None),  # the row: its key cell
            )
            continue
        found_row, line = current_rows[key]
        for column in columns:
            want = _cell(row, expected.header.index(column))
            have = _cell(found_row, current.header.index(column))
            if want != have:
                yield drift(
                    path,
                    line,
                    codes.TABLE_CELL,
                    f"{name}, row '{_label(key)}', column '{plain(column)}': expected '{want}', found '{have}'",
                    expected=want,
                    found=have,
                    origin=(expected_lines[key], expected.header.index(column), None),
                )
    for key, (_, line) in current_rows.items():
        if key not in expected_rows:
            yield drift(
                path, line, codes.TABLE_ROW_EXTRA, f"{name}: row '{_label(key)}' is not generated from ssot/env.yaml"
            )
    common = [k for k in expected_rows if k in current_rows]
    found_order = [k for k in current_rows if k in expected_rows]
    if found_order != common:
        yield drift(
            path,
            current.header_line,
            codes.TABLE_ROW_ORDER,
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
    origin = None
    # where the expected text starts to differ (for the value's `source`); lines only the current text has
    # show nothing of the SSOT
    if first[0] != "delete" and first[3] < len(expected):
        want_text = expected[first[3]].text
        have_text = current[first[1]].text if first[0] == "replace" else ""
        origin = (expected[first[3]].number, None, _first_difference(have_text, want_text))
    yield drift(
        path,
        line,
        codes.TEXT_DRIFT,
        f"{what} differs from what ssot/env.yaml generates",
        diff="".join(diff),
        origin=origin,
    )


def _first_difference(have: str, want: str) -> int:
    return next((n for n, (a, b) in enumerate(zip(have, want)) if a != b), min(len(have), len(want)))


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
