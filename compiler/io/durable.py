"""Making a build's writes durable: each new file on disk before it is renamed into place, each directory after.

compiler/io/write.py writes every new content to a temporary file and syncs it (`os.fsync`) before closing it,
renames each over its target, then syncs each directory that changed (`sync_directory`), so that the new
names are on disk too. One file at a time, no threads: a thousand environments (two thousand files) cost
a fraction of a second more than writing them unsynced, and one rule is easy to trust.
"""

from __future__ import annotations

import errno
import os

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


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
