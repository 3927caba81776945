"""Secrets kept out of git: committed tfvars files hold none, and real tfvars files stay untracked.

Scanned: every envs/*.tfvars.example, and every envs/*.tfvars that git tracks. Real tfvars files git does
not track are the tfvars check's (`tfvars-sensitive`). A finding names file, line and variable, never the
value; `redact` keeps other checks, which may quote a line, from showing it either.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from compiler import git
from compiler.errors import Problem, SsotError
from compiler.facts import Facts, var_file
from compiler.findings import Finding
from compiler.fsio import read_text, resolve_inside
from compiler.render.tfvars import render_tfvars_example
from compiler.secret_shapes import is_placeholder, secret_reason, secret_texts
from compiler.tfvars_check import parse_tfvars

__all__ = ["SecretScan", "redact", "scan_attributes", "scan_repository", "secret_reason"]

EXAMPLE_SUFFIX = ".tfvars.example"
REAL_SUFFIX = ".tfvars"
#: What a .gitignore needs (last rules win, so appending them is always enough).
GITIGNORE_LINES = ("envs/*.tfvars", "!envs/*.tfvars.example")
REDACTED = "<redacted>"


@dataclass(frozen=True)
class SecretScan:
    findings: list[Finding]
    #: the text of every value found (never shown): what `redact` takes out of other findings
    texts: tuple[str, ...] = ()


def scan_repository(root: Path, facts: Facts) -> SecretScan:
    """Every secret in a committed tfvars file, every tracked real tfvars file, and a .gitignore that lets them in.

    Raises SsotError (exit 2) if a file that has to be read cannot be read as Terraform would.
    """
    environments = {env.name: env for env in facts.environments}
    tracked = git.tracked_files(root, "envs")
    findings: list[Finding] = []
    texts: list[str] = []
    problems: list[Problem] = []

    def scan(relative: str, text: str, check_sensitive: bool) -> None:
        try:
            attributes = parse_tfvars(text, relative)
        except SsotError as exc:
            problems.extend(exc.problems)
            return
        found = scan_attributes(facts, relative, attributes, check_sensitive=check_sensitive)
        findings.extend(found)
        flagged = {finding.line for finding in found}
        texts.extend(t for line, value in attributes.values() if line in flagged for t in secret_texts(value))

    for path in sorted((root / "envs").glob(f"*{EXAMPLE_SUFFIX}")):
        relative = path.relative_to(root).as_posix()
        text = read_text(resolve_inside(root, relative), relative)
        env = environments.get(path.name.removesuffix(EXAMPLE_SUFFIX))
        # What ssot build writes holds no secret: the rules refuse one in ssot/env.yaml.
        if text is not None and (env is None or text != render_tfvars_example(facts, env)):
            scan(relative, text, check_sensitive=True)

    for relative in tracked or []:
        name = relative.removeprefix("envs/")
        if "/" in name or not name.endswith(REAL_SUFFIX):
            continue
        findings.append(
            Finding(
                relative,
                0,
                "tracked by git; real tfvars may hold local values",
                code="tfvars-tracked",
                fix=f"git rm --cached {relative} (your copy stays), and rotate any secret it ever held",
            )
        )
        text = read_text(resolve_inside(root, relative), relative)
        if text is not None:
            # The tfvars check already reports a sensitive variable in the real file of a known environment.
            scan(relative, text, check_sensitive=name.removesuffix(REAL_SUFFIX) not in environments)

    if problems:
        raise SsotError(problems, code="invalid-tfvars")
    real_files = [var_file(env) for env in environments]
    findings.extend(gitignore_findings(root, real_files, in_work_tree=tracked is not None))
    return SecretScan(findings, tuple(texts))


def scan_attributes(
    facts: Facts, relative: str, attributes: dict[str, tuple[int, Any]], *, check_sensitive: bool = True
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
            Finding(relative, line, message, code="secret-value", fix=f"{fix}; rotate it if it was ever committed")
        )
    return findings


def gitignore_findings(root: Path, real_files: list[str], *, in_work_tree: bool) -> list[Finding]:
    """One finding per rule (or lack of one) that lets a real tfvars file into git."""
    by_place: dict[tuple[str, int], list[str]] = {}
    for verdict in git.not_ignored(root, real_files, in_work_tree=in_work_tree):
        by_place.setdefault((verdict.source or git.GITIGNORE, verdict.line), []).append(verdict.path)
    findings = []
    for (source, line), paths in sorted(by_place.items()):
        verb = "is" if len(paths) == 1 else "are"
        findings.append(
            Finding(
                source,
                line,
                f"does not keep real tfvars out of git ({', '.join(paths)} {verb} not ignored)",
                code="gitignore-tfvars",
                fix=f"add at the end of {git.GITIGNORE} the lines {' and '.join(GITIGNORE_LINES)}",
            )
        )
    return findings


def redact(findings: Iterable[Finding], texts: Iterable[str]) -> list[Finding]:
    """`findings` with every piece of the given values replaced by <redacted>.

    For the findings of other checks about the same files (a drifted line, a wrong value), which quote
    what they found. Pieces are the values' lines, as parsed and as escaped in HCL; shorter than four
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
        for finding in findings
    ]
