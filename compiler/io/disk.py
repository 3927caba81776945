"""Every look at the disk: one file read safely (`read_text`, `read_first_line`: regular files only, never
blocking, at most `MAX_READ_BYTES`), and what the repository holds, one look at a time, each a probe
(compiler/io/probe.py), so that a cached answer can be judged by looking again. compiler/io/repository.py
reads through these; each takes the root and paths relative to it, and answers with text, or lists and
mappings of text. Where a path lands is compiler/io/paths.py; the one module that writes is compiler/io/write.py.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection
from pathlib import Path

from compiler import codes
from compiler.core.layout import SSOT_PATH
from compiler.errors import Problem, SsotError
from compiler.io.listing import glob_files
from compiler.io.paths import real_path, resolve_inside, temp_file_target
from compiler.io.probe import probe, witnessed

#: What `read_text` reads at most of one file. Every input is hand-written text (the SSOT, tfvars, .tf,
#: Markdown) or generated from a SSOT of at most 5 MiB (compiler/formats/strict_yaml.py); 64 MiB is far
#: past any of them, and keeps a stray disk image or log at an input path from filling the memory. The
#: readers of each format refuse much less (strict_yaml.py, hcl.py), with a message naming the format.
MAX_READ_BYTES = 64 << 20

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def read_text(path: Path, relative: str) -> str | None:
    """The file's text (UTF-8), or None if it does not exist. Undecodable text is the user's problem.

    Only a regular file is read: a FIFO, device, socket or directory at the path is trouble (special-file),
    found by its status before it is opened, so reading never blocks; the file is opened non-blocking and
    its status checked again, in case it was swapped in between.
    """
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise SsotError([_read_problem(relative, exc)]) from None
    _refuse_special(status.st_mode, relative)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SsotError([_read_problem(relative, exc)]) from None
    try:
        _refuse_special(os.fstat(descriptor).st_mode, relative)
        data = _read_at_most(descriptor, relative)
    finally:
        os.close(descriptor)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SsotError([Problem(relative, line, 0, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})")]) from None


def _refuse_special(mode: int, relative: str) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    message = f"cannot read: it is {kind}, not a regular file; ssot reads only regular files"
    raise SsotError([Problem(relative, 0, 0, message, code=codes.SPECIAL_FILE)])


def _read_at_most(descriptor: int, relative: str) -> bytes:
    chunks = []
    size = 0
    try:
        while size <= MAX_READ_BYTES:
            chunk = os.read(descriptor, min(1 << 20, MAX_READ_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise SsotError([_read_problem(relative, exc)]) from None
    if size > MAX_READ_BYTES:
        message = f"is larger than {MAX_READ_BYTES >> 20} MiB; refusing to read it (ssot reads hand-written text)"
        raise SsotError([Problem(relative, 0, 0, message, code=codes.IO_ERROR)])
    return b"".join(chunks)


def _read_problem(relative: str, exc: OSError | ValueError) -> Problem:
    why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return Problem(relative, 0, 0, f"cannot read: {why}", code=codes.IO_ERROR)


def read_first_line(path: Path) -> str:
    """The file's first line, undecodable bytes replaced ("" if it cannot be read, or is no regular file):
    enough to tell whose it is. Never blocks on a FIFO."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return ""
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):
        return ""
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return ""
        head = os.read(descriptor, 4096)
    except OSError:
        return ""
    finally:
        os.close(descriptor)
    return head.split(b"\n", 1)[0].decode("utf-8", errors="replace") + ("\n" if b"\n" in head else "")


