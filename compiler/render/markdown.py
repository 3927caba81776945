"""Markdown building blocks shared by the README blocks and the docs pages.

SSOT text is inline Markdown (`**bold**`, `` `code` ``), placed into pages that MkDocs (Python-Markdown,
with attr_list) and GitHub turn into HTML. `inline` keeps that Markdown and takes away what would reach
the page as something else than text: raw HTML (`<script>`, a comment that would close a block marker),
attribute lists (`{: onclick=...}`), links to `javascript:` and other schemes, and line breaks (which
would start headings, lists or link definitions). `code` makes a code span that no backtick in the text
can close early.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from compiler.core.model import Variable
from compiler.render.trace import is_tracing, visible

GENERATED_NOTICE = "Generated from ssot/env.yaml by `ssot build`. Do not edit by hand."


def required_text(variable: Variable) -> str:
    """How a contract table says whether a variable is required."""
    if variable.required:
        return "yes"
    return f"no (defaults to {variable.default_from})" if variable.default_from else "no"


#: Cells up to this width are padded to align their column; a wider cell is written as it is and does not
#: widen the column, so one long text costs its own length once, not once per row (and per column).
MAX_PADDED_WIDTH = 100

_BACKTICKS = re.compile(r"`+")
_MARKUP = re.compile(r"[`<{\]]")
#: A link's destination that may stay a link: the web, mail, or a path or anchor without a scheme.
_SAFE_DESTINATION = re.compile(r"\s*<?\s*(?:https?://|mailto:|[^:&\s)>]*(?:[\s)>]|$))", re.IGNORECASE)


def code(text: str) -> str:
    """`text` as a code span, fenced by more backticks than any run of them inside it (CommonMark)."""
    if "`" not in text:  # most text, and every table cell of every environment's page
        return f"`{text}`"
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    if not longest:
        return f"`{text}`"
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


@functools.lru_cache(maxsize=4096)
def inline(text: str) -> str:
    """SSOT text as inline Markdown that renders as the text it says, and as nothing else (module doc).

    Code spans are kept as they are: what is inside them is shown literally by every renderer. (Remembered:
    each environment's page says every variable's description again.)
    """
    text = " ".join(text.splitlines()) if "\n" in text or "\r" in text else text
    if not _MARKUP.search(text):  # nothing that could open a code span, a tag, an attribute list or a link
        return text
    parts = []
    position = 0
    for start, end in _code_spans(text):
        parts.append(_inline_text(text[position:start]))
        parts.append(text[start:end])
        position = end
    parts.append(_inline_text(text[position:]))
    return "".join(parts)


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Where the code spans are: a run of backticks up to the next run of the same length (CommonMark),
    found in one pass. A run after a backslash opens none: taking too little for code only escapes more."""
    runs = list(_BACKTICKS.finditer(text))
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = len(runs[index].group())
        following[index] = last.get(length)
        last[length] = index
    spans = []
    index = 0
    while index < len(runs):
        start = runs[index].start()
        closing = following[index]
        if closing is None or _backslashes_before(text, start) % 2:
            index += 1
            continue
        spans.append((start, runs[closing].end()))
        index = closing + 1
    return spans


def _backslashes_before(text: str, index: int) -> int:
    count = 0
    while index > count and text[index - count - 1] == "\\":
        count += 1
    return count


def _inline_text(text: str) -> str:
    """Text outside code spans: `<` as an entity (no tag, comment or autolink can start), `{` escaped
    where a `}` follows (no attribute list), and a link to an unsafe destination left as text."""
    text = text.replace("<", "&lt;")
    if "{" in text and "}" in text:
        text = re.sub(r"(?<!\\)\{(?=[^}]*\})", r"\\{", text)
    if "](" in text:
        text = re.sub(r"\]\((?!" + _SAFE_DESTINATION.pattern + ")", r"]\\(", text, flags=re.IGNORECASE)
    return text


def render_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A pipe table with padded, aligned columns: readable as plain text, stable under formatters.

    A cell wider than MAX_PADDED_WIDTH is not padded and leaves its column's width alone (module doc).
    """
    cells = [_escaped(header), *map(_escaped, rows)]
    if is_tracing():
        # widths of what is shown: a traced render (compiler/render/trace.py) pads exactly as a normal one
        lengths = [[len(visible(cell)) for cell in row] for row in cells]
        widths = [max([3, *(n for n in column if n <= MAX_PADDED_WIDTH)]) for column in zip(*lengths)]
        # padded to the column's width as shown (what a traced cell holds besides: its markers)
        lines = [
            [cell.ljust(width + len(cell) - n) for cell, n, width in zip(row, length, widths)]
            for row, length in zip(cells, lengths)
        ]
    else:  # every table of every page: one pass per column, then one per row
        widths = [max([3, *[n for n in map(len, column) if n <= MAX_PADDED_WIDTH]]) for column in zip(*cells)]
        lines = [[cell.ljust(width) for cell, width in zip(row, widths)] for row in cells]
    lines.insert(1, ["-" * width for width in widths])
    return "".join([f"| {' | '.join(line)} |\n" for line in lines])


def _escaped(row: Sequence[str]) -> list[str]:
    """A row's cells, each on one line, its pipes escaped (looked for in the whole row at once: most rows
    have none)."""
    joined = "".join(row)
    if "|" not in joined and "\n" not in joined:
        return list(row)
    return [cell.replace("|", "\\|").replace("\n", " ") for cell in row]
