"""Secrets in the layers' Terraform: a `variable` block's default, or any string or comment of a `*.tf` file.

A default is committed with the module and used whenever no tfvars file or TF_VAR_ sets the variable, so a
secret-shaped default, or a real value for a secret-named variable (`admin_password`, a `token` key of a
map), is a `secret-value` finding at its line. Anywhere else in the file (a provider's `token`, a comment)
a token shape is one too. Read with compiler/formats/hcl_lexer.py: no python-hcl2, and files Terraform
would refuse are still scanned (the Terraform check reports them).
"""

from __future__ import annotations

from collections.abc import Iterable

from compiler import codes
from compiler.findings import Finding
from compiler.formats.hcl_lexer import Token, tokens, variable_defaults
from compiler.secrets.shapes import find_shapes, secret_reason

_RULE = "a Terraform file is committed and must hold none"
_ROTATE = "rotate it if it was ever committed"


def scan_terraform(files: Iterable[tuple[str, str]]) -> tuple[list[Finding], list[str]]:
    """The findings, and the secret texts, of `*.tf` files given as (path, text), each path once."""
    findings: list[Finding] = []
    texts: list[str] = []
    for path, text in files:
        _scan_file(path, text, findings, texts)
    return findings, texts


def _scan_file(path: str, text: str, findings: list[Finding], texts: list[str]) -> None:
    if not text:
        return
    lexed = list(tokens(text))
    flagged: set[int] = set()
    for leaf in variable_defaults(lexed):
        value: object = leaf.text
        for key in reversed(leaf.keys):
            value = {key: value}
        reason = secret_reason(leaf.variable, value)
        if reason is None:
            continue
        texts.append(leaf.text)
        if leaf.line not in flagged:
            flagged.add(leaf.line)
            name = leaf.variable
            findings.append(
                Finding(
                    path,
                    leaf.line,
                    f"the default of variable {name!r} holds what looks like a secret ({reason}); {_RULE}",
                    code=codes.SECRET_VALUE,
                    fix=f"remove the default; mark {name!r} sensitive and set it another way "
                    f"(TF_VAR_{name} from CI); {_ROTATE}",
                )
            )
    for token in lexed:
        if token.kind in ("comment", "string", "heredoc"):
            for line, reason, secret in _shapes(token):
                texts.append(secret)
                if line not in flagged:
                    flagged.add(line)
                    findings.append(
                        Finding(
                            path,
                            line,
                            f"{_WHAT[token.kind]} holds what looks like a secret ({reason}); {_RULE}",
                            code=codes.SECRET_VALUE,
                            fix=f"remove it (a secret is a sensitive variable set another way); {_ROTATE}",
                        )
                    )


_WHAT = {"comment": "a comment", "string": "a string", "heredoc": "a heredoc"}


def _shapes(token: Token) -> list[tuple[int, str, str]]:
    """(line, reason, secret text) of each token shape in a comment or string."""
    return [
        (token.line + token.text.count("\n", 0, match.start), match.reason, token.text[match.start : match.end])
        for match in find_shapes(token.text)
    ]
