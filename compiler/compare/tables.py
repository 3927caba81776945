"""A Markdown table compared cell by cell, each finding at the row it is about.

Rows are matched before they are compared: first a row that agrees in every cell, then one with the same
key (the leading cells that tell rows apart), then one that agrees in every other cell (its key cell was
changed: a `table-cell` finding, not a missing and an extra row). A row nothing matches is missing, at the
line where it belongs, or extra, at its own line. Cells compare as they render (compiler/formats/markdown_text.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from compiler import codes
from compiler.findings import Finding, drift
from compiler.formats.markdown import Table, cell_content, plain


@dataclass(frozen=True)
class _Row:
    index: int
    cells: tuple[str, ...]  # as written (normalised whitespace), for messages
    key: tuple[str, ...]
    #: the content of the columns both tables have, in the expected table's order
    content: tuple[str, ...]
    #: the same, without the key columns
    rest: tuple[str, ...]
    line: int = 0


def compare_tables(path: str, current: Table, expected: Table) -> Iterator[Finding]:
    name = f"table '{expected.name}'"
    columns = [c for c in expected.header if c in current.header]
    yield from _compare_columns(path, name, current, expected, columns)

    key_columns = expected.header[: _key_width(expected)]
    keyed = all(column in current.header for column in key_columns)
    want = _rows(expected, expected.header, columns, key_columns)
    have = _rows(current, current.header, columns, key_columns if keyed else ())
    if not keyed:  # without its key column, a row can only be matched by position: it takes that key
        have = [
            dataclasses.replace(r, key=want[r.index].key if r.index < len(want) else (f"row {r.index + 1}",))
            for r in have
        ]
    pairs = _match(have, want)
    matched = {w: h for h, w in pairs.items()}

    for w in want:
        if w.index not in matched:
            yield drift(
                path,
                _missing_line(w.index, want, matched, current),
                codes.TABLE_ROW_MISSING,
                f"{name}: row '{_label(w.key)}' is missing",
                origin=(w.line, 0, None),  # the row: its key cell (for its `source`, compiler/findings.py)
            )
            continue
        found = have[matched[w.index]]
        for column in columns:
            wanted = _cell(w.cells, expected.header.index(column))
            seen = _cell(found.cells, current.header.index(column))
            if cell_content(wanted) != cell_content(seen):
                yield drift(
                    path,
                    found.line,
                    codes.TABLE_CELL,
                    f"{name}, row '{_label(w.key)}', column '{plain(column)}': expected '{wanted}', found '{seen}'",
                    expected=wanted,
                    found=seen,
                    origin=(w.line, expected.header.index(column), None),
                )
    for row in have:
        if row.index in pairs:
            continue
        twins = [other.line for other in have if other.key == row.key and other.index != row.index]
        if twins and any(w.key == row.key for w in want):
            first = min(twins)
            message = f"appears twice ({'first' if first < row.line else 'also'} at line {first})"
        else:
            message = "is not generated from ssot/env.yaml"
        yield drift(path, row.line, codes.TABLE_ROW_EXTRA, f"{name}: row '{_label(row.key)}' {message}")
    yield from _compare_order(path, name, have, want, pairs)


def _compare_columns(path: str, name: str, current: Table, expected: Table, columns: list[str]) -> Iterator[Finding]:
    line = current.header_line
    for column in expected.header:
        if column not in current.header:
            yield drift(path, line, codes.TABLE_COLUMN_MISSING, f"{name}: column '{plain(column)}' is missing")
    for column in current.header:
        if column not in expected.header:
            yield drift(path, line, codes.TABLE_COLUMN_EXTRA, f"{name}: column '{plain(column)}' is not generated")
    if [c for c in current.header if c in columns] != columns:
        yield drift(
            path,
            line,
            codes.TABLE_COLUMN_ORDER,
            f"{name}: columns in the wrong order",
            expected=", ".join(plain(c) for c in expected.header),
            found=", ".join(plain(c) for c in current.header),
        )


def _rows(table: Table, header: tuple[str, ...], columns: list[str], key_columns: tuple[str, ...]) -> list[_Row]:
    key_at = [header.index(c) for c in key_columns]
    rest_at = [header.index(c) for c in columns if c not in key_columns]
    rows = []
    for index, (cells, line) in enumerate(zip(table.rows, table.row_lines or (0,) * len(table.rows))):
        content = tuple(cell_content(_cell(cells, header.index(c))) for c in columns)
        rest = tuple(cell_content(_cell(cells, i)) for i in rest_at)
        rows.append(_Row(index, cells, _key(cells, key_at), content, rest, line))
    return rows


def _match(have: list[_Row], want: list[_Row]) -> dict[int, int]:
    """Current row index -> expected row index, for every row that has a partner."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    parts: list[Callable[[_Row], tuple[str, ...]]] = [lambda r: r.content, lambda r: r.key, lambda r: r.rest]
    for part in parts:
        buckets: dict[tuple[str, ...], list[_Row]] = {}
        for w in want:
            if w.index not in taken:
                buckets.setdefault(part(w), []).append(w)
        for h in have:
            partners = [w for w in buckets.get(part(h), ()) if w.index not in taken]
            if h.index in pairs or not partners or not part(h):  # a key-only row has no rest to agree on
                continue
            # the partner nearest in position, so that a repeated row pairs with its own place
            partner = min(partners, key=lambda w: abs(w.index - h.index))
            pairs[h.index] = partner.index
            taken.add(partner.index)
    return pairs


def _missing_line(index: int, want: list[_Row], matched: dict[int, int], current: Table) -> int:
    """Where a missing row belongs: at the current line of the next expected row that is there, or after
    the last row when none follows."""
    lines = current.row_lines
    for later in range(index + 1, len(want)):
        if later in matched and lines:
            return lines[matched[later]]
    for earlier in range(index - 1, -1, -1):
        if earlier in matched and lines:
            return lines[matched[earlier]] + 1
    return current.end_line or current.header_line


def _compare_order(
    path: str, name: str, have: list[_Row], want: list[_Row], pairs: dict[int, int]
) -> Iterator[Finding]:
    """Each run of rows standing where other rows belong, at its first row, with the run's two orders."""
    placed = [(h, pairs[h.index]) for h in have if h.index in pairs]
    ordered = sorted(w for _, w in placed)
    run: list[int] = []
    for position, (h, w) in enumerate([*placed, (None, None)]):
        out_of_place = h is not None and w != ordered[position]
        if out_of_place:
            run.append(position)
            continue
        if run:
            first = placed[run[0]][0]
            assert first is not None
            yield drift(
                path,
                first.line,
                codes.TABLE_ROW_ORDER,
                f"{name}: rows in the wrong order",
                expected=", ".join(_label(want[ordered[p]].key) for p in run),
                found=", ".join(_label(want[placed[p][1]].key) for p in run),
            )
            run = []


def _key_width(table: Table) -> int:
    """How many leading columns identify a row: the first, or more when the first repeats (a matrix)."""
    for width in range(1, len(table.header) + 1):
        if len({_key(row, range(width)) for row in table.rows}) == len(table.rows):
            return width
    return len(table.header)


def _key(row: tuple[str, ...], columns: Iterable[int]) -> tuple[str, ...]:
    return tuple(plain(cell_content(_cell(row, i))) for i in columns)


def _label(key: tuple[str, ...]) -> str:
    return " / ".join(key)


def _cell(row: tuple[str, ...], index: int) -> str:
    return row[index] if index < len(row) else ""
