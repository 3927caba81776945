"""Where `ssot build` may write: one rule for every path it would write, edit or remove.

ssot/env.yaml arrives in pull requests, and pre-commit runs `ssot build` on it: every path it names is
untrusted. A build writes only

- (a) files it generated: their first lines carry its header (`carries_header`);
- (b) the text between the markers of a declared block host;
- (c) a file a team wrote that the SSOT describes, edited in place (only the facts the SSOT states);
- (d) new files, created without any exec bit (compiler/io/write.py).

Never inside a git directory (`.git/` and any path through a `.git` entry, which covers a worktree's or
submodule's gitdir file; what `git rev-parse` names as the git and common directories; any directory shaped
as one), never through a link into one, never over anything else. The rule is applied when the repository
is read (compiler/io/repository.py), so `ssot check` reports what `ssot build` would refuse, before anyone builds
it; and the writing applies its git half again to each target just before it is replaced.

A refusal is trouble (exit 2, nothing written), located at the line of ssot/env.yaml that named the path,
or at the file itself when no line of the SSOT names it (atlantis.yaml, ssot/env.schema.json).
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Collection, Mapping
from pathlib import Path

from compiler import codes
from compiler.artifacts.generated import carries_header
from compiler.core.facts import Facts
from compiler.core.layout import ENV, SCHEMA_PATH, SSOT_PATH, Layout
from compiler.errors import Problem, SsotError
from compiler.io.disk import executable, shaped_as_git_directory
from compiler.io.git import git_directories

GIT_ENTRY = ".git"
#: what a build may write instead, said with every refusal
_ONLY = "ssot build writes only files it generated, the insides of its markers and new files"


def has_git_entry(relative: str) -> bool:
    """Whether a path (relative to the root, `/`-separated) goes through a `.git` entry, in any case."""
    return any(part.casefold() == GIT_ENTRY for part in relative.split("/"))


def git_refusal(top: str, relative: str, real: str, git_dirs: Collection[str], shaped: Collection[str]) -> str:
    """Why `relative` (whose file is `real`, relative to the root `top`, resolved) lies in a git directory;
    "" if it does not."""
    if has_git_entry(relative):
        return "which is inside a git directory"
    if real != relative and has_git_entry(real):
        return f"which is a link into a git directory ({real})"
    absolute = os.path.join(top, real)  # `real` has its links resolved already
    for directory in git_dirs:
        if absolute == directory or absolute.startswith(directory.rstrip(os.sep) + os.sep):
            return (
                "which is inside git's directory"
                if real == relative
                else f"which is a link into git's directory ({real})"
            )
    parent = os.path.dirname(real)
    for directory in shaped:
        if parent == directory or parent.startswith(directory + "/"):
            return f"which is inside a git directory ({directory})"
    return ""


def refuse_git_directories(root: Path, real: Mapping[str, str], consequence: str) -> None:
    """The git half of the rule, again as a build writes (`real`: each target -> its file, absolute): the
    reading applied all of it, but a directory may have become a link into `.git` since. Raises SsotError
    (unsafe-path), each problem ending with `consequence`."""
    top = os.path.realpath(root)
    relative_real = {path: _relative(target, top) for path, target in real.items()}
    git_dirs = git_directories(root)
    shaped = shaped_as_git_directory(root, sorted({os.path.dirname(target) for target in relative_real.values()}))
    problems = []
    for relative, target in sorted(relative_real.items()):
        why = git_refusal(top, relative, target, git_dirs, shaped)
        if why:
            message = f"ssot build will not write here, {why}; {consequence}"
            problems.append(Problem(relative, 0, 0, message, code=codes.UNSAFE_PATH))
    if problems:
        raise SsotError(problems)


def _relative(target: str, top: str) -> str:
    """`target` (absolute, resolved) relative to `top`, `/`-separated: cut off where it lies plainly inside
    (each target of a build, thousands of them), else as relpath says."""
    inside = top.rstrip(os.sep) + os.sep
    if target.startswith(inside):
        return target[len(inside) :].replace(os.sep, "/")
    return os.path.relpath(target, top).replace(os.sep, "/")


def refusals(
    root: Path,
    facts: Facts,
    files: Mapping[str, str | None],
    generated: Collection[str],
    reals: Mapping[str, str],
    *,
    in_place: Collection[str] = (),
) -> list[Problem]:
    """Every path among `files` (generated files, block hosts, orphans: path -> current text, None when
    missing) that a build may not write: in or through a link into a git directory, or an existing file that
    is neither generated (`generated`, its header) nor edited in place (`in_place`) nor a block host."""
    git_dirs = git_directories(root)
    top = os.path.realpath(root)
    generated = set(generated)  # looked up for every file: a list would make a thousand environments quadratic
    shaped = shaped_as_git_directory(root, sorted({os.path.dirname(reals.get(p, p)) for p in files}))
    programs = set(executable(root, sorted(in_place)))
    problems = []
    for path, text in sorted(files.items()):
        why = git_refusal(top, path, reals.get(path, path), git_dirs, shaped)
        code = codes.UNSAFE_PATH
        # the schema's place is fixed in the tool's own ssot/ directory, named by no line of the SSOT
        owned = path in in_place or path == SCHEMA_PATH or carries_header(text or "")
        if not why and path in generated and text is not None and not owned:
            why = "which exists and was not generated by ssot build (it has no generated header)"
            code = codes.NOT_OWNED
        elif not why and path in programs:  # a team's file is edited in place, but never a program
            why = "which is an executable file someone wrote (a team's file is edited in place, never a program)"
            code = codes.NOT_OWNED
        if why:
            problems.append(_refused(facts, path, why, code))
    return problems


def _refused(facts: Facts, path: str, why: str, code: str) -> Problem:
    named = named_by(facts.layout, path)
    if named is not None and named[:2] == ("layout", "pages") and facts.written(named) != named:
        named = ("layout", "docs_dir")  # the page is where it is because of docs_dir
    if named is None or len(facts.written(named)) < 2:  # a fixed or default path: no line of the SSOT names it
        fix = "move it away (ssot build then writes its own)" if code == codes.NOT_OWNED else "remove it"
        return Problem(path, 1, 0, f"ssot build would write this file, {why}: {_ONLY}; {fix}", code=code)
    key, line, col = facts.locate(named)
    dotted = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in key).lstrip(".")
    message = f"{dotted} names {path}, {why}: {_ONLY}; name another path"
    return Problem(SSOT_PATH, line, col, message, code=code)


def named_by(layout: Layout, path: str) -> tuple[str | int, ...] | None:
    """The key of ssot/env.yaml whose value names `path` (a page, a tfvars example, a block host); None for
    the files at fixed places (atlantis.yaml, the schema) and those no key names."""
    for name, _page in layout.pages:
        if _is_instance(path, layout.page(name)):
            return ("layout", "pages", name)
    for index, files in enumerate(layout.tfvars):
        if files.example is not None and _is_instance(path, files.example):
            return ("layout", "tfvars", index, "example")
    for index, glob in enumerate(layout.block_hosts):
        if fnmatch.fnmatchcase(path, glob.replace("**/", "*")) or fnmatch.fnmatchcase(path, glob):
            return ("layout", "block_hosts", index)
    return None


def _is_instance(path: str, pattern: str) -> bool:
    """Whether `path` is `pattern` for some environment (`{env}` standing for one path segment)."""
    if ENV not in pattern:
        return path == pattern
    prefix, _, suffix = pattern.partition(ENV)
    middle = path[len(prefix) : len(path) - len(suffix)]
    return path.startswith(prefix) and path.endswith(suffix) and bool(middle) and "/" not in middle
