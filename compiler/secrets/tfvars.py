"""Secrets in the comments of a tfvars file (pure): a commented-out `# token = "..."` is committed all the same.

A token shape (compiler/secrets/shapes.py) anywhere in a comment, or a commented-out assignment to a
secret-sounding name with a real value. Read with compiler/formats/hcl_lexer.py, which sees every comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from compiler.formats.hcl_lexer import tokens
from compiler.secrets.shapes import find_shapes, secret_reason

#: `name = value` (or `name: value`) inside a comment: a quoted value, or a bare word.
_ASSIGNMENT = re.compile(
    r"""(?<![\w-])([A-Za-z_][\w-]*)["']?[ \t]*[=:][ \t]*("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s,;}\])"'#]+)"""
)
#: Bare words that are no text: numbers, booleans, null, references (`var.x`, `local.y[0]`).
_NOT_TEXT = re.compile(r"[-+]?[0-9][\w.+-]*|true|false|null|[A-Za-z_][\w-]*(?:\.[\w-]+|\[[^\]]*\])+")


def comment_secrets(text: str, kind: str) -> Iterator[tuple[int, str, str]]:
    """(line, message, secret text) for each secret in a comment: a token shape, or a commented-out
    assignment to a secret-sounding name (`# db_password = "..."`) with a real value."""
    rule = f"{kind} must hold none, not even in a comment"
    for token in tokens(text):
        if token.kind != "comment":
            continue
        comment = token.text
        # A commented-out assignment first: its message names the variable.
        for assignment in _ASSIGNMENT.finditer(comment):
            name, written = assignment[1], assignment[2]
            value = written[1:-1] if written[:1] in ('"', "'") else written
            if written[:1] not in ('"', "'") and _NOT_TEXT.fullmatch(value):
                continue
            reason = secret_reason(name, value)
            if reason is not None:
                line = token.line + comment.count("\n", 0, assignment.start())
                yield line, f"a commented-out {name!r} holds what looks like a secret ({reason}); {rule}", value
        for match in find_shapes(comment):
            line = token.line + comment.count("\n", 0, match.start)
            message = f"a comment holds what looks like a secret ({match.reason}); {rule}"
            yield line, message, comment[match.start : match.end]
