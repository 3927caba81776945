"""Secrets kept out of git: committed tfvars files hold none.

Scanned: every envs/*.tfvars.example, and every envs/*.tfvars that git tracks. Real tfvars files git does
not track are the tfvars check's (`tfvars-sensitive`). A finding names file, line and variable, never the
value; `redact` keeps other checks, which may quote a line, from showing it either.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace

from compiler import codes
from compiler.core.facts import Facts
from compiler.core.layout import EXAMPLE_SUFFIX, REAL_SUFFIX, TFVARS_DIR, example_file
from compiler.core.secret_shapes import is_placeholder, secret_reason, secret_texts
from compiler.errors import Problem, SsotError
from compiler.findings import Finding
from compiler.io.snapshot import Snapshot, TfvarsFile
from compiler.render.tfvars import render_tfvars_example

__all__ = ["SecretScan", "check_secrets", "redact", "scan", "scan_attributes", "secret_reason"]

REDACTED = "<redacted>"


@dataclass(frozen=True)
class SecretScan:
    findings: list[Finding]
    #: the text of every value found (never shown): what `redact` takes out of other findings
    texts: tuple[str, ...] = ()


def check_secrets(facts: Facts, snapshot: Snapshot) -> list[Finding]:
    return scan(facts, snapshot).findings


def scan(facts: Facts, snapshot: Snapshot) -> SecretScan:
    """Every secret in a committed tfvars file: the examples, and the real files git tracks.

    An example exactly as `ssot build` writes it holds no secret (the rules refuse one in ssot/env.yaml)
    and is not parsed. Raises SsotError (exit 2) if a file that has to be read cannot be read as
    Terraform would.
    """
    environments = {env.name for env in facts.environments}
    findings: list[Finding] = []
    texts: list[str] = []
    problems: list[Problem] = []

    def look_into(file: TfvarsFile, check_sensitive: bool) -> None:
        try:
            attributes = file.attributes
        except SsotError as exc:
            problems.extend(exc.problems)
            return
        found = scan_attributes(facts, file.path, attributes, check_sensitive=check_sensitive)
        findings.extend(found)
        flagged = {finding.line for finding in found}
        texts.extend(t for line, value in attributes.values() if line in flagged for t in secret_texts(value))

    generated = {example_file(env.name): env for env in facts.environments}
    for file in snapshot.examples:
        example_of = generated.get(file.path)
        if example_of is None or file.text != render_tfvars_example(facts, example_of):
            look_into(file, check_sensitive=True)
    tracked = set(snapshot.git.tracked or ())
    for file in snapshot.real_tfvars:
        if file.path in tracked:
            # The tfvars check already reports a sensitive variable in the real file of a known environment.
            env = file.path.removeprefix(f"{TFVARS_DIR}/").removesuffix(REAL_SUFFIX)
            look_into(file, check_sensitive=env not in environments)
    if problems:
        raise SsotError(problems, code=codes.INVALID_TFVARS)
    return SecretScan(findings, tuple(texts))


def scan_attributes(
    facts: Facts, relative: str, attributes: dict[str, tuple[int, object]], *, check_sensitive: bool = True
) -> list[Finding]:
    """`secret-value` findings for a committed tfvars file's attributes (name -> (line, value))."""
    kind = "a tfvars example" if relative.endswith(EXAMPLE_SUFFIX) else "a tfvars file tracked by git"
    variables = facts.ssot.variables
    findings = []
    for name, (line, value) in attributes.items():
        variable = variables.get(name)
        if variable is not None and variable.sensitive:
            if not check_sensitive:
                continue
            message = f"{name!r} is sensitive in ssot/env.yaml, so {kind} must hold no value for it"
            fix = f"remove it; set it another way (TF_VAR_{name} from CI)"
        else:
            reason = secret_reason(name, value)
            if reason is None:
                continue
            message = f"{name!r} holds what looks like a secret ({reason}); {kind} must hold none"
            fix = (
                f"remove it; if it is a secret, mark {name!r} sensitive: true in ssot/env.yaml "
                f"and set it another way (TF_VAR_{name} from CI)"
            )
        findings.append(
            Finding(relative, line, message, code=codes.SECRET_VALUE, fix=f"{fix}; rotate it if it was ever committed")
        )
    return findings


def redact(findings: Iterable[Finding], texts: Iterable[str]) -> list[Finding]:
    """`findings` with every piece of the given values replaced by <redacted>.

    For the findings of other checks about the same files (a drifted line, a wrong value), which quote
    what they found; a `secret-value` finding names the variable and never holds a value, so it is kept. Pieces are the values' lines, as parsed and as escaped in HCL; shorter than four
    characters or a placeholder, a piece would blot out ordinary words and is left alone.
    """
    pieces: set[str] = set()
    for text in texts:
        for line in text.split("\n"):
            piece = line.strip()
            if len(piece) >= 4 and not is_placeholder(piece):
                pieces.update({piece, json.dumps(piece, ensure_ascii=False)[1:-1]})
    ordered = sorted(pieces, key=len, reverse=True)

    def scrub(text: str) -> str:
        for piece in ordered:
            text = text.replace(piece, REDACTED)
        return text

    def scrub_optional(text: str | None) -> str | None:
        return None if text is None else scrub(text)

    return [
        replace(
            finding,
            message=scrub(finding.message),
            fix=scrub(finding.fix),
            diff=scrub(finding.diff),
            expected=scrub_optional(finding.expected),
            found=scrub_optional(finding.found),
        )
        if finding.code != codes.SECRET_VALUE
        else finding
        for finding in findings
    ]
