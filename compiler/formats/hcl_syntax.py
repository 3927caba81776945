"""HCL's syntax, for the plain files real repositories hold (pure, no python-hcl2): bodies, blocks, values.

compiler/formats/hcl_plain.py reads `variable` blocks and tfvars files with it, so that python-hcl2 (an
import, and a grammar to load or build) is paid only for a file this parser is unsure of. It must never
accept what python-hcl2 refuses, nor read a value differently: so it accepts a strict subset of python-hcl2's
grammar (hcl2.lark), and raises Unsure for everything else (templates `%{`, `$${`, provider functions `::`,
keywords where a name goes, a comment or line break anywhere the grammar does not allow one, odd escapes,
numbers it cannot type, a literal line break in a string, nesting deeper than MAX_DEPTH). The caller then
asks python-hcl2, whose answer (or message) is the one of record. Expressions that are not literals
(references, calls, operators, interpolation, `for`) are checked for syntax and kept as "other".
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from compiler.formats.hcl_scan import NAME, OTHER, Expr, Scanner, Unsure


class Attribute(NamedTuple):
    name: str
    line: int
    expr: Expr


class Block(NamedTuple):
    type: str
    labels: tuple[Expr, ...]
    line: int
    body: list[Attribute | Block]


_LITERALS = {"true": True, "false": False, "null": None}
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?(?![0-9A-Za-z_.])")
_INDEX = re.compile(r"[0-9]+(?![0-9A-Za-z_.-])")


def parse(text: str) -> list[Attribute | Block]:
    """The top-level body of `text`. Raises Unsure."""
    parser = _Parser(text + "\n")  # as python-hcl2 reads it
    try:
        body = parser.body(top=True)
    except RecursionError:
        raise Unsure from None
    return body


class _Parser(Scanner):
    """Recursive descent over hcl2.lark's rules, where each `new_line_or_comment?` is written out."""

    def body(self, top: bool = False) -> list[Attribute | Block]:
        items: list[Attribute | Block] = []
        attributes: set[str] = set()
        blocks: set[str] = set()
        while True:
            self.newlines()
            if self.at >= len(self.text):
                if not top:
                    raise Unsure
                return items
            if not top and self.take("}"):
                return items
            line = self.line
            # python-hcl2 takes `for_each` (a keyword of its lexer) as an attribute's name, as Terraform does
            name = "for_each" if self.keyword("for_each") else self.name()
            if name is None or name in attributes:
                raise Unsure  # python-hcl2 keeps the last of two, or fails to serialize a block after a name
            if self.assignment():
                if name in blocks:
                    raise Unsure
                attributes.add(name)
                items.append(Attribute(name, line, self.expression()))
            else:
                blocks.add(name)
                items.append(self.block(name, line))
            if not self.at_newline() and self.space() != "}":
                raise Unsure

    def block(self, kind: str, line: int) -> Block:
        labels = []
        while not self.take("{"):
            if self.space() == '"':
                labels.append(self.string())
            else:
                label = self.name()
                if label is None:
                    raise Unsure
                labels.append(Expr("name", label))
        self.nest()
        body = self.body()
        self.depth -= 1
        return Block(kind, tuple(labels), line, body)

    def expression(self, conditional: bool = True) -> Expr:
        self.nest()
        result = self.operand()
        while True:
            mark = self.mark()
            # One line break may come before an operator (python-hcl2's post-lexer joins them), not more
            newline = self.at_newline() and self.newlines()
            if newline and newline != 1:
                self.restore(mark)
                break
            if self.operator(bool(newline)):
                self.newlines()
                self.operand()
            elif conditional and self.take("?"):
                self.newlines()
                self.expression()
                self.newlines()
                self.colon()
                self.newlines()
                self.expression()
            else:
                self.restore(mark)
                break
            result = OTHER
        self.depth -= 1
        return result

    def operand(self) -> Expr:
        char = self.space()
        if self.pending_newline:
            raise Unsure
        if char in ("-", "!") and not self.text[self.at + 1 : self.at + 2].isdigit():
            self.at += 1
            if self.space() in ("-", "!"):
                raise Unsure
            self.postfix(self.term())
            return OTHER
        return self.postfix(self.term())

    def term(self) -> Expr:
        char = self.space()
        if char == "(":
            self.at += 1
            self.newlines()
            self.expression()
            self.newlines()
            self.expect(")")
            return OTHER
        if char == '"':
            return self.string()
        if char == "[":
            return self.tuple()
        if char == "{":
            return self.object()
        if char == "<":
            return self.heredoc()
        number = _NUMBER.match(self.text, self.at)
        if number is not None:
            self.at = number.end()
            text = number.group()
            if number[2]:  # python-hcl2 keeps an exponent as written, as an expression
                return Expr("value", "${" + text + "}")
            return Expr("value", float(text) if number[1] else int(text))
        match = NAME.match(self.text, self.at)
        if match is None:
            raise Unsure
        word = match.group()
        if word in _LITERALS:
            self.at = match.end()
            return Expr("value", _LITERALS[word])
        word = self.name() or ""
        if self.take("::"):
            raise Unsure
        if self.take("("):
            self.arguments()
            return Expr("call", word)
        return Expr("name", word)

    def postfix(self, result: Expr) -> Expr:
        while not self.at_newline():
            if self.take("[*]") or (not self.text.startswith("...", self.at) and self.take(".*")):
                result = OTHER
            elif self.text.startswith(".", self.at) and not self.text.startswith("..", self.at):
                self.at += 1
                self.space()
                digits = _INDEX.match(self.text, self.at)
                if digits is not None:
                    self.at = digits.end()
                elif self.name() is None:
                    raise Unsure
                result = OTHER
            elif self.take("["):
                self.newlines()
                self.expression()
                self.newlines()
                self.expect("]")
                result = OTHER
            else:
                break
        return result

    def arguments(self) -> None:
        """After `name(`: the arguments and the `)`."""
        self.nest()
        if not self.newlines() and self.take(")"):
            self.depth -= 1
            return
        while True:
            self.expression()
            newline = self.newlines()
            if self.take(","):
                self.newlines()
                if self.take(")"):
                    break
                continue
            if not newline and self.take("..."):
                self.newlines()
            self.expect(")")
            break
        self.depth -= 1

    def tuple(self) -> Expr:
        self.at += 1
        self.nest()
        self.newlines()
        if self.keyword("for"):
            self.for_rest("]")
            return OTHER
        values: list[Any] = []
        literal = True
        while not self.take("]"):
            element = self.expression()
            literal = literal and element.kind in ("value", "string")
            values.append(element.value)
            self.newlines()
            if not self.take(","):
                self.expect("]")
                break
            self.newlines()
        self.depth -= 1
        return Expr("value", values) if literal else OTHER

    def object(self) -> Expr:
        self.at += 1
        self.nest()
        self.newlines()
        if self.keyword("for"):
            self.for_rest("}")
            return OTHER
        values: dict[str, Any] = {}
        literal = True
        while not self.take("}"):
            key = self.string() if self.space() == '"' else Expr("name", self.name())
            if key.value is None or key.kind == "other" or key.value in values:
                raise Unsure
            if self.space() == ":":
                self.colon()
            elif not self.assignment():
                raise Unsure
            element = self.expression()
            literal = literal and element.kind in ("value", "string")
            values[key.value] = element.value
            separated = self.newlines()
            if self.take(","):
                self.newlines()
            elif not separated and self.space() != "}":
                raise Unsure
        self.depth -= 1
        return Expr("value", values) if literal else OTHER

    def for_rest(self, closing: str) -> None:
        """After `[for` or `{for`: `x[, y] in expr : value [=> value [...]] [if cond]` and the bracket."""
        self.newlines()
        if self.name() is None:
            raise Unsure
        if self.take(",") and self.name() is None:
            raise Unsure
        self.newlines()
        if not self.keyword("in"):
            raise Unsure
        self.newlines()
        self.expression(conditional=False)
        self.newlines()
        self.colon()
        self.newlines()
        value = self.expression()
        if closing == "}":
            self.expect("=>")
            self.newlines()
            value = self.expression()
            self.newlines()
            self.take("...")
        if value.kind == "value" and type(value.value) in (int, float):
            raise Unsure  # python-hcl2 fails to serialize the file (and then reads no default in it)
        self.newlines()
        if self.keyword("if"):
            self.newlines()
            self.expression()
            self.newlines()
        self.expect(closing)
        self.depth -= 1
