"""What `ssot check` prints holds no secret: every finding and problem is redacted before it is reported.

Two nets, both over every field (message, fix, diff, expected, found), whatever the finding's code (and
token shapes over the file name too):

- the texts of the values the secret scan flagged anywhere (compiler/checks/secrets.py `flagged_texts`):
  a password under a secret-sounding name in a drifted line, a token set as a real tfvars `environment`;
- every token shape (compiler/secrets/shapes.py), flagged or not: an AWS secret access key under an
  innocent name in a stale-artifact diff is masked all the same;

and a finding on a value generated from under a key that sounds secret (its `source`) shows neither the
value expected nor the one found, whatever their type.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import replace

from compiler import codes
from compiler.errors import Problem
from compiler.findings import Finding
from compiler.secrets.shapes import REDACTED, is_placeholder, mask_secrets, scrub_message
from compiler.secrets.ssot import is_secret_path

__all__ = ["REDACTED", "Redactor", "redact", "redact_problems"]


class Redactor:
    """Replaces the pieces of the given values, then every token shape, by <redacted>."""

    def __init__(self, texts: Iterable[str], exact: Iterable[str] = ()) -> None:
        # Pieces are the values' lines, as parsed and as escaped in HCL or JSON; shorter than four
        # characters or a placeholder, a piece would blot out ordinary words and is left alone.
        pieces: set[str] = set()
        for text in texts:
            for line in text.split("\n"):
                piece = line.strip()
                if len(piece) >= 4 and not is_placeholder(piece):
                    pieces.update({piece, json.dumps(piece, ensure_ascii=False)[1:-1]})
        self.pieces = sorted(pieces, key=len, reverse=True)
        # `exact` values are masked whatever their length, where they stand alone (`expected 7, found 8`)
        self.exact = [re.compile(rf"(?<![\w.-]){re.escape(v)}(?![\w.-])") for v in sorted(set(exact), key=len)[::-1]]

    def __call__(self, text: str) -> str:
        for piece in self.pieces:
            text = text.replace(piece, REDACTED)
        for value in self.exact:
            text = value.sub(REDACTED, text)
        return mask_secrets(text)

    def optional(self, text: str | None) -> str | None:
        return None if text is None else self(text)


def redact(findings: Iterable[Finding], texts: Iterable[str] = ()) -> list[Finding]:
    """`findings` with every piece of the given values, and every token shape, replaced by <redacted>.

    A `secret-value` finding names the variable and never holds its value: only token shapes are masked
    there (a value's pieces would blot out the names that say what to fix).
    """
    texts = list(texts)
    pieces, shapes = Redactor(texts), Redactor(())
    redacted = []
    for finding in findings:
        scrub = shapes if finding.code == codes.SECRET_VALUE else pieces
        if finding.source is not None and is_secret_path(tuple(finding.source.path.split("."))):
            # a value generated from under a key that sounds secret (`values.admin_password: 24681357`,
            # a number, so no scan flagged it): neither what was expected nor what was found is shown
            scrub = Redactor(texts, exact=[value for value in (finding.expected, finding.found) if value])
            finding = replace(finding, expected=finding.expected and REDACTED, found=finding.found and REDACTED)
        redacted.append(
            replace(
                finding,
                file=mask_secrets(finding.file),
                message=scrub(finding.message),
                fix=scrub(finding.fix),
                diff=scrub(finding.diff),
                expected=scrub.optional(finding.expected),
                found=scrub.optional(finding.found),
            )
        )
    return redacted


def redact_problems(problems: Iterable[Problem], texts: Iterable[str] = (), keep: Iterable[str] = ()) -> list[Problem]:
    """`problems` (exit 2) redacted as findings are, and without a word that reads like a password.

    `keep`: paths of the user's own directories (the root): a random-looking folder name such as
    /tmp/tmp.Xq3kZ9aPqLm2 is no secret, and a message that hides it says nothing. Only values are redacted.
    """
    scrub = Redactor(texts)
    kept = sorted({path for path in keep if len(path) > 1}, key=len, reverse=True)

    def scrubbed(text: str) -> str:
        for path in kept:
            if path in text:
                return path.join(scrubbed(part) for part in text.split(path))
        return scrub_message(scrub(text))

    return [
        replace(problem, file=mask_secrets(problem.file), message=scrubbed(problem.message)) for problem in problems
    ]
