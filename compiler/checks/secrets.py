"""The secrets check: committed tfvars and Terraform files hold none, not even in a comment.

What a secret looks like, and how each kind of file is scanned, is compiler/secrets/'s; this check picks
the files from the snapshot and judges them against the contract. Scanned: every tfvars example
(envs/*.tfvars.example) and every tfvars file git tracks (envs/*.tfvars, a backend config beside them):
their attributes, and their comments (compiler/secrets/tfvars.py); and the `*.tf` files of the layers'
Terraform directories (compiler/secrets/terraform.py). Real tfvars files git does not track are the tfvars
check's (`tfvars-sensitive`). A finding names file, line and variable, never the value; `flagged_texts`
hands every value found (in any tfvars file, tracked or not) to compiler/secrets/redaction.py, which keeps
every other finding from showing it either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from compiler import codes
from compiler.artifacts.plan import Artifact
from compiler.artifacts.registry import generated_files, render_examples
from compiler.core.facts import Facts
from compiler.errors import Problem, SsotError
from compiler.findings import Finding
from compiler.io.snapshot import Snapshot, TfvarsFile
from compiler.secrets.redaction import REDACTED, redact
from compiler.secrets.shapes import secret_leaves, secret_reason
from compiler.secrets.terraform import scan_terraform
from compiler.secrets.tfvars import comment_secrets

__all__ = ["REDACTED", "SecretScan", "check_secrets", "flagged_texts", "redact", "scan_attributes", "scan_files"]

ROTATE = "rotate it if it was ever committed"


@dataclass
class SecretScan:
    findings: list[Finding] = field(default_factory=list)
    #: the text of every value found (never shown): what `redact` takes out of other findings
    texts: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def check_secrets(facts: Facts, snapshot: Snapshot, found: SecretScan | None = None) -> list[Finding]:
    """`found`: the scan, when the caller made it already (`scan_files`: the check and the redaction share
    one). Raises SsotError (exit 2) if a file that has to be read cannot be read as Terraform would."""
    result = scan_files(facts, snapshot) if found is None else found
    if result.problems:
        raise SsotError(result.problems, code=codes.INVALID_TFVARS)
    return result.findings


def flagged_texts(facts: Facts, snapshot: Snapshot, found: SecretScan) -> list[str]:
    """Every value any scan flags (`found`, from `scan_files`), in any tfvars file (tracked or not) or
    Terraform file. Never raises.

    A real tfvars file that git does not track is no finding here, but a secret in it (or the value of a
    sensitive variable) must not show in the other checks' findings either (`environment = "ghp_..."`).
    """
    texts = list(found.texts)
    tracked = set(snapshot.git.tracked or ())
    for file in snapshot.real_tfvars:
        if file.path not in tracked:
            texts += _file_secrets(facts, file, "", check_sensitive=True).texts
    return texts


def scan_files(facts: Facts, snapshot: Snapshot, artifacts: Sequence[Artifact] | None = None) -> SecretScan:
    """Every secret in a committed tfvars or Terraform file: findings, the texts to redact, and the files
    that could not be read (problems, raised by `check_secrets`). An example exactly as `ssot build` writes
    it holds no secret (validation refuses one in ssot/env.yaml) and is not parsed. `artifacts`: the plan,
    when the caller made it (the examples are then not rendered again)."""
    environments = {env.name for env in facts.environments}
    result = SecretScan()
    generated = _examples_as_generated(facts, artifacts) if snapshot.examples else {}
    of_environments = _examples_of_environments(facts, environments) if snapshot.examples else set()
    for file in snapshot.examples:
        if file.text.replace("\r\n", "\n") != generated.get(file.path):
            found = _file_secrets(facts, file, "a tfvars example", check_sensitive=True)
            if file.path not in of_environments:
                found.problems = []  # no environment's (ssh_keys.tfvars.example): Terraform never reads it
            _merge(result, found)
    tracked = set(snapshot.git.tracked or ())
    for file in snapshot.real_tfvars:
        if file.path in tracked:
            # The tfvars check already reports a sensitive variable in the real file of a known environment.
            files = facts.layout.tfvars_of(file.path)
            env = files.environment(file.path) if files is not None else None
            known = files is not None and (env in environments if files.per_env else True)
            found = _file_secrets(facts, file, "a tfvars file tracked by git", check_sensitive=not known)
            _merge(result, found)
    terraform_findings, terraform_texts = scan_terraform(_terraform_files(snapshot))
    result.findings += terraform_findings
    result.texts += terraform_texts
    return result


def _terraform_files(snapshot: Snapshot) -> list[tuple[str, str]]:
    """(path, text) of every `*.tf` file of a layer's Terraform directory; a file linked into several roots
    once, where it really is."""
    files: dict[str, str] = {}
    for layer in snapshot.terraform:
        for path, text in sorted((layer.module.files or {}).items()):
            files.setdefault(layer.module.real(path), text)
    return list(files.items())


def _examples_as_generated(facts: Facts, artifacts: Sequence[Artifact] | None) -> dict[str, str]:
    """Path -> text of each tfvars example as `ssot build` writes it: taken from the plan when there is one
    (its expected text, in the file's line endings; a team's example is edited, not generated: left out),
    else rendered."""
    if artifacts is None:
        return render_examples(facts)
    examples = {path for kind in generated_files(facts.layout) if kind.example for path in kind.paths(facts)}
    return {
        a.path: a.expected.replace("\r\n", "\n")
        for a in artifacts
        if a.path in examples and a.expected is not None and not a.in_place
    }


def _examples_of_environments(facts: Facts, environments: set[str]) -> set[str]:
    """The tfvars examples the SSOT's layout gives an environment (or a shared file)."""
    return {
        path
        for files in facts.layout.tfvars
        if files.example is not None
        for env in (environments if files.per_env else {None})
        if (path := files.example_file(env)) is not None
    }


