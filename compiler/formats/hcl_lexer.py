"""HCL text as tokens (pure, no python-hcl2): what the secret scan needs that the parser drops.

compiler/formats/hcl.py reads what Terraform reads; it throws comments away, and python-hcl2 costs an
import. The secret scan must see every comment of a tfvars file (a commented-out `# token = "..."` is
committed all the same) and the string literals of a Terraform `variable` block's `default`. This lexer
finds them: comments (`#`, `//`, `/* */`), quoted strings (escapes decoded, `${...}` kept as written),
heredocs, words and punctuation, each with its line. It never fails: text it cannot make sense of
(an unterminated string) ends the token at the line or the file's end, and the parser reports it.
Loops only, no recursion, so a hostile nesting depth costs time linear in its size.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple


class Token(NamedTuple):
    #: "comment", "string", "heredoc", "word", "punct" or "newline"
    kind: str
    #: a comment's text without its markers; a string's content; a heredoc's body; the word or character
    text: str
    #: the 1-based line where the token starts
    line: int
    #: where it starts and ends in the text (offsets), for an edit in place
    start: int = 0
    end: int = 0


_TOP = re.compile(
    r"(?P<newline>\n)"
    r"|(?P<space>[ \t\r\f\v]+)"
    r"|(?:\#|//)(?P<line_comment>[^\n]*)"
    r"|/\*(?P<block_comment>.*?)(?:\*/|\Z)"
    r"|<<-?(?P<heredoc>[A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n"
    r"|(?P<quote>\")"
    r"|(?P<word>[A-Za-z0-9_.-]+)"
    r"|(?P<punct>.)",
    re.DOTALL,
)
_STRING_CHUNK = re.compile(r"[^\"\\$%\n]+")
_TEMPLATE_CHUNK = re.compile(r"[^\"{}]+")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_UNICODE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")


def tokens(text: str) -> Iterator[Token]:
    """The tokens of `text` in order (blanks dropped)."""
    position, line, size = 0, 1, len(text)
    while position < size:
        match = _TOP.match(text, position)
        assert match is not None  # `punct` takes any one character
        kind = match.lastgroup
        end = match.end()
        if kind == "quote":
            end, content = _string(text, end)
            yield Token("string", content, line, position, end)
        elif kind == "heredoc":
            end, body = _heredoc(text, end, match["heredoc"])
            yield Token("heredoc", body, line, position, end)
        elif kind in ("line_comment", "block_comment"):
            yield Token("comment", match[kind], line, position, end)
        elif kind in ("word", "punct", "newline"):
            yield Token(kind, match.group(), line, position, end)
        line += text.count("\n", position, end)
        position = end


def _string(text: str, position: int) -> tuple[int, str]:
    """(end, content) of the quoted string whose opening quote ends at `position`.

    The content has its escapes decoded; an interpolation (`${...}`, `%{...}`) is kept as written, after
    following its braces and the strings inside it (which may hold interpolations too) with a stack.
    """
    parts: list[str] = []
    stack: list[int] = []  # the brace depth of each open interpolation, innermost last; strings between
    in_string = [True]  # whether each level is a string (True) or an interpolation (False)
    size = len(text)
    while position < size and in_string:
        if in_string[-1]:
            chunk = _STRING_CHUNK.match(text, position)
            if chunk is not None:
                parts.append(chunk.group())
                position = chunk.end()
                continue
            char = text[position]
            if char == '"':
                in_string.pop()
                if in_string:  # a string inside an interpolation: part of it, as written
                    parts.append(char)
                position += 1
            elif char == "\n":  # an unterminated string ends at its line
                break
            elif char == "\\":
                escape = _UNICODE.match(text, position)
                if escape is not None:
                    parts.append(chr(min(int(escape[1] or escape[2], 16), 0x10FFFF)))
                    position = escape.end()
                else:
                    parts.append(_ESCAPES.get(text[position + 1 : position + 2], text[position + 1 : position + 2]))
                    position += 2
            elif text.startswith(char * 2 + "{", position):  # $${ and %%{ stand for ${ and %{
                parts.append(char + "{")
                position += 3
            elif text.startswith("{", position + 1):
                parts.append(char + "{")
                in_string.append(False)
                stack.append(1)
                position += 2
            else:
                parts.append(char)
                position += 1
        else:
            chunk = _TEMPLATE_CHUNK.match(text, position)
            if chunk is not None:
                parts.append(chunk.group())
                position = chunk.end()
                continue
            char = text[position]
            parts.append(char)
            position += 1
            if char == '"':
                in_string.append(True)
            elif char == "{":
                stack[-1] += 1
            else:  # "}"
                stack[-1] -= 1
                if stack[-1] == 0:
                    stack.pop()
                    in_string.pop()
    return position, "".join(parts)


def _heredoc(text: str, position: int, tag: str) -> tuple[int, str]:
    """(end, body) of a heredoc whose body starts at `position`: up to the line that is only `tag`."""
    closing = re.compile(r"^[ \t]*" + re.escape(tag) + r"[ \t]*\r?$", re.MULTILINE)
    found = closing.search(text, position)
    if found is None:
        return len(text), text[position:]
    return found.end(), text[position : found.start()]


class DefaultLeaf(NamedTuple):
    """A string inside a `variable` block's `default`, with the map keys above it (outermost first)."""

    variable: str
    keys: tuple[str, ...]
    text: str
    line: int


