"""`ssot init`: read what a repository without ssot/env.yaml has (Terraform roots, atlantis.yaml, envs/
file names), draft ssot/env.yaml (compiler/app/init_draft.py), prove the draft validates, write it.

Never overwrites: an existing ssot/env.yaml stops it (ssot-exists, exit 2) before anything is read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from compiler import codes
from compiler.app.init_draft import Draft, Inputs, Project, draft
from compiler.checks.git import gitignore_lines
from compiler.core.facts import Facts, compile_text
from compiler.core.layout import ATLANTIS_CONFIG, EXAMPLE_SUFFIX, SSOT_PATH, TFVARS_DIR
from compiler.errors import Problem, SsotError
from compiler.formats.gitignore import GITIGNORE, judge, parse_gitignore
from compiler.formats.hcl import parse_tfvars, parse_variables
from compiler.formats.hcl_lexer import assigned_strings
from compiler.formats.strict_yaml import load_data, over_budget
from compiler.formats.terraform import TerraformVariable, module_variables
from compiler.io.files import read_text
from compiler.io.write import apply_changes

#: Directories never searched for Terraform roots: tools' caches and vendored code.
_SKIPPED = frozenset({".git", ".terraform", ".venv", "node_modules", "__pycache__", ".terragrunt-cache"})


def init(root: Path) -> Draft:
    """Draft ssot/env.yaml under `root` and write it. Raises SsotError (exit 2) if one exists already."""
    if (root / SSOT_PATH).exists() or (root / SSOT_PATH).is_symlink():
        raise SsotError(
            [Problem(SSOT_PATH, 0, 0, "exists already; ssot init never overwrites it (edit it, or move it away)")],
            code=codes.SSOT_EXISTS,
        )
    roots = _terraform_roots(root)
    variables: dict[str, dict[str, TerraformVariable]] = {}
    namespaces: dict[str, tuple[str, ...]] = {}
    for directory, files in roots.items():
        texts = {f"{directory}/{name}" if directory != "." else name: _read(root, directory, name) for name in files}
        parsed = {path: parse_variables(text, path) for path, text in texts.items()}
        variables[directory] = module_variables(parsed, directory)
        namespaces[directory] = tuple(s for text in texts.values() for s in assigned_strings(text, "namespace"))
    env_files = tuple(sorted(os.listdir(root / TFVARS_DIR))) if (root / TFVARS_DIR).is_dir() else ()
    examples = {
        name.removesuffix(EXAMPLE_SUFFIX): {
            k: v for k, (_, v) in parse_tfvars(_read(root, TFVARS_DIR, name), f"{TFVARS_DIR}/{name}").items()
        }
        for name in env_files
        if name.endswith(EXAMPLE_SUFFIX)
    }
    projects = _projects(root)
    if not roots and not projects:
        # no layer to draft: nothing here says what the repository's architecture is
        message = (
            f"nothing to draft from under {root.resolve()}: no Terraform root (a directory with *.tf files) "
            f"and no project in {ATLANTIS_CONFIG}; run ssot init at the top of a Terraform repository, or "
            f"write {SSOT_PATH} by hand (see README.md)"
        )
        raise SsotError([Problem(SSOT_PATH, 0, 0, message)], code=codes.INVALID_INPUT)
    inputs = Inputs(projects, tuple(roots), variables, env_files, examples, namespaces, _linked(root, roots))
    result = draft(inputs)
    _refuse_too_big(result.text)
    try:
        facts = compile_text(result.text, SSOT_PATH)
    except SsotError as exc:  # the draft is ours: one that does not validate is a bug, not the user's mistake
        raise RuntimeError(f"ssot init drafted an invalid {SSOT_PATH}: {exc}") from None
    result.review.extend(_gitignore_review(root, facts))
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


def _gitignore_review(root: Path, facts: Facts) -> list[str]:
    """What .gitignore lacks to keep the real tfvars files out of git (ssot check would report it)."""
    text = read_text(root / GITIGNORE, GITIGNORE) if (root / GITIGNORE).is_file() else ""
    rules = parse_gitignore(text or "")
    if all(judge(rules, facts.layout.var_file(env.name)) is None for env in facts.environments):
        return []
    return [f"{GITIGNORE} lets real tfvars into git: add the lines {' and '.join(gitignore_lines(facts.layout))}"]


def _read(root: Path, directory: str, name: str) -> str:
    relative = name if directory == "." else f"{directory}/{name}"
    text = read_text(root / relative, relative)
    if text is None:
        raise SsotError([Problem(relative, 0, 0, "vanished while ssot init read it")], code=codes.IO_ERROR)
    return text


def _linked(root: Path, roots: dict[str, list[str]]) -> dict[str, frozenset[str]]:
    """Each root whose files link into other directories of the repository -> those directories (a
    Terragrunt-style shared module folder)."""
    resolved = root.resolve()
    links: dict[str, frozenset[str]] = {}
    for directory, files in roots.items():
        targets = set()
        for name in files:
            path = root / directory / name
            if path.is_symlink() and (real := path.resolve()).is_relative_to(resolved):
                targets.add(real.parent.relative_to(resolved).as_posix() or ".")
        if targets - {directory}:
            links[directory] = frozenset(targets - {directory})
    return links


def _terraform_roots(root: Path) -> dict[str, list[str]]:
    """directory (relative, `/`-separated) -> its `*.tf` file names, for every directory holding one."""
    found: dict[str, list[str]] = {}
    for top, directories, files in os.walk(root):
        directories[:] = sorted(d for d in directories if d not in _SKIPPED and not d.startswith("."))
        tf = sorted(f for f in files if f.endswith(".tf"))
        if tf:
            found[Path(top).relative_to(root).as_posix()] = tf
    return dict(sorted(found.items()))


def _projects(root: Path) -> tuple[Project, ...] | None:
    text = read_text(root / ATLANTIS_CONFIG, ATLANTIS_CONFIG)
    if text is None:
        return None
    # under the SSOT's budgets (size, nesting, aliases): atlantis.yaml may come from anyone's pull request
    data: Any = load_data(text, ATLANTIS_CONFIG)
    projects = data.get("projects") if isinstance(data, dict) else None
    if not isinstance(projects, list):
        raise SsotError([Problem(ATLANTIS_CONFIG, 0, 0, "has no list of projects")], code=codes.INVALID_INPUT)
    found = []
    for index, project in enumerate(projects):
        if not isinstance(project, dict) or not isinstance(project.get("dir"), str):
            raise SsotError([Problem(ATLANTIS_CONFIG, 0, 0, f"projects[{index}] has no dir")], code=codes.INVALID_INPUT)
        directory = project["dir"].strip("/").removeprefix("./") or "."
        name = str(project.get("name") or directory.replace("/", "-"))
        workflow, version = project.get("workflow"), project.get("terraform_version")
        found.append(
            Project(
                name,
                directory,
                str(project.get("workspace") or "default"),
                workflow if isinstance(workflow, str) and workflow else None,
                version if isinstance(version, str) and version else None,
            )
        )
    return tuple(found)