def identity(root: Path, path: str) -> list[int] | None:
    """The regular file at `path` as `text_of` would read it: [device, inode, size, mode, modification time,
    change time] (ns). None (its answer is then looked at again, and says why) when there is none, it is
    something else, it resolves outside the root (a directory of its path renamed and linked back keeps
    every file's status: the rule is applied again), or this process cannot open it (a group it lost)."""
    try:
        where = os.path.join(root, path)
        # no file, no identity: known without resolving its path (a first build looks for thousands)
        if not stat.S_ISREG(os.stat(where).st_mode):  # never opened: a device may act on an open
            return None
        resolve_inside(root, path)
        descriptor = os.open(where, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (SsotError, OSError, ValueError):
        return None
    try:
        status = os.fstat(descriptor)
    finally:
        os.close(descriptor)
    if not stat.S_ISREG(status.st_mode):
        return None
    return [status.st_dev, status.st_ino, status.st_size, status.st_mode, status.st_mtime_ns, status.st_ctime_ns]


@witnessed(identity)
def text_of(root: Path, path: str) -> str | None:
    """The file's text; None if there is none. Raises SsotError (unreadable, special, outside the root)."""
    return read_text(resolve_inside(root, path), path)


@probe
def first_line_of(root: Path, path: str) -> str:
    return read_first_line(resolve_inside(root, path))


@probe
def glob(root: Path, pattern: str) -> list[str]:
    """What `pattern` matches, directories aside: a FIFO or a socket is kept, for read_text to refuse by name."""
    return glob_files(root, pattern)


@probe
def unlistable(root: Path, tops: Collection[str]) -> list[Problem]:
    """A directory under `tops` that cannot be listed: its files would be skipped silently (a glob does)."""
    problems = []

    def refused(exc: OSError) -> None:
        where = Path(exc.filename).relative_to(root).as_posix() if exc.filename else str(exc)
        why = exc.strerror or str(exc)
        problems.append(Problem(where, 0, 0, f"cannot list this directory: {why}", code=codes.IO_ERROR))

    for top in sorted(tops):
        if "*" not in top and (root / top).is_dir():
            for _ in os.walk(root / top, onerror=refused):
                pass
    return problems


@probe
def real_paths(root: Path, paths: Collection[str]) -> dict[str, str]:
    """The paths among `paths` that are links (or lie under one) -> the path of their file inside the root."""
    resolved_root = os.path.realpath(root)
    inside = resolved_root.rstrip(os.sep) + os.sep
    reals = {}
    for path in paths:
        try:
            real = real_path(os.path.join(root, path))
        except RuntimeError:  # a symlink loop: reported by the reading
            continue
        if real.startswith(inside) and (relative := real[len(inside) :].replace(os.sep, "/")) != path:
            reals[path] = relative
    return reals


@probe
def executable(root: Path, paths: Collection[str]) -> list[str]:
    """The paths among `paths` whose file (links followed) has an exec bit (compiler/io/confine.py)."""
    found = []
    for path in paths:
        try:
            if os.stat(os.path.join(root, path)).st_mode & 0o111:
                found.append(path)
        except (OSError, ValueError):
            continue
    return sorted(found)


#: what a bare git directory holds (a repository cloned with --bare, or a gitdir moved into the tree)
_GIT_DIRECTORY_SHAPE = ("HEAD", "objects", "refs")


@probe
def shaped_as_git_directory(root: Path, directories: Collection[str]) -> list[str]:
    """The directories among `directories` (relative to the root) and their parents below the root that
    hold a git directory's HEAD, objects and refs (compiler/io/confine.py never writes in one)."""
    seen: set[str] = set()
    found = []
    for directory in directories:
        while directory and directory not in seen:
            seen.add(directory)
            base = os.path.join(root, directory)
            if all(os.path.lexists(os.path.join(base, entry)) for entry in _GIT_DIRECTORY_SHAPE):
                found.append(directory)
            directory = os.path.dirname(directory)
    return sorted(found)


@probe
def temp_names(root: Path, directory: str) -> list[tuple[str, str]]:
    """(name, target) of the files in `directory` named as `ssot build` names its temporary files; none when
    the directory is missing, cannot be listed, or lies outside the root."""
    try:
        if not (root / directory).resolve().is_relative_to(root.resolve()):
            return []
        entries = list(os.scandir(root / directory))
    except (RuntimeError, OSError):  # no such directory (yet), or one that cannot be listed
        return []
    found = []
    for entry in entries:
        target = temp_file_target(entry.name)
        if target is not None and entry.is_file(follow_symlinks=False):
            found.append((entry.name, target))
    return sorted(found)


@probe
def terraform_files(root: Path, directory: str) -> list[str] | str:
    """The `*.tf` files of a module's directory (not of its subdirectories), relative to the root; or why
    there are none: "is not a directory", "does not exist". Raises SsotError for a path outside the root."""
    path = resolve_inside(root, directory)
    if not path.is_dir():
        return "is not a directory" if path.exists() else "does not exist"
    return [file.relative_to(root).as_posix() for file in sorted(path.glob("*.tf")) if not file.is_dir()]


def read_ssot_text(root: Path) -> str:
    """The text of the root's SSOT. Raises SsotError when it is missing or cannot be read."""
    text = text_of(root, SSOT_PATH)
    if text is None:
        # the command line says more (whether --root was given, how to draft one: compiler/app/invocation.py)
        raise SsotError([Problem(SSOT_PATH, 0, 0, f"not found under {root.resolve()}")])
    return text