def _merge(into: SecretScan, found: SecretScan) -> None:
    into.findings += found.findings
    into.texts += found.texts
    into.problems += found.problems


def _file_secrets(facts: Facts, file: TfvarsFile, kind: str, *, check_sensitive: bool) -> SecretScan:
    """The findings (and the texts to redact) of one tfvars file: its attributes, then its comments."""
    result = SecretScan()
    try:
        attributes = file.attributes
    except SsotError as exc:
        result.problems += exc.problems
        attributes = {}
    found = scan_attributes(facts, file.path, attributes, check_sensitive=check_sensitive)
    flagged = {finding.line for finding in found}
    result.findings += found
    variables = facts.ssot.variables
    for name, (line, value) in attributes.items():
        if line in flagged:
            sensitive = name in variables and variables[name].sensitive
            result.texts += secret_leaves(name, value, sensitive=sensitive)
    for line, message, secret in comment_secrets(file.text, kind):
        result.texts.append(secret)
        if line not in flagged:
            flagged.add(line)
            fix = f"remove it from the comment; {ROTATE}"
            result.findings.append(Finding(file.path, line, message, code=codes.SECRET_VALUE, fix=fix))
    return result


def scan_attributes(
    facts: Facts, relative: str, attributes: dict[str, tuple[int, object]], *, check_sensitive: bool = True
) -> list[Finding]:
    """`secret-value` findings for a committed tfvars file's attributes (name -> (line, value))."""
    kind = "a tfvars example" if facts.layout.is_example(relative) else "a tfvars file tracked by git"
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
            fix = _secret_fix(name, kind, declared=variable is not None)
        findings.append(Finding(relative, line, message, code=codes.SECRET_VALUE, fix=f"{fix}; {ROTATE}"))
    return findings


def _secret_fix(name: str, kind: str, *, declared: bool) -> str:
    """What to do about a secret-looking value of variable `name` in `kind` (a tfvars example or a tracked
    tfvars file), in words that fit whether the contract declares the variable."""
    where = "from the tfvars example" if kind == "a tfvars example" else "from the tracked tfvars file"
    if declared:
        mark = f"if it is a secret, mark {name!r} sensitive: true under variables in ssot/env.yaml"
    else:
        mark = (
            f"if it is a secret, declare {name!r} under variables in ssot/env.yaml with sensitive: true "
            "(it is not declared there)"
        )
    return f"remove it {where}; {mark}, and set it another way (TF_VAR_{name} from CI)"
