"""The only place that writes files: a build's changes all made or none, each file replaced atomically.

A build's changes are a transaction over files:

1. Stage: every new content is written in full to a temporary file beside its target, with
   the target's mode and owner (root gives it the original's owner; anyone else writes as themselves), and
   synced to disk before it is closed, so every one is on disk before any is renamed. A symlinked target is
   written through: the temporary file goes beside the file the link points to (inside the root:
   `resolve_inside` refuses a link that leaves it), so the link stays a link.
2. Commit, target by target: check that the target still holds what the build read (a file saved while
   the build ran is not overwritten: changed-during-build), keep the original aside (a hard link), then
   rename the temporary file over the target (`os.replace`: a reader sees the old file or the new one,
   never a mix). A file to delete is renamed aside.
3. When every target is done, the directories they are in are synced (the new names on disk too), and
   only then are the originals dropped. If anything stops the commit (a failed rename or sync, a changed
   file, Ctrl-C, a bug), the targets already done get their originals back.

Temporary files and originals kept aside are named `.NAME.XXXXXXXX.tmp` beside their target
(compiler/io/paths.py). Only a build killed outright leaves them; the next build removes those it finds
beside its targets, and `ssot check` reports them (compiler/io/repository.py finds them).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from compiler import codes
from compiler.errors import Problem, SsotError
from compiler.io.confine import refuse_git_directories
from compiler.io.durable import sync_directory
from compiler.io.paths import real_paths_inside, temp_path

NOTHING_CHANGED = "nothing was changed"


@dataclass(frozen=True)
class _Done:
    """A target replaced or removed, and how to undo it."""

    relative: str
    path: str
    #: the original, kept aside; None: there was none (the file was created)
    original: str | None


def apply_changes(root: Path, changes: Mapping[str, str | None], read: Mapping[str, str | None] | None = None) -> None:
    """Write (text) or delete (None) files under `root`: every change, or none (see the module's docstring).

    `read` holds what the build read of each target (None: there was no file); a target that differs from
    it now stops the build. Targets not in `read` are not checked. Raises SsotError (exit 2) naming the
    file, after every target already done got its original back.
    """
    real = real_paths_inside(root, changes)
    refuse_git_directories(root, real, NOTHING_CHANGED)
    aliases = _aliases(changes, real)
    writes = {relative: text for relative, text in changes.items() if text is not None and relative not in aliases}
    directories = _Directories()
    staged: dict[str, str] = {}
    done: list[_Done] = []
    relative = ""
    try:
        try:
            for relative, text in writes.items():
                directories.prepare(os.path.dirname(real[relative]))
                staged[relative] = _stage(real[relative], text.encode("utf-8"), directories.umask)
        except OSError as exc:
            raise SsotError([_write_problem(exc, relative)]) from None
        for relative in sorted(changes, key=lambda path: changes[path] is None):  # writes first, then deletions
            if relative in aliases:
                continue
            try:
                if read is not None and relative in read:
                    _check_unchanged(relative, real[relative], read[relative])
                link = os.path.join(root, relative)
                item = _commit(relative, link, real[relative], staged.get(relative))
            except OSError as exc:
                raise SsotError([_write_problem(exc, relative)]) from None
            staged.pop(relative, None)
            if item is not None:
                done.append(item)
        _sync_directories(done, directories.created)
    except BaseException as exc:
        unrestored = _restore(done)
        if unrestored and isinstance(exc, SsotError):
            raise SsotError([*exc.problems, *unrestored]) from None
        raise
    finally:
        for temporary in staged.values():  # staged, never renamed: whatever stopped us, it goes
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    for item in done:
        if item.original is not None:
            with contextlib.suppress(OSError):  # left behind, the next build removes it
                os.unlink(item.original)


class _Directories:
    """The directories files are staged in: made where missing (once each), and the umask, asked once."""

    def __init__(self) -> None:
        self.umask = _umask()
        self.ready: set[str] = set()
        #: the directories in which a directory was made (its name must be synced too)
        self.created: set[str] = set()

    def prepare(self, directory: str) -> None:
        if directory in self.ready:
            return
        self._make(directory)
        self.ready.add(directory)

    def _make(self, directory: str) -> None:
        if os.path.isdir(directory):
            return
        parent = os.path.dirname(directory)
        if parent != directory:
            self._make(parent)
        try:
            os.mkdir(directory)
        except FileExistsError:
            if not os.path.isdir(directory):
                raise
            return
        self.created.add(parent)


def _aliases(changes: Mapping[str, str | None], real: Mapping[str, str]) -> set[str]:
    """The paths to write that are links to a file another path writes (`docs/index.md -> ../envs/README.md`):
    that file is written once. Raises SsotError if the two would give it different content."""
    first: dict[str, str] = {}
    aliases = set()
    for relative, text in changes.items():
        if text is None:
            continue
        other = first.setdefault(real[relative], relative)
        if other == relative:
            continue
        if changes[other] != text:
            message = f"is the same file as {other} (through a link), which gets other content; make one a copy"
            raise SsotError([Problem(relative, 0, 0, message, code=codes.UNSAFE_PATH)])
        aliases.add(relative)
    return aliases


def _check_unchanged(relative: str, path: str, text: str | None) -> None:
    """Raises SsotError (changed-during-build) if `path` no longer holds `text` (None: no file)."""
    try:
        status = os.stat(path)
        if stat.S_ISREG(status.st_mode):
            with open(path, "rb") as handle:
                now = handle.read()
        else:
            now = b""
        same = text is not None and stat.S_ISREG(status.st_mode) and now == text.encode("utf-8")
    except FileNotFoundError:
        same = text is None
    if not same:
        message = f"changed since ssot build read it; {NOTHING_CHANGED} (run ssot build again)"
        raise SsotError([Problem(relative, 0, 0, message, code=codes.CHANGED_DURING_BUILD)])


def _commit(relative: str, link: str, target: str, temporary: str | None) -> _Done | None:
    """Replace `target` (`link` with links followed) by `temporary`, or remove `link` (None), keeping the
    original aside."""
    if temporary is None:
        aside = temp_path(link)
        try:
            os.rename(link, aside)  # the file, or the link itself: a link is removed, not its target
        except FileNotFoundError:
            return None
        return _Done(relative, link, aside)
    original = _keep_aside(target)
    try:
        os.replace(temporary, target)
    except BaseException:
        if original is not None:
            os.unlink(original)
        raise
    return _Done(relative, target, original)


def _keep_aside(path: str) -> str | None:
    """A second name for `path`'s file beside it (a hard link, else a copy); None if there is no file."""
    if not os.path.lexists(path):  # a new file (most of a first build): no name to make up
        return None
    for _ in range(100):
        aside = temp_path(path)
        try:
            os.link(path, aside)
            return aside
        except FileExistsError:
            continue
        except FileNotFoundError:
            return None
        except OSError:  # a file system without hard links: a copy, with the same mode and owner
            try:
                with open(path, "rb") as handle:
                    return _stage(path, handle.read(), _umask(), copy=True)
            except FileNotFoundError:
                return None
    raise FileExistsError(errno.EEXIST, "no free temporary file name", path)


def _restore(done: list[_Done]) -> list[Problem]:
    """Undo `done`, last first; the problems of the targets that could not get their original back."""
    problems = []
    for item in reversed(done):
        try:
            if item.original is None:
                os.unlink(item.path)
            else:
                os.replace(item.original, item.path)
        except OSError as exc:
            kept = f"; its previous content is in {item.original}" if item.original else ""
            message = f"cannot be restored: {exc.strerror or exc}{kept}"
            problems.append(Problem(item.relative, 0, 0, message, code=codes.IO_ERROR))
    return problems


def _stage(target: str, data: bytes, umask: int, *, copy: bool = False) -> str:
    """A new temporary file beside `target` holding `data`, with `target`'s owner and mode (if it exists) less
    any exec bit (all of it for a `copy` of an original kept aside), synced; its directory exists."""
    try:
        original: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        original = None
    descriptor, name = _create_temporary(target)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
            if original is not None:
                _own_like(descriptor, original)
            # never an exec bit: a build writes documents, and a path from a pull request must not become a
            # program (compiler/io/confine.py)
            mode = stat.S_IMODE(original.st_mode) if original is not None else 0o666 & ~umask
            os.fchmod(descriptor, mode if copy else mode & ~0o111)
            os.fsync(descriptor)  # on disk before it is renamed over its target
        finally:
            os.close(descriptor)
    except BaseException:
        os.unlink(name)
        raise
    return name


#: how a temporary file is created, as tempfile.mkstemp creates one: exclusively, never through a link
_EXCLUSIVE = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _create_temporary(target: str) -> tuple[int, str]:
    """A new, empty temporary file beside `target` (mode 0600, open for writing) and its name: what
    tempfile.mkstemp gives, without its setup on every call (a build of a thousand environments makes
    two thousand)."""
    for _ in range(100):
        name = temp_path(target)
        try:
            return os.open(name, _EXCLUSIVE, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", target)


def _sync_directories(done: list[_Done], created: Iterable[str]) -> None:
    """Sync the directories the commit renamed in (each named by its first target), and those a staging
    directory was made in."""
    directories = {os.path.dirname(item.path): item.relative for item in reversed(done)}
    for directory in created:
        directories.setdefault(directory, done[0].relative if done else "")
    for directory, relative in directories.items():
        try:
            sync_directory(directory)
        except OSError as exc:
            raise SsotError([_write_problem(exc, relative)]) from None


def _own_like(descriptor: int, original: os.stat_result) -> None:
    mine = os.fstat(descriptor)
    if (mine.st_uid, mine.st_gid) != (original.st_uid, original.st_gid):
        with contextlib.suppress(PermissionError):  # only root may give a file away; others write as themselves
            os.fchown(descriptor, original.st_uid, original.st_gid)


def _write_problem(exc: OSError, relative: str) -> Problem:
    return Problem(relative, 0, 0, f"cannot write: {exc.strerror or exc}; {NOTHING_CHANGED}", code=codes.IO_ERROR)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
