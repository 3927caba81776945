"""How the user runs ssot, so that the commands a report suggests can be pasted as they are.

On a fresh clone the console script is `.venv/bin/ssot`, not `ssot`; run as a module it is
`python -m compiler`. Derived from the program's own path (sys.argv[0]) and PATH, as the shell resolved it.
And which repository a command without --root is about, as git finds its work tree.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from compiler.core.layout import SSOT_PATH

DEFAULT = "ssot"


def program(
    argv0: str | None = None, executable: str | None = None, path: str | None = None, cwd: str | None = None
) -> str:
    """`ssot` when that is what PATH finds; else the script's path as typed (`.venv/bin/ssot`); for
    `python -m compiler`, the interpreter as PATH names it or by its path (`.venv/bin/python -m compiler`)."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    executable = sys.executable if executable is None else executable
    path = os.environ.get("PATH", "") if path is None else path
    cwd = _cwd() if cwd is None else cwd
    name = os.path.basename(argv0)
    if name == "__main__.py" or argv0 == "-m":
        return f"{_as_command(executable, path, cwd, ('python3', 'python'))} -m compiler"
    if name == DEFAULT:
        return _as_command(argv0, path, cwd, (DEFAULT,))
    return DEFAULT


def _cwd() -> str:
    try:
        return os.getcwd()
    except OSError:  # the current directory was removed: paths are then shown as typed
        return os.sep


def _as_command(file: str, path: str, cwd: str, names: tuple[str, ...]) -> str:
    """The shortest way to name `file` in a shell in `cwd`: a name PATH resolves to it, else its path as
    typed, or relative when under `cwd`."""
    absolute = os.path.abspath(os.path.join(cwd, file))
    for name in (*names, os.path.basename(file)):
        found = shutil.which(name, path=path)
        if found is not None and os.path.abspath(os.path.join(cwd, found)) == absolute:
            return name
    if not os.path.isabs(file):
        return file if "/" in file else f"./{file}"
    try:
        relative = Path(absolute).relative_to(cwd)
    except ValueError:
        return absolute
    return relative.as_posix() if "/" in relative.as_posix() else f"./{relative.as_posix()}"


def find_root(start: Path) -> Path:
    """The nearest directory holding ssot/env.yaml, from `start` upwards (as git finds its work tree);
    `start` itself when none does, so that the error names the current directory."""
    try:
        here = start.resolve()
    except OSError:  # the current directory was removed: the usual error follows
        return start
    for directory in (here, *here.parents):
        if (directory / SSOT_PATH).is_file():
            return start if directory == here else directory
    return start


def missing_ssot(root: Path, program: str, *, given: bool) -> str | None:
    """Why a command cannot start in `root` when it holds no ssot/env.yaml (None when it holds one).

    `--root` is named only when the user gave it; without it, `root` is where the search upwards began.
    """
    if os.path.lexists(root / SSOT_PATH):
        return None
    where = root.resolve()
    if given:
        return f"not found under {where}; is --root the repository's top?"
    return (
        f"not found under {where} or any directory above it: run {program} init there to draft one, "
        "or cd into the repository (or pass --root DIR)"
    )
