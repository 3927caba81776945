"""Named blocks in hand-written files: `<!-- ssot:begin NAME -->` ... `<!-- ssot:end NAME -->` in
Markdown, `# ssot:begin NAME` ... `# ssot:end NAME` in YAML (mkdocs.yml's nav).

A marker is a line of its own, written in lower case. Markers inside code (fenced or indented) are text,
not markers (so a page can show how markers are written); what is code is decided by the Markdown lexer,
`compiler.formats.markdown.code_lines`. A begin marker may carry options after the name (`columns="..."`,
compiler/formats/marker_options.py). Every byte outside the blocks is kept as it is, line endings included.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import NamedTuple

from compiler import codes
from compiler.errors import Problem, SsotError
from compiler.formats.markdown import code_lines
from compiler.formats.marker_options import Columns, MarkerOptions, OptionError, read_options, written
from compiler.text import split_lines, strip_ending

# The options (group `options`) are read by compiler/formats/marker_options.py; an end marker has none.
_MARKER = re.compile(
    r"(?P<indent>\s*)<!--\s*ssot:(?P<kind>begin|end)\s+(?P<name>[A-Za-z0-9_.-]+)(?P<options>(?:\s.*?)?)\s*-->\s*"
)
# At the start of a line (mentions in prose are not markers), in any case: `SSOT:BEGIN` is a misspelt
# marker to report, not text to skip silently.
_MARKER_LIKE = re.compile(r"\s*<!--\s*ssot:", re.IGNORECASE)
_YAML_MARKER = re.compile(
    r"(?P<indent>\s*)#\s*ssot:(?P<kind>begin|end)\s+(?P<name>[A-Za-z0-9_.-]+)(?P<options>(?:\s.*?)?)\s*"
)
_YAML_MARKER_LIKE = re.compile(r"\s*#\s*ssot:", re.IGNORECASE)
_ANY_CASE = {
    _MARKER: re.compile(_MARKER.pattern, re.IGNORECASE),
    _YAML_MARKER: re.compile(_YAML_MARKER.pattern, re.IGNORECASE),
}
#: What a file must hold to have markers at all (any case: an upper-case marker is reported, not skipped)
_MAY_HOLD_MARKERS = re.compile("ssot:", re.IGNORECASE)


class Block(NamedTuple):
    name: str
    #: 1-based line numbers of the begin and end markers
    begin_line: int
    end_line: int
    #: the begin marker's indentation, which a YAML block's lines take
    indent: str = ""
    #: the columns its begin marker names (`columns="..."`); empty: the block's own
    columns: Columns = ()


def may_hold_markers(text: str) -> bool:
    """Whether `text` may hold markers, in any case: a file without is not read for blocks (cheap)."""
    return _MAY_HOLD_MARKERS.search(text) is not None


def is_yaml(filename: str) -> bool:
    return filename.endswith((".yml", ".yaml"))


def newline_of(text: str) -> str:
    """The file's line ending: CRLF if most lines end so, else LF."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf >= text.count("\n") - crlf else "\n"


