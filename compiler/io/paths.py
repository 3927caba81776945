"""Where a relative path lands: inside the root or refused; and how `ssot build` names its temporary files."""

from __future__ import annotations

import errno
import os
import posixpath
import random
import re
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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


#: Within `one_reading`: each directory resolved so far -> where it resolves to
_directories: dict[str, str] | None = None
#: Within `one_reading`: each path resolved so far (a file is read, then looked at for links) -> its place
_paths: dict[str, str] = {}


@contextmanager
def one_reading() -> Iterator[None]:
    """Within: `real_path` resolves each directory once, then a file in it with one lstat, and each path once
    (a reading of a thousand environments resolves thousands of files in a few directories, each twice). A
    directory turned into a link during the reading is the reading's race, as a file changed during it is:
    the build's writing resolves its targets afresh, and refuses files changed since they were read."""
    global _directories, _paths
    outer, outer_paths = _directories, _paths
    if outer is None:
        _directories, _paths = {}, {}
    try:
        yield
    finally:
        _directories, _paths = outer, outer_paths


def real_path(path: Path | str) -> str:
    """`path.resolve()` as a string, without making a Path of every step (a build reads thousands of files).

    Like Path.resolve, a symlink loop raises RuntimeError (os.path.realpath itself ends quietly on one).
    """
    if _directories is not None:
        name = os.path.abspath(path)  # a relative path is another one after a chdir
        known = _paths.get(name)
        if known is None and (known := _in_known_directory(name, _directories)) is not None:
            _paths[name] = known
        if known is not None:
            return known
    resolved = os.path.realpath(path)
    try:
        os.stat(resolved)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise RuntimeError(f"Symlink loop from {exc.filename!r}") from None
    return resolved


def real_paths_inside(root: Path, relatives: Iterable[str]) -> dict[str, str]:
    """Where each path's file is (links followed), each refused as `resolve_inside` refuses it.

    A directory is resolved once for the files in it (a build of a thousand environments writes two thousand
    files in a few directories); a file that is a link, or in a directory that is not plainly inside the
    root, goes through `resolve_inside`, which names it in any refusal.
    """
    top = os.path.realpath(os.path.abspath(root))
    inside = top.rstrip(os.sep) + os.sep
    resolved: dict[str, str | None] = {}
    real = {}
    for relative in relatives:
        parent, name = posixpath.split(relative)
        if parent not in resolved:
            resolved[parent] = _real_directory(os.path.join(root, parent), top, inside)
        directory = resolved[parent]
        path = os.path.join(directory, name) if directory is not None else None
        if path is not None and name not in ("", ".", "..") and not _is_link(path):
            real[relative] = path
        else:
            real[relative] = real_path(resolve_inside(root, relative))
    return real


def _real_directory(directory: str, top: str, inside: str) -> str | None:
    """`directory` resolved, if it is plainly the root or inside it (None: let `resolve_inside` judge)."""
    resolved = os.path.realpath(directory)
    try:
        os.stat(resolved)
    except FileNotFoundError:
        pass  # made when its first file is staged
    except OSError:  # a link loop, a file where a directory should be, no access
        return None
    return resolved if resolved == top or resolved.startswith(inside) else None


def _is_link(path: str) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # not plain: resolve_inside says what it is


def temp_prefix(target: Path | str) -> str:
    """The start of a temporary file's name beside `target` (its suffix is `.tmp`)."""
    return f".{os.path.basename(target)}."


def temp_name(target: Path) -> Path:
    """A fresh temporary file name beside `target` (it may exist: create it exclusively)."""
    return Path(temp_path(target))


def temp_path(target: Path | str) -> str:
    """`temp_name` as text (a build names thousands)."""
    name = f"{temp_prefix(target)}{''.join(random.choices(_TEMP_CHARACTERS, k=8))}.tmp"
    return os.path.join(os.path.dirname(target), name)


def temp_file_target(name: str) -> str | None:
    """The name of the file a temporary file called `name` was made beside, if `name` is one of ours.

    A stale temporary file is removed by renaming it aside first, under a temporary name of its own: such
    a name's target is the first file's target.
    """
    target = None
    while match := _TEMP_NAME.fullmatch(name):
        target = name = match["target"]
    return target


def _in_known_directory(path: str, directories: dict[str, str]) -> str | None:
    """Where `path` resolves: its directory resolved (once), joined with its name, if the name is no link;
    None when that does not hold (a link, `..`, an error): then resolved the long way."""
    parent, name = os.path.split(os.path.abspath(path))
    if name in ("", ".", "..") or parent == path:
        return None
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            return None
    except FileNotFoundError:
        pass  # resolved as realpath resolves a missing file: its directory, then its name
    except (OSError, ValueError):
        return None
    directory = directories.get(parent)
    if directory is None:
        try:
            directory = directories[parent] = real_path(parent)
        except RuntimeError:  # a link loop: the long way names it
            return None
    return os.path.join(directory, name)
