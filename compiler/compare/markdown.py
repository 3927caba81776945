"""Markdown compared as Markdown: tables cell by cell, other lines after normalising their formatting.

Only a difference in content is a finding; what a formatter such as mdformat or prettier changes is not.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence

from compiler import codes
from compiler.compare.diff_window import CUT_NOTE, diff_window
from compiler.compare.tables import compare_tables
from compiler.findings import Finding, Origin, drift
from compiler.formats.blocks import block_bodies, find_blocks
from compiler.formats.markdown import Document, Line, read_markdown


def compare_markdown(path: str, current: str, expected: str) -> list[Finding]:
    """A generated Markdown page: tables cell by cell, other lines normalised."""
    return list(compare_documents(path, read_markdown(current), read_markdown(expected)))


def same_markdown(current: str, expected: str) -> bool:
    """Whether two Markdown texts (such as a block's inside, as found and as rendered) hold the same content:
    what `compare_markdown` finds no drift in. `ssot build` keeps such a block as a formatter left it."""
    return (
        current == expected
        or next(compare_documents("", read_markdown(current), read_markdown(expected)), None) is None
    )


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


def _compare_lines(path: str, current: Sequence[Line], expected: Sequence[Line], where: str) -> Iterator[Finding]:
    """One finding, at the first line that differs, with a unified diff (labelled current/expected), if the
    text around the tables differs. A table both sides have keeps its place among the lines, so that text
    missing just before it is placed before it, not after."""
    both = {line.table for line in current if line.table} & {line.table for line in expected if line.table}
    current = [line for line in current if line.table is None or line.table in both]
    expected = [line for line in expected if line.table is None or line.table in both]
    have = [_compared(line) for line in current]
    want = [_compared(line) for line in expected]
    if have == want:
        return
    same = next((n for n, (a, b) in enumerate(zip(have, want)) if a != b), min(len(have), len(want)))
    line = _first_difference(current, expected, same)
    window = diff_window(have, want, _CONTEXT)
    start_at = window.start
    matcher = difflib.SequenceMatcher(
        a=have[start_at : window.stop_a], b=want[start_at : window.stop_b], autojunk=False
    )
    diff = [f"--- {path} (current)\n", f"+++ {path} (expected)\n"]
    for group in matcher.get_grouped_opcodes(_CONTEXT):
        a0 = group[0][1] + start_at
        start = current[a0].number if a0 < len(current) else line
        diff.append(f"@@ line {start} @@\n")
        for op, a1, a2, b1, b2 in group:
            a1, a2, b1, b2 = a1 + start_at, a2 + start_at, b1 + start_at, b2 + start_at
            if op == "equal":
                diff.extend(f" {text}\n" for i in range(a1, a2) for text in current[i].text.split("\n"))
                continue
            diff.extend(f"-{text}\n" for i in range(a1, a2) for text in current[i].text.split("\n"))
            diff.extend(f"+{text}\n" for i in range(b1, b2) for text in expected[i].text.split("\n"))
    if window.cut:
        diff.append(CUT_NOTE)
    what = f"text in {where}" if where else "text"
    message = f"{what} differs from what ssot/env.yaml generates"
    yield drift(path, line, codes.TEXT_DRIFT, message, diff="".join(diff), origin=_origin(current, expected, same))


def _origin(current: Sequence[Line], expected: Sequence[Line], index: int) -> Origin | None:
    """Where the first differing unit stands in the expected text, at its first differing word (for the
    `source` of what it shows); None when the current text only has a unit more there."""
    if index >= len(expected) or expected[index].table is not None:
        return None
    if index + 1 < len(current) and _compared(current[index + 1]) == _compared(expected[index]):
        return None
    want = expected[index]
    have = current[index].normal.split() if index < len(current) and current[index].table is None else []
    wanted = want.normal.split()
    word = next((n for n, (a, b) in enumerate(zip(have, wanted)) if a != b), min(len(have), len(wanted)))
    starts = [match.start() for match in _WORD.finditer(want.text)]
    at = starts[word] if word < len(starts) else 0
    before = want.text.rfind("\n", 0, at) + 1
    return (want.number + want.text.count("\n", 0, at), None, at - before)


_WORD = re.compile(r"\S+")
#: equal units shown around each change in a diff
_CONTEXT = 2


def _compared(line: Line) -> str:
    return f"\0table {line.table}" if line.table is not None else line.normal


def _first_difference(current: Sequence[Line], expected: Sequence[Line], index: int) -> int:
    """The file line of the first difference, `index` being the first unit that differs: where a missing
    unit belongs (after the unit before it), or inside a changed paragraph the line of its first differing
    word (after its last line when words are missing at its end)."""
    missing = index >= len(current) or (
        index + 1 < len(expected) and _compared(current[index]) == _compared(expected[index + 1])
    )
    if missing:  # as far after the unit before it as it was in the expected text (blank lines between)
        if index == 0:  # nothing before it: where it stands in the expected text (numbered alike)
            return expected[0].number
        return current[index - 1].last + max(expected[index].number - expected[index - 1].last, 1)
    have = current[index]
    if index >= len(expected) or have.table is not None or expected[index].table is not None:
        return have.number
    words, wanted = have.normal.split(), expected[index].normal.split()
    if len(words) != len(have.word_lines) or not words or words == wanted:  # or only its nesting differs
        return have.number
    word = next((n for n, (a, b) in enumerate(zip(words, wanted)) if a != b), min(len(words), len(wanted)))
    return have.word_lines[word] if word < len(words) else have.last + 1
