"""HCL's tokens for compiler/formats/hcl_syntax.py (pure): blanks, line breaks, names, strings, heredocs.

The grammar python-hcl2 follows (hcl2.lark) is lexed by state; this scanner is asked for one kind of token
at a time by the parser, in the state it is in, and raises Unsure for whatever it is not sure python-hcl2
reads the same way: an escape it keeps as written, a `%{` directive, a literal line break in a string, a
keyword where a name goes, an unterminated comment.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from compiler.formats.terraform import heredoc_value


class Unsure(Exception):
    """The text leaves this parser's subset: let python-hcl2 read it."""


class Expr(NamedTuple):
    #: "value" (a literal: number, bool, null, list, map, or a string with escapes), "string" (a string
    #: written without escapes), "name" (a bare identifier), "call" (a function call), "other"
    kind: str
    #: the literal's value; the identifier or the called function's name; None for "other"
    value: Any


#: Deeper nesting is left to python-hcl2 (and to compiler/formats/hcl.py's budget, which names the file).
MAX_DEPTH = 48
#: Names the grammar lexes as keywords (or literals) in some states: never taken for a name here.
KEYWORDS = frozenset({"in", "for", "if", "for_each", "else", "endif", "endfor", "true", "false", "null"})
_SPACE = re.compile(r"[ \t\r]*")
NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_-]*")
_NEWLINE = re.compile(r"\n|#[^\n]*\n|//[^\n]*\n|/\*.*?\*/", re.DOTALL)
_STRING_CHUNK = re.compile(r'[^"\\$%\n]+')
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPED = re.compile(r"(\$\$|%%)\{[^}]*\}")
_UNICODE = re.compile(r"u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})")
#: hcl2.lark's heredoc terminals, verbatim (the same engine, so the same match)
_HEREDOC = re.compile(r"<<(-?)([a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:(?:.|\n)*?\r?\n)??\s*\2\r?\n")
_OPERATORS = ("==", "!=", "<=", ">=", "&&", "||", "<", ">", "+", "-", "*", "/", "%")
OTHER = Expr("other", None)


class Scanner:
    """The text (with python-hcl2's appended line break), where the parser is in it, and on which line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.line = 1
        self.depth = 0
        #: a heredoc's token ends with its closing line's line break: one stands after it
        self.pending_newline = False

    def space(self) -> str:
        """Skip blanks; the next character ("" at the end)."""
        self.at = _SPACE.match(self.text, self.at).end()  # type: ignore[union-attr]
        return self.text[self.at : self.at + 1]

    def newlines(self) -> int:
        """Skip line breaks and comments (a comment is a line break to the grammar); how many tokens."""
        found, self.pending_newline = int(self.pending_newline), False
        while True:
            self.space()
            match = _NEWLINE.match(self.text, self.at)
            if match is None:
                if self.text.startswith("/*", self.at):
                    raise Unsure  # unterminated
                return found
            self.line += match.group().count("\n")
            self.at, found = match.end(), found + 1

    def mark(self) -> tuple[int, int, bool]:
        return self.at, self.line, self.pending_newline

    def restore(self, mark: tuple[int, int, bool]) -> None:
        self.at, self.line, self.pending_newline = mark

    def assignment(self) -> bool:
        """Consume `=` (not `==` nor `=>`), if it comes next."""
        if self.pending_newline or self.space() != "=" or self.text[self.at + 1] in "=>":
            return False
        self.at += 1
        return True

    def at_newline(self) -> bool:
        char = self.space()
        return self.pending_newline or char in ("\n", "#") or self.text.startswith(("//", "/*"), self.at)

    def take(self, token: str) -> bool:
        """Consume `token` if it comes next (on this line)."""
        if self.pending_newline:
            return False
        self.space()
        if self.text.startswith(token, self.at):
            self.at += len(token)
            return True
        return False

    def expect(self, token: str) -> None:
        if not self.take(token):
            raise Unsure

    def name(self) -> str | None:
        """A name (never a keyword), if one comes next."""
        if self.pending_newline:
            return None
        self.space()
        match = NAME.match(self.text, self.at)
        if match is None:
            return None
        if match.group() in KEYWORDS:
            raise Unsure
        self.at = match.end()
        return match.group()

    def keyword(self, word: str) -> bool:
        self.space()
        match = NAME.match(self.text, self.at)
        if match is None or match.group() != word or self.pending_newline:
            return False
        self.at = match.end()
        return True

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Unsure

    def colon(self) -> None:
        if not self.take(":") or self.text[self.at] == ":":
            raise Unsure

    def operator(self, after_newline: bool) -> bool:
        """Consume a binary operator, if one comes next: not a comment, nor a minus that may be a sign."""
        if self.pending_newline or self.text.startswith(("//", "/*"), self.at):
            return False
        operator = next((op for op in _OPERATORS if self.text.startswith(op, self.at)), None)
        if operator is None or (operator == "-" and (after_newline or self.text[self.at + 1].isdigit())):
            return False
        self.at += len(operator)
        return True

    def expression(self, conditional: bool = True) -> Expr:
        raise NotImplementedError  # the parser's: an interpolation holds an expression

    def string(self) -> Expr:
        """A quoted string: its value, unless it holds `${...}` (then checked, and "other")."""
        self.at += 1
        parts: list[str] = []
        plain, literal = True, True
        text = self.text
        while True:
            chunk = _STRING_CHUNK.match(text, self.at)
            if chunk is not None:
                parts.append(chunk.group())
                self.at = chunk.end()
            char = text[self.at : self.at + 1]
            if char == '"':
                self.at += 1
                break
            if char == "\\":
                plain = False
                escape = text[self.at + 1 : self.at + 2]
                unicode = _UNICODE.match(text, self.at + 1)
                if escape in _ESCAPES:
                    parts.append(_ESCAPES[escape])
                    self.at += 2
                elif unicode is not None and _character(unicode) is not None:
                    parts.append(_character(unicode) or "")
                    self.at = unicode.end()
                else:
                    raise Unsure  # python-hcl2 keeps an unknown escape as written; Terraform refuses it
            elif text.startswith("${", self.at):
                self.at += 2
                self.expression()
                self.expect("}")
                literal = False
            elif text.startswith(("$${", "%%{"), self.at):  # kept as written by python-hcl2, up to a `}`
                escaped = _ESCAPED.match(text, self.at)
                if escaped is None:
                    raise Unsure
                self.at, literal = escaped.end(), False
            elif char in ("$", "%") and not text.startswith("%{", self.at):
                parts.append(char)
                self.at += 1
            else:  # a %{ directive, a line break or the end: python-hcl2's to read
                raise Unsure
        if not literal:
            return OTHER
        return Expr("string" if plain else "value", "".join(parts))

    def heredoc(self) -> Expr:
        """A heredoc (`<<EOT` or `<<-EOT`), as one token whatever its body holds, as python-hcl2 lexes it."""
        match = _HEREDOC.match(self.text, self.at)
        if match is None:
            raise Unsure
        token = match.group()
        self.line += token.count("\n")
        self.at = match.end()
        self.pending_newline = True
        value = heredoc_value(re.sub(r"\r?\n\Z", "", token))
        if value is None or "${" in value or "%{" in value:
            return OTHER  # a template: python-hcl2's to read
        return Expr("value", value)


def _character(match: re.Match[str]) -> str | None:
    code = int(match[1] or match[2], 16)
    return None if code > 0x10FFFF or 0xD800 <= code < 0xE000 else chr(code)
