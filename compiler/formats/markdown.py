"""The one Markdown reader: fenced code, pipe tables, and other lines normalised for comparison.

`code_lines` is the lexer that both block finding (compiler/formats/blocks.py) and comparison use, so they
never disagree about what is code. Formatting is not content. Two texts that differ only in what Markdown
formatters change (column padding, delimiter length, outer pipes, trailing spaces, CRLF, a byte-order mark,
list markers and numbering, nested-list indentation, `_em_` for `*em*`, blank lines, where paragraphs and
list items wrap, a character spelled as an entity or an escape) read the same here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from compiler.formats.markdown_text import rendered
from compiler.text import split_lines, strip_ending

_DELIMITER_CELL = re.compile(r":?-+:?")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_HEADING = re.compile(r"#{1,6}\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"(?P<indent>\s*)(?:[-*+]|\d+[.)])\s+")
_UNDERSCORE_EM = re.compile(r"(?<![\w\\])(__?)(?=\S)(.+?)(?<=\S)\1(?!\w)")
# Any indentation: fences inside list items are indented four spaces or more.
_FENCE_OPEN = re.compile(r"\s*(?P<fence>`{3,}|~{3,})(?P<info>.*)")
_FENCE_CLOSE = re.compile(r"\s*(?P<fence>`{3,}|~{3,})\s*")
#: Lines that stand alone, never joined to a paragraph: thematic breaks, HTML (comments, markers), and
#: the `///` fences of pymdownx blocks (admonitions, tabs)
_CLOSED = re.compile(r"\s*(?:(?:[-*_]\s*){3,}$|<|///)")


class Line(NamedTuple):
    """What is compared as one: a paragraph or a list item (its lines joined), a heading, a line of code."""

    number: int  # 1-based, in the file: the unit's first line
    text: str  # as written, without its line ending (a re-wrapped unit: its lines joined by LF)
    normal: str  # what is compared
    #: the file line of each word of `normal` (split at spaces), to place a difference inside a unit
    word_lines: tuple[int, ...] = ()
    #: a table's place among the lines (its name), so a difference next to it is placed before or after it
    table: str | None = None
    #: the unit's last file line (a table's: its last row)
    last: int = 0


class Table(NamedTuple):
    name: str  # the heading (or block) it sits under, for messages
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    header_line: int
    row_lines: tuple[int, ...]
    #: the line after its last row: where a row missing at its end belongs
    end_line: int = 0


class Document(NamedTuple):
    tables: tuple[Table, ...]
    #: every non-blank line that is not part of a table, in units (see `Line`), and each table's place
    lines: tuple[Line, ...]
    #: where a missing table belongs: the line of each heading, and of the text's start (key "")
    anchors: dict[str, int]


def code_lines(lines: Sequence[str]) -> list[bool]:
    """For each line (without its ending), whether it is code: in a fenced block (fences included) or an
    indented one. Neither a marker nor a table is ever read from code.

    As CommonMark: a fence closes only with the same character, at least as long, and nothing after it;
    a backtick fence's info string holds no backtick (```` ```ssot check``` runs in CI ```` is inline
    code, not a fence); an unclosed fence runs to the end. An indented code block is a line indented four
    columns past the enclosing list item's content (or the margin), after a blank line or more code; a
    line indented so right after text continues that paragraph instead.
    """
    code: list[bool] = []
    fence: str | None = None
    #: the content columns of the open list items, innermost last
    items: list[int] = []
    previous = "blank"  # the line before: blank, text (a paragraph's) or code
    for line in lines:
        if fence is not None:
            code.append(True)
            closing = _FENCE_CLOSE.fullmatch(line)
            if closing and closing["fence"][0] == fence[0] and len(closing["fence"]) >= len(fence):
                fence = None
            previous = "code"
            continue
        if not line.strip():
            code.append(False)
            previous = "code" if previous == "code" else "blank"  # indented code goes on after a blank line
            continue
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip())
        bullet = _BULLET.match(expanded)
        while items and indent < items[-1] and (bullet or previous != "text"):
            items.pop()  # a line left of an item's content ends it, unless it continues the item's paragraph
        if indent >= (items[-1] if items else 0) + 4 and previous != "text":
            code.append(True)
            previous = "code"
            continue
        opening = _FENCE_OPEN.match(line)
        if opening and not (opening["fence"][0] == "`" and "`" in opening["info"]):
            fence = opening["fence"]
            code.append(True)
            previous = "code"
            continue
        if bullet:
            items.append(bullet.end())
        code.append(False)
        previous = "blank" if _HEADING.match(line.lstrip()) else "text"
    return code


def read_markdown(text: str, first_line: int = 1, name: str = "") -> Document:
    """Tables and other lines of `text`; `first_line` is the file line of `text`'s first line."""
    raw = [strip_ending(line).rstrip() for line in split_lines(text.removeprefix("\ufeff"))]
    indent_levels = _indent_levels(raw)
    tables: list[Table] = []
    units: list[list[tuple[int, str]]] = []  # each unit's (file line, text) lines
    kinds: list[str] = []  # each unit's kind: text (may go on), closed, code, table
    unit_tables: dict[int, Table] = {}
    heading = name
    anchors = {name: max(first_line - 1, 1)}
    code = code_lines(raw)
    i = 0
    while i < len(raw):
        line = raw[i]
        number = first_line + i
        if code[i]:
            if line.strip():  # blank lines are layout, in code as elsewhere
                units.append([(number, line)])
                kinds.append("code")
            i += 1
            continue
        if _is_table_start(raw, i):
            end = i + 2
            while end < len(raw) and raw[end].strip() and "|" in raw[end] and not code[end]:
                end += 1
            same_name = sum(1 for t in tables if t.name.split(" #")[0] == heading)
            tables.append(
                Table(
                    name=heading if not same_name else f"{heading} #{same_name + 1}",
                    header=split_row(raw[i]),
                    rows=tuple(split_row(row) for row in raw[i + 2 : end]),
                    header_line=number,
                    row_lines=tuple(first_line + n for n in range(i + 2, end)),
                    end_line=first_line + min(end, len(raw) - 1),
                )
            )
            unit_tables[len(units)] = tables[-1]
            units.append([(number, line)])
            kinds.append("table")
            i = end
            continue
        if not line.strip():
            if kinds and kinds[-1] == "text":
                kinds[-1] = "closed"  # a blank line ends a paragraph
        elif kinds and kinds[-1] == "text" and not _starts_block(line):
            units[-1].append((number, line))  # a paragraph's or list item's next line (a wrapped one)
        else:
            heading_match = _HEADING.match(line)
            if heading_match and not name:
                heading = rendered(normal_cell(heading_match.group(1)))
                anchors.setdefault(heading, number)
            units.append([(number, line)])
            kinds.append("closed" if heading_match or _CLOSED.match(line) else "text")
        i += 1
    lines = [_unit(unit, kind, indent_levels, unit_tables.get(n)) for n, (unit, kind) in enumerate(zip(units, kinds))]
    return Document(tuple(tables), tuple(lines), anchors)


