"""Where a relative path lands: inside the root or refused; and how `ssot build` names its temporary files."""

from __future__ import annotations

import errno
import os
import random
import re
from functools import lru_cache
from pathlib import Path

from compiler import codes
from compiler.errors import Problem, SsotError

#: A temporary file beside its target `NAME`: `.NAME.XXXXXXXX.tmp`, the random part as `tempfile` makes it.
_TEMP_NAME = re.compile(r"\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp")
_TEMP_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"


def resolve_inside(root: Path, relative: str) -> Path:
    """`root / relative`, refusing a path that leaves the root (through `..` or a symlink)."""
    path = root / relative
    resolved_root = _resolved_root(os.path.abspath(root))  # "." means another root after a chdir
    try:
        resolved = real_path(path)
    except (RuntimeError, OSError) as exc:  # a symlink loop: RuntimeError before Python 3.13, OSError since
        why = "is a symlink loop" if isinstance(exc, RuntimeError) else f"cannot be resolved: {exc.strerror or exc}"
        raise SsotError([Problem(relative, 0, 0, f"{why}; remove the link", code=codes.UNSAFE_PATH)]) from None
    inside = resolved_root.rstrip(os.sep) + os.sep
    if resolved != resolved_root and not resolved.startswith(inside):
        raise SsotError(
            [
                Problem(
                    relative,
                    0,
                    0,
                    f"resolves outside the root {root} ({resolved}); refusing to touch it",
                    code=codes.UNSAFE_PATH,
                )
            ]
        )
    return path


@lru_cache(maxsize=16)
def _resolved_root(root: str) -> str:
    """The root, resolved: once per root and process (a check resolves thousands of paths inside it)."""
    return os.path.realpath(root)


def real_path(path: Path | str) -> str:
    """`path.resolve()` as a string, without making a Path of every step (a build reads thousands of files).

    Like Path.resolve, a symlink loop raises RuntimeError (os.path.realpath itself ends quietly on one).
    """
    resolved = os.path.realpath(path)
    try:
        os.stat(resolved)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise RuntimeError(f"Symlink loop from {exc.filename!r}") from None
    return resolved


def temp_prefix(target: Path) -> str:
    """The start of a temporary file's name beside `target` (its suffix is `.tmp`)."""
    return f".{target.name}."


def temp_name(target: Path) -> Path:
    """A fresh temporary file name beside `target` (it may exist: create it exclusively)."""
    return target.with_name(f"{temp_prefix(target)}{''.join(random.choices(_TEMP_CHARACTERS, k=8))}.tmp")


def temp_file_target(name: str) -> str | None:
    """The name of the file a temporary file called `name` was made beside, if `name` is one of ours.

    A stale temporary file is removed by renaming it aside first, under a temporary name of its own: such
    a name's target is the first file's target.
    """
    target = None
    while match := _TEMP_NAME.fullmatch(name):
        target = name = match["target"]
    return target
