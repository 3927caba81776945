"""Making a build's writes durable: each new file on disk before it is renamed into place, then the renames.

compiler/io/write.py stages every new content in a temporary file, syncs them all (`Syncer.sync_files`),
renames each over its target, then syncs each directory that changed (`sync_directory`), so that the new
names are on disk too.

A few files are synced one by one (fsync). A build of many files syncs each filesystem it wrote to once
(Linux's syncfs): a thousand environments are two thousand new files, and two thousand fsyncs, even run
side by side, took 0.18-0.20 s where one syncfs took 0.02-0.05 s. The price: syncfs also writes out what
other programs left unwritten on that filesystem. It reports a write error of any file there since the
directory it was given was opened, so that directory is opened before the first file is written on the
filesystem (`watch`). Where there is no syncfs, every file is synced by fsync (many at a time).
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable, Mapping

#: Up to this many files are synced one by one; more, once per filesystem (or by this many threads)
SYNC_ALONE = 8
_SYNC_THREADS = 16
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class Syncer:
    """Syncs a build's temporary files before their renames (many at once), and its directories after."""

    def __init__(self, files: int) -> None:
        self._syncfs = _load_syncfs() if files > SYNC_ALONE else None
        #: device -> a directory on it, opened before any file was written there (for syncfs)
        self._filesystems: dict[int, int] = {}
        #: directory -> its device
        self._devices: dict[str, int] = {}

    def watch(self, directory: str) -> None:
        """Call before writing a file in `directory`: its filesystem's write errors are reported from now."""
        if self._syncfs is None or directory in self._devices:
            return
        device = self._devices[directory] = os.stat(directory).st_dev
        if device not in self._filesystems:
            try:
                self._filesystems[device] = os.open(directory, os.O_RDONLY | _CLOEXEC)
            except OSError:  # a directory one may write in but not read: every file is synced by fsync
                self._syncfs = None

    def sync_files(self, staged: Mapping[str, str]) -> list[tuple[str, OSError]]:
        """Sync every staged file (relative path -> temporary file) to disk; the files that failed, and why."""
        if self._syncfs is not None:
            try:
                return self._sync_filesystems(self._syncfs, staged)
            except _NoSyncfs:
                pass
        if len(staged) <= SYNC_ALONE:
            errors = [_fsync(name) for name in staged.values()]
        else:
            from concurrent.futures import ThreadPoolExecutor  # imported by builds of many files only

            with ThreadPoolExecutor(max_workers=_SYNC_THREADS) as pool:
                errors = list(pool.map(_fsync, staged.values()))
        return [(relative, error) for relative, error in zip(staged, errors) if error is not None]

    def _sync_filesystems(self, syncfs: Callable[[int], None], staged: Mapping[str, str]) -> list[tuple[str, OSError]]:
        first: dict[int, str] = {}  # device -> the first file staged on it, named if it fails
        for relative, name in staged.items():
            first.setdefault(self._devices[os.path.dirname(name)], relative)
        for device, relative in first.items():
            try:
                syncfs(self._filesystems[device])
            except OSError as exc:
                if exc.errno in (errno.ENOSYS, errno.EPERM):  # not in this kernel, or refused by a sandbox
                    raise _NoSyncfs from None
                return [(relative, exc)]
        return []

    def close(self) -> None:
        for descriptor in self._filesystems.values():
            with contextlib.suppress(OSError):
                os.close(descriptor)
        self._filesystems.clear()


def sync_directory(directory: str) -> None:
    """Sync `directory`, so that the names renamed, made or removed in it are on disk too.

    Raises OSError on a failed sync; a filesystem that cannot sync a directory (it refuses to) is left as is.
    """
    try:
        descriptor = os.open(directory, os.O_RDONLY | _CLOEXEC)
    except OSError:  # a platform that cannot open a directory: its renames are as durable as it makes them
        return
    try:
        os.fsync(descriptor)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EISDIR):
            raise
    finally:
        os.close(descriptor)


class _NoSyncfs(Exception):
    """syncfs is not available after all: sync file by file."""


def _fsync(name: str) -> OSError | None:
    try:
        descriptor = os.open(name, os.O_RDONLY | _CLOEXEC)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    except OSError as exc:
        return exc
    return None


def _load_syncfs() -> Callable[[int], None] | None:
    """syncfs(2) from the C library (CDLL(None): the one the process runs on), raising OSError on failure;
    None where there is none (not Linux)."""
    try:
        import ctypes  # imported by builds of many files only

        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (ImportError, OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int]
    function.restype = ctypes.c_int

    def syncfs(descriptor: int) -> None:
        if function(descriptor) != 0:
            number = ctypes.get_errno()
            raise OSError(number, os.strerror(number))

    return syncfs
