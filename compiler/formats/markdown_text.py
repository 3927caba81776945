"""Inline Markdown text as it renders: spellings of one character (`\\|`, `&#124;`, `&#x7C;`, `&vert;`) are one.

A character written as an HTML entity or a backslash escape renders as that character, so the spelling is
formatting, not content. What stays apart is what renders apart: a character that Markdown would read as
markup when written bare (`*`, `_`, `|`, ...) is kept escaped, so `\\*x\\*` is not `*x*`; inside a code
span nothing is decoded (`&#124;` shows as written there), except `\\|` in a table cell, which GFM reads
as a pipe before it reads the cell.
"""

from __future__ import annotations

import re

#: Characters whose bare spelling may be markup: their escaped spelling is kept distinct.
_ACTIVE = frozenset("\\`*_[]<>|~")
#: a backslash escape (group 1: the character) or an entity, read in one pass as CommonMark does
_SPELLING = re.compile(r"\\([!-/:-@\[-`{-~])|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_BACKTICKS = re.compile(r"`+")


def rendered(text: str, *, in_table: bool = False) -> str:
    """`text` with every entity and backslash escape in one spelling (code spans as GFM reads them)."""
    if "&" not in text and "\\" not in text:
        return text
    out: list[str] = []
    position = 0
    while position < len(text):
        tick = _BACKTICKS.search(text, position)
        if tick is None:
            out.append(_decoded(text[position:]))
            break
        if tick.start() > 0 and _escaped(text, tick.start()):
            # an escaped backtick is a literal one, and the run goes on after it
            out.append(_decoded(text[position : tick.start() + 1]))
            position = tick.start() + 1
            continue
        out.append(_decoded(text[position : tick.start()]))
        close = _closing(text, tick.end(), len(tick.group()))
        if close is None:  # no closing run of the same length: the backticks are literal text
            out.append(tick.group())
            position = tick.end()
            continue
        code = text[tick.start() : close]
        out.append(code.replace("\\|", "|") if in_table else code)
        position = close
    return "".join(out)


def _decoded(text: str) -> str:
    return _SPELLING.sub(lambda m: _spelled(m.group(1)) if m.group(1) else _entity(m.group()), text)


def _entity(entity: str) -> str:
    import html  # 0.5 ms: only a text with a character reference needs it

    character = html.unescape(entity)
    return entity if character == entity else "".join(_spelled(c) for c in character)


def _spelled(character: str) -> str:
    return "\\" + character if character in _ACTIVE else character


def _escaped(text: str, index: int) -> bool:
    """Whether the character at `index` follows an odd number of backslashes."""
    slashes = 0
    while index - slashes - 1 >= 0 and text[index - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


def _closing(text: str, start: int, length: int) -> int | None:
    """The end of the first backtick run of exactly `length` after `start`, if any."""
    for run in _BACKTICKS.finditer(text, start):
        if len(run.group()) == length:
            return run.end()
    return None