def _unit(unit: list[tuple[int, str]], kind: str, levels: dict[int, int], table: Table | None) -> Line:
    number, first = unit[0]
    if table is not None:
        return Line(number, first, "", table=table.name, last=max((number + 1, *table.row_lines)))
    if kind == "code":
        return Line(number, first, first.strip(), last=number)
    normal = _normal_line(" ".join(text.strip() if n else text for n, (_, text) in enumerate(unit)), levels)
    word_lines = [number] * (len(_normal_line(first, levels).split()))
    for line_number, text in unit[1:]:
        word_lines += [line_number] * len(_normal_line(text.strip(), levels).split())
    return Line(number, "\n".join(text for _, text in unit), normal, tuple(word_lines), last=unit[-1][0])


def _starts_block(line: str) -> bool:
    """Whether `line` begins a block of its own rather than going on with the paragraph above it."""
    stripped = line.lstrip()
    return bool(
        _HEADING.match(stripped) or _BULLET.match(line) or _CLOSED.match(line) or stripped.startswith((">", "|"))
    )


def split_row(line: str) -> tuple[str, ...]:
    """The cells of a table row, without outer pipes or padding (escaped pipes stay in their cell)."""
    body = line.strip()
    body = body.removeprefix("|")
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return tuple(normal_cell(cell) for cell in _UNESCAPED_PIPE.split(body))


def normal_cell(cell: str) -> str:
    return _UNDERSCORE_EM.sub(
        lambda m: "*" * len(m.group(1)) + m.group(2) + "*" * len(m.group(1)), " ".join(cell.split())
    )


def cell_content(cell: str) -> str:
    """A cell as it renders: what two cells must share to agree (see compiler/formats/markdown_text.py)."""
    return rendered(cell, in_table=True)


def plain(cell: str) -> str:
    """A cell as a name in a message: without emphasis or code marks."""
    return cell.replace("**", "").replace("`", "").strip("*_ ")


def _is_table_start(lines: list[str], i: int) -> bool:
    if i + 1 >= len(lines) or "|" not in lines[i] or _FENCE_OPEN.match(lines[i + 1]):
        return False
    cells = split_row(lines[i + 1])
    return "-" in lines[i + 1] and all(_DELIMITER_CELL.fullmatch(cell) for cell in cells)


def _indent_levels(lines: list[str]) -> dict[int, int]:
    """Indentation width -> nesting level, from the widths list items use (2 or 4 spaces mean 'nested')."""
    widths = sorted({len(m.group("indent").expandtabs(4)) for line in lines if (m := _BULLET.match(line))})
    return {width: level for level, width in enumerate(widths)}


def _normal_line(line: str, levels: dict[int, int]) -> str:
    bullet = _BULLET.match(line)
    if bullet is None:
        return rendered(normal_cell(line))
    width = len(bullet.group("indent").expandtabs(4))
    ordered = line[bullet.end() - 2 : bullet.end()].strip()[-1:] in (".", ")")
    marker = "1." if ordered else "-"
    return "  " * levels.get(width, 0) + marker + " " + rendered(normal_cell(line[bullet.end() :]))