_OPENING = {"{": "}", "[": "]", "(": ")"}
_CLOSING = frozenset(_OPENING.values())


def variable_defaults(lexed: Iterable[Token]) -> Iterator[DefaultLeaf]:
    """Every string literal of every top-level `variable "name" { default = ... }` in a .tf file's tokens."""
    significant = [t for t in lexed if t.kind != "comment"]
    depth = 0
    variable: str | None = None  # the variable block we are in (its body is depth 1)
    collecting = False
    keys: dict[int, str] = {}  # map keys inside the default, by the depth they were written at
    at_line_start = True
    for index, token in enumerate(significant):
        following = significant[index + 1] if index + 1 < len(significant) else None
        starts_line, at_line_start = at_line_start, token.kind == "newline" or token.text == "{"
        if token.kind == "punct" and token.text in _OPENING:
            if depth == 0 and _opens_variable(significant, index):
                variable = significant[index - 1].text
            depth += 1
            continue
        if token.kind == "punct" and token.text in _CLOSING:
            depth = max(depth - 1, 0)
            keys = {d: k for d, k in keys.items() if d <= depth}
            if depth == 0:
                variable, collecting = None, False
            continue
        if variable is None:
            continue
        if depth == 1 and token.kind == "newline":
            collecting = False
        elif depth == 1 and starts_line and token.text == "default" and _is_assignment(following):
            collecting, keys = True, {}
        elif collecting and token.kind in ("word", "string") and _is_assignment(following):
            keys[depth] = token.text
        elif collecting and token.kind in ("string", "heredoc"):
            yield DefaultLeaf(variable, tuple(keys[d] for d in sorted(keys)), token.text, token.line)


def _is_assignment(token: Token | None) -> bool:
    return token is not None and token.kind == "punct" and token.text in ("=", ":")


def _opens_variable(significant: list[Token], brace: int) -> bool:
    """Whether the `{` at `brace` opens `variable "name" {` (the keyword first on its line)."""
    if significant[brace].text != "{" or brace < 2:
        return False
    keyword, label = significant[brace - 2], significant[brace - 1]
    before = significant[brace - 3] if brace >= 3 else None
    return (
        keyword.kind == "word"
        and keyword.text == "variable"
        and label.kind in ("string", "word")
        and (before is None or before.kind == "newline")
    )


def assigned_strings(text: str, name: str) -> list[str]:
    """The string literals assigned to an attribute called `name` anywhere in `text` (`name = "..."`), in
    order, `${...}` kept as written: what `ssot init` takes as evidence (of namespaces, say)."""
    significant = [t for t in tokens(text) if t.kind not in ("comment", "newline")]
    return [
        significant[index + 2].text
        for index, token in enumerate(significant[:-2])
        if token.kind == "word"
        and token.text == name
        and _is_assignment(significant[index + 1])
        and significant[index + 2].kind == "string"
    ]


def attribute_spans(text: str) -> dict[str, tuple[int, int, int]]:
    """name -> (line, start, end) of each top-level `name = value` of a tfvars file: where its value's text
    is (a list or map over several lines, a heredoc, a string with `${...}` in it), comments left out.
    For an edit in place; what the values are, compiler/formats/hcl.py reads."""
    spans: dict[str, tuple[int, int, int]] = {}
    depth, line_start = 0, True
    candidate: Token | None = None  # a name at a line's start, before its `=`
    name: Token | None = None  # the attribute whose value is being read
    start = end = -1
    for token in tokens(text):
        if token.kind == "comment":
            continue
        if depth == 0 and token.kind == "newline":
            if name is not None and start >= 0:
                spans.setdefault(name.text, (name.line, start, end))
            name, candidate, line_start, start = None, None, True, -1
            continue
        if name is None:
            if line_start and depth == 0 and token.kind in ("word", "string"):
                candidate = token
            elif candidate is not None and token.kind == "punct" and token.text == "=":
                name = candidate
            else:
                candidate = None
            line_start = False
        elif start < 0:
            start = token.start
        if name is not None and start >= 0:
            end = token.end
        if token.kind == "punct" and token.text in _OPENING:
            depth += 1
        elif token.kind == "punct" and token.text in _CLOSING:
            depth = max(depth - 1, 0)
    if name is not None and start >= 0:
        spans.setdefault(name.text, (name.line, start, end))
    return spans