def find_blocks(
    text: str, filename: str, known: Collection[str] | None, fields: Mapping[str, Collection[str]] | None = None
) -> list[Block]:
    """The blocks of `text`, in order. Raises SsotError naming file and line for any broken marker.

    A name not in `known` is a broken marker too (None: any name goes). With `fields` (each block's name ->
    the fields of its table), a `columns` option naming another field is one as well, and so is one on a
    block that has none (not a table).
    """
    problems: list[Problem] = []
    blocks: list[Block] = []
    first_seen: dict[str, int] = {}
    open_name: str | None = None
    open_line = 0
    open_indent = ""
    open_columns: Columns = ()
    yaml = is_yaml(filename)
    marker_re, marker_like = (_YAML_MARKER, _YAML_MARKER_LIKE) if yaml else (_MARKER, _MARKER_LIKE)

    def end_marker(name: str) -> str:
        return f"# ssot:end {name}" if yaml else f"<!-- ssot:end {name} -->"

    # A byte-order mark is not part of the first line (a marker may stand there).
    lines = [strip_ending(line) for line in split_lines(text.removeprefix("\ufeff"))]
    code = [False] * len(lines) if yaml else code_lines(lines)
    for number, line in enumerate(lines, start=1):
        if code[number - 1] or not marker_like.match(line):
            continue

        def problem(message: str, line_number: int = number) -> None:
            problems.append(Problem(filename, line_number, 0, message))

        match = marker_re.fullmatch(line)
        if match is None:
            problem(_malformed(line, marker_re, yaml))
            # an upper-case marker still opens or closes its block: its partner is not blamed as well
            match = _ANY_CASE[marker_re].fullmatch(line)
            if match is None:
                continue
        kind, name = match["kind"].lower(), match["name"]
        try:
            options = read_options(match["options"]) if kind == "begin" else MarkerOptions()
        except OptionError as exc:
            problem(f"marker of block {name!r}: {exc}")
            options = MarkerOptions()
        if kind == "end" and match["options"].strip():
            problem(f"end marker for {name!r} takes no options; write {end_marker(name)}")
        if kind == "begin":
            if fields is not None and (known is None or name in known):
                problems.extend(Problem(filename, number, 0, m) for m in _column_problems(name, options, fields))
            if open_name is not None:
                # Blocks cannot nest, so the open block has lost its end marker: say so once, and go on
                # with the new block so that the blocks after it are not blamed too.
                problem(
                    f"block {open_name!r} has no end marker before block {name!r} begins at line {number} "
                    f"(blocks cannot nest); add {end_marker(open_name)}",
                    open_line,
                )
            if known is not None and name not in known:
                problem(f"unknown block {name!r}; known blocks: {', '.join(sorted(known))}")
            elif name in first_seen:
                problem(f"block {name!r} appears twice (first at line {first_seen[name]})")
            first_seen.setdefault(name, number)
            open_name, open_line, open_indent, open_columns = name, number, match["indent"], options.columns
        elif open_name is None:
            problem(f"end marker for {name!r} without a begin marker before it")
        elif name != open_name:
            problem(
                f"end marker for {name!r} inside block {open_name!r} (begun at line {open_line}); expected {end_marker(open_name)}"
            )
        else:
            blocks.append(Block(name, open_line, number, open_indent, open_columns))
            open_name = None
    if open_name is not None:
        problems.append(
            Problem(filename, open_line, 0, f"block {open_name!r} has no end marker; add {end_marker(open_name)}")
        )
    if problems:
        raise SsotError(problems, code=codes.BROKEN_MARKER)
    return blocks


def _malformed(line: str, marker_re: re.Pattern[str], yaml: bool) -> str:
    """Why a marker-like line is no marker: written in upper case (say how it is written), or misshapen."""
    any_case = _ANY_CASE[marker_re].fullmatch(line)
    if any_case is not None:
        kind, name = any_case["kind"].lower(), any_case["name"]
        options = any_case["options"].strip()
        fixed = f"# ssot:{kind} {name}" if yaml else f"<!-- ssot:{kind} {name}{' ' + options if options else ''} -->"
        return f"malformed marker {line.strip()!r}: markers are written in lower case; write {fixed}"
    shape = "# ssot:begin NAME or # ssot:end NAME" if yaml else "<!-- ssot:begin NAME --> or <!-- ssot:end NAME -->"
    return f"malformed marker {line.strip()!r}; write {shape} on a line of its own"


def _column_problems(name: str, options: MarkerOptions, tables: Mapping[str, Collection[str]]) -> list[str]:
    """What is wrong with the columns a begin marker names, `tables` giving each table block's fields."""
    if not options.columns:
        return []
    fields = tables.get(name, ())
    if not fields:
        return [f"block {name!r} is not a table and takes no columns option; remove{written(options)}"]
    import difflib  # only a marker naming an unknown column needs it

    problems = []
    for field, _label in options.columns:
        if field not in fields:
            close = difflib.get_close_matches(field, list(fields), n=1, cutoff=0.5)
            guess = f"did you mean {close[0]!r}? " if close else ""
            problems.append(f"block {name!r} has no column {field!r}; {guess}columns available: {', '.join(fields)}")
    return problems


def replace_blocks(text: str, blocks: list[Block], rendered: Mapping[str, str], *, yaml: bool = False) -> str:
    """`text` with each block's inside replaced by `rendered[name]` (LF text), in the file's line endings.

    In YAML the body takes the begin marker's indentation; in Markdown it is set off by blank lines.
    """
    newline = newline_of(text)
    lines = split_lines(text)
    out: list[str] = []
    position = 0
    for block in blocks:
        out.extend(lines[position : block.begin_line])  # up to and including the begin marker
        body = rendered[block.name].strip("\n")
        if body and yaml:
            out.extend(block.indent + line + newline for line in body.split("\n"))
        elif body:
            # Blank lines around the body: Markdown parsers then never glue it to the marker comments.
            out.append(newline + body.replace("\n", newline) + newline + newline)
        position = block.end_line - 1  # the end marker and what follows stay as written
    out.extend(lines[position:])
    return "".join(out)


def block_bodies(text: str, blocks: list[Block]) -> dict[str, str]:
    """The current inside of each block, as LF text."""
    lines = [strip_ending(line) for line in split_lines(text)]
    return {b.name: "".join(line + "\n" for line in lines[b.begin_line : b.end_line - 1]) for b in blocks}
