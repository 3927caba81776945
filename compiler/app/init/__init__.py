"""`ssot init`: read what a repository without ssot/env.yaml has (repository.py), draft ssot/env.yaml from
it (draft.py, pure), prove the draft validates, write it.

Never overwrites: an existing ssot/env.yaml stops it (ssot-exists, exit 2) before anything is read. A file
it cannot read or parse never stops it: the file is listed for review, in the output and in the draft.
"""

from __future__ import annotations

from pathlib import Path

from compiler import codes
from compiler.app.init.draft import draft
from compiler.app.init.inputs import Draft, Inputs
from compiler.app.init.repository import read_file, read_repository
from compiler.checks.git import gitignore_lines
from compiler.core.facts import Facts, compile_text
from compiler.core.layout import SSOT_PATH
from compiler.core.model import ENV_PLACEHOLDER
from compiler.errors import Problem, SsotError
from compiler.formats.gitignore import GITIGNORE, judge, parse_gitignore
from compiler.formats.strict_yaml import over_budget
from compiler.io.write import apply_changes

__all__ = ["Draft", "draft_repository", "init"]


def init(root: Path) -> Draft:
    """Draft ssot/env.yaml under `root` and write it. Raises SsotError (exit 2) if one exists already."""
    if (root / SSOT_PATH).exists() or (root / SSOT_PATH).is_symlink():
        raise SsotError(
            [Problem(SSOT_PATH, 0, 0, "exists already; ssot init never overwrites it (edit it, or move it away)")],
            code=codes.SSOT_EXISTS,
        )
    inputs = _read(root)
    result = draft(inputs)
    refused = _refused_values(result)
    if refused:  # a value a tfvars file states that the rules refuse: the maintainer sets it, init goes on
        result = draft(inputs, refused)
    _refuse_too_big(result.text)
    try:
        facts = compile_text(result.text, SSOT_PATH)
    except SsotError as exc:  # the draft is ours: one that does not validate is a bug, not the user's mistake
        raise RuntimeError(f"ssot init drafted an invalid {SSOT_PATH}: {exc}") from None
    result.review.extend(_gitignore_review(root, facts, result.var_files))
    apply_changes(root, {SSOT_PATH: result.text}, read={SSOT_PATH: None})
    return result


def _refuse_too_big(text: str) -> None:
    """A draft past the SSOT's budgets (it grows with the projects, workspaces and variables read, each
    within its own file's budget) is the repository's size, not a bug: trouble, nothing written."""
    over = over_budget(text, SSOT_PATH)
    if over is not None:
        message = (
            f"the draft would be too big to load ({over.message}): the repository has more projects, workspaces "
            "or variables than one SSOT may hold; nothing was written"
        )
        raise SsotError([Problem(SSOT_PATH, 0, 0, message)], code=codes.INVALID_INPUT)


def draft_repository(root: Path) -> Draft:
    """The draft for the repository at `root`, neither validated nor written."""
    return draft(_read(root))


def _read(root: Path) -> Inputs:
    inputs = read_repository(root)
    if not inputs.roots and not inputs.projects:
        # no layer to draft: nothing here says what the repository's architecture is
        message = (
            f"nothing to draft from under {root.resolve()}: no Terraform root (a directory with *.tf files) "
            f"and no project in atlantis.yaml or digger.yml; run ssot init at the top of a Terraform "
            f"repository, or write {SSOT_PATH} by hand (see README.md)"
        )
        raise SsotError([Problem(SSOT_PATH, 0, 0, message)], code=codes.INVALID_INPUT)
    return inputs


def _refused_values(result: Draft) -> dict[tuple[str, str], str]:
    """(environment, variable) -> why, for each stated value the rules refuse; empty when the draft
    validates, or when something else in it does not (then it is a bug, raised by the caller)."""
    try:
        compile_text(result.text, SSOT_PATH)
    except SsotError as exc:
        refused = {result.value_lines[p.line]: p.message for p in exc.problems if p.line in result.value_lines}
        return refused if all(p.line in result.value_lines for p in exc.problems) else {}
    return {}


def _gitignore_review(root: Path, facts: Facts, var_files: tuple[str, ...]) -> list[str]:
    """What .gitignore lacks to keep the real tfvars files the draft names out of git (ssot check would
    report it)."""
    try:
        text = read_file(root, GITIGNORE)
    except SsotError:
        text = None
    rules = parse_gitignore(text or "")
    files = {pattern.replace(ENV_PLACEHOLDER, env.name) for pattern in var_files for env in facts.environments}
    if all(judge(rules, file) is None for file in files):
        return []
    return [f"{GITIGNORE} lets real tfvars into git: add the lines {' and '.join(gitignore_lines(facts.layout))}"]
