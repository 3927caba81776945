"""Reading a repository for `ssot init`: its Terraform roots (variables, namespaces, backends, links, local
module calls), atlantis.yaml's and digger.yml's projects, its tfvars files and mkdocs.yml's docs_dir.

A file init cannot read or parse never stops it: it is listed in `Inputs.unreadable` for review and the
draft goes on without it. Every file is read by `read_file`, every YAML text parsed by `parse_yaml`
(compiler/app/init/documents.py): the one place each happens, so that budgets on reading apply to all of
init at once.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from compiler import codes
from compiler.app.init.documents import OverBudget, parse_yaml
from compiler.app.init.inputs import Inputs, Orchestrator, Project, TfvarsFile
from compiler.app.init.projects import projects_of
from compiler.errors import SsotError
from compiler.formats.gitignore import GITIGNORE, judge, parse_gitignore
from compiler.formats.hcl import parse_tfvars, parse_variables
from compiler.formats.hcl_budget import check_budget
from compiler.formats.hcl_lexer import assigned_strings
from compiler.formats.terraform import TERRAGRUNT_CONFIG, TerraformVariable, module_variables
from compiler.formats.terraform_backend import backend_of
from compiler.io import git
from compiler.io.disk import read_text

#: Directories never searched: tools' caches and vendored code; tests' and examples' Terraform and tfvars
#: (a module's examples/, a test suite's fixtures), which are no layer and name no environment.
_SKIPPED = frozenset(
    {".git", ".terraform", ".venv", "node_modules", "__pycache__", ".terragrunt-cache"}
    | {"tests", "testdata", "fixtures", "examples"}
)
#: Skipped at the top only: below it, `test` may be an environment (environments/test).
_SKIPPED_AT_TOP = frozenset({"test"})
#: The orchestrators' files, at the repository's top, in the order they are read.
PROJECT_FILES: tuple[tuple[str, Orchestrator], ...] = (
    ("atlantis.yaml", "atlantis"),
    ("atlantis.yml", "atlantis"),
    ("digger.yml", "digger"),
    ("digger.yaml", "digger"),
)
#: Where CI workflows live (GitHub Actions; GitLab's one file).
_CI_WORKFLOWS = ".github/workflows"
_GITLAB_CI = ".gitlab-ci.yml"
#: How deep under the top a mkdocs.yml is looked for (website/mkdocs.yml, docs/site/mkdocs.yml).
_MKDOCS_DEPTH = 2


def read_file(root: Path, relative: str) -> str | None:
    """The text of one file under `root` (None: it does not exist). Raises SsotError if it is unreadable."""
    return read_text(root / relative, relative)


def read_repository(root: Path) -> Inputs:
    """Everything `ssot init` drafts from, read once. Raises SsotError (exit 2) for a file past the budgets."""
    try:
        return _read_repository(root)
    except OverBudget as exc:
        raise SsotError(exc.problems, code=codes.INVALID_INPUT) from None


def _hcl_within_budget(text: str, path: str, *, terraform: bool) -> None:
    try:
        check_budget(text, path, codes.INVALID_TERRAFORM if terraform else codes.INVALID_TFVARS)
    except SsotError as exc:
        raise OverBudget(exc.problems) from None


def _read_repository(root: Path) -> Inputs:
    unreadable: list[tuple[str, str]] = []
    found = _walk(root)
    variables: dict[str, dict[str, TerraformVariable]] = {}
    namespaces: dict[str, tuple[str, ...]] = {}
    states: dict[str, str] = {}
    modules: dict[str, frozenset[str]] = {}
    for directory, files in found.roots.items():
        texts = {_join(directory, name): _text(root, _join(directory, name), unreadable) for name in files}
        parsed = {}
        for path, text in texts.items():
            try:
                _hcl_within_budget(text or "", path, terraform=True)
                parsed[path] = parse_variables(text or "", path)
            except SsotError as exc:
                unreadable.append((path, _why(exc)))
        try:
            variables[directory] = module_variables(parsed, directory)
        except SsotError as exc:
            unreadable.append((directory, _why(exc)))
            variables[directory] = {}
        namespaces[directory] = tuple(s for text in texts.values() for s in assigned_strings(text or "", "namespace"))
        named = [b.state[1] for text in texts.values() if (b := backend_of(text or "")) is not None and b.state]
        if named:
            states[directory] = named[0]
    for directory in {*found.roots, *found.units}:
        # `module` blocks in .tf files and Terragrunt's `terraform { source = ... }` call local folders
        names = [*found.roots.get(directory, ()), *((TERRAGRUNT_CONFIG,) if directory in found.units else ())]
        sources = [_text(root, _join(directory, name), unreadable) or "" for name in names]
        called = {_local(directory, s) for text in sources for s in assigned_strings(text, "source")}
        if called - {None, directory}:
            modules[directory] = frozenset(c for c in called if c is not None and c != directory)
    projects, project_files = _projects(root, unreadable)
    ignored = _gitignored(root)
    tracked = frozenset(git.tracked_files(root, *{p.rpartition("/")[0] or "." for p in found.tfvars}) or ())
    return Inputs(
        projects=projects,
        project_files=project_files,
        roots=tuple(found.roots),
        terragrunt_units=frozenset(found.units),
        variables=variables,
        namespaces=namespaces,
        states=states,
        links=_linked(root, found.roots),
        modules=modules,
        tfvars=tuple(_tfvars(root, path, ignored, path in tracked, unreadable) for path in found.tfvars),
        applied_by_ci=_named_by_ci(root, found.roots, unreadable),
        **_docs_dir(root, found.mkdocs, unreadable),
        unreadable=tuple(sorted(set(unreadable))),
    )


def natural(path: str) -> tuple[tuple[int, str], ...]:
    """A sort key that orders `2-data` before `10-apps`, as people number their directories."""
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"(\d+)", path) if part)


@dataclass
class _Walked:
    #: directories holding `*.tf` files -> their names, in the repository's order
    roots: dict[str, list[str]] = field(default_factory=dict)
    #: directories holding a terragrunt.hcl
    units: list[str] = field(default_factory=list)
    tfvars: list[str] = field(default_factory=list)
    #: mkdocs.yml files near the top
    mkdocs: list[str] = field(default_factory=list)


def _walk(root: Path) -> _Walked:
    found = _Walked()
    for top, directories, files in os.walk(root):
        here = Path(top).relative_to(root).as_posix()
        skipped = _SKIPPED | (_SKIPPED_AT_TOP if here == "." else frozenset())
        directories[:] = [d for d in directories if d not in skipped and not d.startswith(".")]
        tf = sorted(f for f in files if f.endswith(".tf"))
        if tf:
            found.roots[here] = tf
        if TERRAGRUNT_CONFIG in files and here != ".":  # the top one is the shared settings, no unit
            found.units.append(here)
        found.tfvars += [_join(here, f) for f in files if f.endswith((".tfvars", ".tfvars.example"))]
        if "mkdocs.yml" in files and (here == "." or here.count("/") < _MKDOCS_DEPTH):
            found.mkdocs.append(_join(here, "mkdocs.yml"))
    found.roots = dict(sorted(found.roots.items(), key=lambda item: natural(item[0])))
    found.tfvars.sort(key=natural)
    return found


def _join(directory: str, name: str) -> str:
    return name if directory == "." else f"{directory}/{name}"


def _why(exc: SsotError) -> str:
    problem = exc.problems[0] if exc.problems else None
    if problem is None:
        return "could not be read"
    return f"{problem.message} (line {problem.line})" if problem.line else problem.message


def _text(root: Path, relative: str, unreadable: list[tuple[str, str]]) -> str | None:
    try:
        return read_file(root, relative)
    except SsotError as exc:
        unreadable.append((relative, _why(exc)))
        return None


def _local(directory: str, source: str) -> str | None:
    """The directory a local module source names, relative to the top (`../data-shared`, `../../modules//data`);
    None for a registry or remote source, or one that leaves the repository."""
    if not source.startswith(("./", "../")):
        return None
    joined = posixpath.normpath(posixpath.join(directory, source.replace("//", "/")))
    return None if joined == ".." or joined.startswith("../") else joined


def _linked(root: Path, roots: dict[str, list[str]]) -> dict[str, frozenset[str]]:
    """Each root whose files link into other directories of the repository -> those directories (a
    Terragrunt-style shared folder)."""
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


def _tfvars(root: Path, path: str, ignored: _Ignored, tracked: bool, unreadable: list[tuple[str, str]]) -> TfvarsFile:
    """A tfvars file with its values: an example's, or a real file's that git tracks (one it ignores may
    hold what must stay on the maintainer's disk; init only notes that it exists)."""
    if not path.endswith(".example") and ignored(path) and not tracked:
        return TfvarsFile(path)
    text = _text(root, path, unreadable)
    try:
        _hcl_within_budget(text or "", path, terraform=False)
        return TfvarsFile(path, {k: v for k, (_, v) in parse_tfvars(text or "", path).items()}, tracked)
    except SsotError as exc:
        unreadable.append((path, _why(exc)))
        return TfvarsFile(path, tracked=tracked)


_Ignored = Callable[[str], bool]


def _gitignored(root: Path) -> _Ignored:
    """Whether the top .gitignore keeps a path out of git (an unreadable one: take every path as private)."""
    try:
        rules = parse_gitignore(read_file(root, GITIGNORE) or "")
    except SsotError:
        return lambda path: True
    return lambda path: judge(rules, path) is None


def _projects(root: Path, unreadable: list[tuple[str, str]]) -> tuple[tuple[Project, ...], tuple[str, ...]]:
    """The projects of every orchestrator file at the top, and the files found."""
    found: list[Project] = []
    files: list[str] = []
    for name, orchestrator in PROJECT_FILES:
        text = _text(root, name, unreadable)
        if text is None:
            continue
        files.append(name)
        try:
            data = parse_yaml(text, name)
        except SsotError as exc:
            unreadable.append((name, _why(exc)))
            continue
        projects, left_out = projects_of(data, orchestrator)
        found += projects
        unreadable += [(f"{name} {where}", why) for where, why in left_out]
    return tuple(found), tuple(files)


def _named_by_ci(root: Path, roots: dict[str, list[str]], unreadable: list[tuple[str, str]]) -> frozenset[str]:
    """The roots a CI workflow names (`working-directory: terraform/1-bootstrap`), as a word of its text."""
    workflows = root / _CI_WORKFLOWS
    names = sorted(os.listdir(workflows)) if workflows.is_dir() else []
    paths = [f"{_CI_WORKFLOWS}/{n}" for n in names if n.endswith((".yml", ".yaml"))] + [_GITLAB_CI]
    texts = [_text(root, path, unreadable) or "" for path in paths]
    return frozenset(
        directory
        for directory in roots
        if directory != "." and any(re.search(rf"(?<![\w/.-]){re.escape(directory)}(?![\w-])", t) for t in texts)
    )


def _docs_dir(root: Path, mkdocs: list[str], unreadable: list[tuple[str, str]]) -> dict[str, str]:
    """mkdocs.yml's docs_dir, relative to the repository's top (the top's mkdocs.yml, else the shallowest)."""
    for path in sorted(mkdocs, key=lambda p: (p.count("/"), p)):
        text = _text(root, path, unreadable)
        try:
            data = parse_yaml(text or "", path)
        except SsotError as exc:
            unreadable.append((path, _why(exc)))
            continue
        docs = data.get("docs_dir") if isinstance(data, dict) else None
        directory = docs.strip("/") if isinstance(docs, str) and docs.strip("/") else "docs"
        return {"docs_dir": posixpath.normpath(posixpath.join(posixpath.dirname(path), directory)), "mkdocs": path}
    return {}
