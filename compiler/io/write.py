"""The only place that writes files: a build's changes all made or none, each file replaced atomically.

A build's changes are a transaction over files:

1. Stage: every new content is written in full to a temporary file beside its target, with
   the target's mode and owner (root gives it the original's owner; anyone else writes as themselves). A
   symlinked target is written through: the temporary file goes beside the file the link points to (inside
   the root: `resolve_inside` refuses a link that leaves it), so the link stays a link. Then every
   temporary file is synced to disk (many at once: the filesystem commits them together).
2. Commit, target by target: check that the target still holds what the build read (a file saved while
   the build ran is not overwritten: changed-during-build), keep the original aside (a hard link), then
   rename the temporary file over the target (`os.replace`: a reader sees the old file or the new one,
   never a mix). A file to delete is renamed aside.
3. Only when every target is done are the originals dropped. If anything stops the commit (a failed
   rename, a changed file, Ctrl-C, a bug), the targets already done get their originals back.

Temporary files and originals kept aside are named `.NAME.XXXXXXXX.tmp` beside their target
(compiler/io/paths.py). Only a build killed outright leaves them; the next build removes those it finds
beside its targets, and `ssot check` reports them (compiler/io/read.py finds them).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from compiler import codes
from compiler.errors import Problem, SsotError
from compiler.io.paths import resolve_inside, temp_name, temp_prefix

NOTHING_CHANGED = "nothing was changed"


@dataclass(frozen=True)
class _Done:
    """A target replaced or removed, and how to undo it."""

    relative: str
    path: Path
    #: the original, kept aside; None: there was none (the file was created)
    original: Path | None


def apply_changes(root: Path, changes: Mapping[str, str | None], read: Mapping[str, str | None] | None = None) -> None:
    """Write (text) or delete (None) files under `root`: every change, or none (see the module's docstring).

    `read` holds what the build read of each target (None: there was no file); a target that differs from
    it now stops the build. Targets not in `read` are not checked. Raises SsotError (exit 2) naming the
    file, after every target already done got its original back.
    """
    targets = {relative: resolve_inside(root, relative) for relative in changes}
    aliases = _aliases(changes, targets)
    staged: dict[str, Path] = {}
    done: list[_Done] = []
    relative = ""
    try:
        try:
            for relative, text in changes.items():
                if text is not None and relative not in aliases:
                    staged[relative] = _stage(targets[relative].resolve(), text.encode("utf-8"))
            for relative, error in _sync(staged)[:1]:
                raise error
        except OSError as exc:
            raise SsotError([_write_problem(exc, relative)]) from None
        for relative in sorted(changes, key=lambda path: changes[path] is None):  # writes first, then deletions
            if relative in aliases:
                continue
            try:
                if read is not None and relative in read:
                    _check_unchanged(relative, targets[relative], read[relative])
                item = _commit(relative, targets[relative], staged.get(relative))
            except OSError as exc:
                raise SsotError([_write_problem(exc, relative)]) from None
            staged.pop(relative, None)
            if item is not None:
                done.append(item)
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


def _aliases(changes: Mapping[str, str | None], targets: Mapping[str, Path]) -> set[str]:
    """The paths to write that are links to a file another path writes (`docs/index.md -> ../envs/README.md`):
    that file is written once. Raises SsotError if the two would give it different content."""
    first: dict[Path, str] = {}
    aliases = set()
    for relative, text in changes.items():
        if text is None:
            continue
        other = first.setdefault(targets[relative].resolve(), relative)
        if other == relative:
            continue
        if changes[other] != text:
            message = f"is the same file as {other} (through a link), which gets other content; make one a copy"
            raise SsotError([Problem(relative, 0, 0, message, code=codes.UNSAFE_PATH)])
        aliases.add(relative)
    return aliases


def _check_unchanged(relative: str, path: Path, text: str | None) -> None:
    """Raises SsotError (changed-during-build) if `path` no longer holds `text` (None: no file)."""
    try:
        status = path.stat()
        now = path.read_bytes() if stat.S_ISREG(status.st_mode) else b""
        same = text is not None and stat.S_ISREG(status.st_mode) and now == text.encode("utf-8")
    except FileNotFoundError:
        same = text is None
    if not same:
        message = f"changed since ssot build read it; {NOTHING_CHANGED} (run ssot build again)"
        raise SsotError([Problem(relative, 0, 0, message, code=codes.CHANGED_DURING_BUILD)])


def _commit(relative: str, path: Path, temporary: Path | None) -> _Done | None:
    """Replace `path` by `temporary`, or remove it (None), keeping its original aside."""
    if temporary is None:
        aside = temp_name(path)
        try:
            os.rename(path, aside)  # the file, or the link itself: a link is removed, not its target
        except FileNotFoundError:
            return None
        return _Done(relative, path, aside)
    target = path.resolve()
    original = _keep_aside(target)
    try:
        os.replace(temporary, target)
    except BaseException:
        if original is not None:
            os.unlink(original)
        raise
    return _Done(relative, target, original)


def _keep_aside(path: Path) -> Path | None:
    """A second name for `path`'s file beside it (a hard link, else a copy); None if there is no file."""
    for _ in range(100):
        aside = temp_name(path)
        try:
            os.link(path, aside)
            return aside
        except FileExistsError:
            continue
        except FileNotFoundError:
            return None
        except OSError:  # a file system without hard links: a copy, with the same mode and owner
            try:
                return _stage(path, path.read_bytes())
            except FileNotFoundError:
                return None
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(path))


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


def _stage(target: Path, data: bytes) -> Path:
    """A new temporary file beside `target` holding `data`, with `target`'s mode and owner (if it exists)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        original: os.stat_result | None = target.stat()
    except FileNotFoundError:
        original = None
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=temp_prefix(target), suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            if original is not None:
                _own_like(handle.fileno(), original)
        os.chmod(name, stat.S_IMODE(original.st_mode) if original is not None else 0o666 & ~_umask())
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def _sync(staged: Mapping[str, Path]) -> list[tuple[str, OSError]]:
    """Sync every staged file to disk (before any is renamed); the files that failed, and why.

    Several at a time when there are many: a filesystem commits concurrent syncs together, and a build of
    a thousand environments waited for two thousand commits one after the other.
    """

    def sync(relative: str) -> OSError | None:
        try:
            descriptor = os.open(staged[relative], os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        except OSError as exc:
            return exc
        return None

    if len(staged) <= _SYNC_ALONE:
        errors = [sync(relative) for relative in staged]
    else:
        from concurrent.futures import ThreadPoolExecutor  # imported by builds of many files only

        with ThreadPoolExecutor(max_workers=_SYNC_THREADS) as pool:
            errors = list(pool.map(sync, staged))
    return [(relative, error) for relative, error in zip(staged, errors) if error is not None]


#: Up to this many files are synced one by one; more, by this many threads.
_SYNC_ALONE = 8
_SYNC_THREADS = 16


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
