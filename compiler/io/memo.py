"""The check cache's records: JSON documents kept in the user's cache directory, never in the repository.

Records live under `$XDG_CACHE_HOME/ssot-compiler/` (else `~/.cache/ssot-compiler/`), in a folder named
by a digest of the repository's real path, as pre-commit keeps its store. A pull request can then neither
plant a record nor read one, so a record needs no signature. A record is reused only when everything it
was made from is the same: the tool (every file of this package, the installed distributions, the
interpreter: `tool_fingerprint`) and the inputs its user keeps in it (compiler/io/probe.py notes every
look at the repository). So the cache is never a source of truth: removing the folder costs one slow run,
`SSOT_NO_CACHE=1` (or `ssot check --no-cache`) switches it off. The folders of repositories no run
stored a record for in 30 days go when another repository stores one (`_prune_others`).

Nothing found there is trusted to be what it should: a folder is used only if it is a real directory of
this user's that nobody else may write (a link is refused), a record only if it is a regular file of at
most `MAX_RECORD_BYTES`, opened without following a link and without blocking (a FIFO never hangs a
check). Anything else, or a cache directory that cannot be written, is a miss: the check runs in full,
and says nothing about it. Light on purpose (no pydantic, no hcl2): a run that finds its answer here
imports little more than this module.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

#: the version of the records' shape: a new one makes every older record a miss
FORMAT = 2
#: the most a record may hold: a check of 10,000 environments records a few MB; past this, a miss
MAX_RECORD_BYTES = 32 << 20
_PACKAGE = Path(__file__).resolve().parent.parent
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_OPEN = os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_FOLDER = _OPEN | getattr(os, "O_DIRECTORY", 0)


def enabled() -> bool:
    """False when SSOT_NO_CACHE is set (to anything but an empty string or 0)."""
    return os.environ.get("SSOT_NO_CACHE", "") in ("", "0")


def digest(data: str | bytes) -> str:
    """A short content hash (BLAKE2b, 128 bits): equal text, equal digest."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """What the tool is, to the byte as far as a cache can tell cheaply: every file of the compiler package
    (name, size, modification time: an edited checkout counts), the distributions installed beside it
    (their dist-info names carry the versions of pydantic, PyYAML, python-hcl2), and the interpreter."""
    parts = [f"format {FORMAT}", sys.version, sys.executable]
    for directory, subdirectories, files in os.walk(_PACKAGE):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        for name in sorted(files):
            try:
                status = os.stat(os.path.join(directory, name))
            except OSError:
                continue
            parts.append(
                f"{os.path.relpath(os.path.join(directory, name), _PACKAGE)} {status.st_size} {status.st_mtime_ns}"
            )
    for entry in sys.path:
        if entry.endswith("site-packages") and os.path.isdir(entry):
            parts += sorted(name for name in os.listdir(entry) if name.endswith((".dist-info", ".egg-info", ".pth")))
    return digest("\n".join(parts))


def location(root: Path) -> Path | None:
    """Where the records of the repository at `root` live (it may not exist); None without a cache home.

    XDG_CACHE_HOME counts only when absolute (the XDG spec: a relative one is ignored; it would put the
    cache in whatever directory the check runs in, such as the repository)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
        if not os.path.isabs(base):  # no HOME and no entry in the password database
            return None
    return Path(base, "ssot-compiler", digest(os.path.realpath(root)))


def load(root: Path, name: str) -> Any:
    """The record stored as `name` for `root`, or None: none, not a plain file, too large, unreadable, or
    made by another tool."""
    folder = _folder(root, create=False)
    if folder is None:
        return None
    try:
        descriptor = os.open(f"{name}.json", _OPEN, dir_fd=folder)
    except OSError:
        return None
    finally:
        os.close(folder)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_RECORD_BYTES:
            return None
        body = _read_at_most(descriptor, status.st_size)
        document = json.loads(body) if body is not None else None
    except (OSError, ValueError):
        return None
    finally:
        os.close(descriptor)
    if not isinstance(document, dict) or document.get("tool") != tool_fingerprint():
        return None
    return document.get("data")


def _read_at_most(descriptor: int, expected: int) -> bytes | None:
    """The file's bytes, or None past `MAX_RECORD_BYTES` (it may have grown since its status was taken)."""
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_RECORD_BYTES:
        chunk = os.read(descriptor, min(max(expected, 1 << 16), MAX_RECORD_BYTES + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    return None


def store(root: Path, name: str, data: Any) -> None:
    """Store `data` (JSON) as `name` for `root`, atomically; quietly nothing if it cannot be (a read-only
    home, a refused folder, a record past the cap): the cache only ever saves time."""
    try:
        body = json.dumps({"tool": tool_fingerprint(), "data": data}, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError):
        return
    if len(body) > MAX_RECORD_BYTES:
        return
    folder = _folder(root, create=True)
    if folder is None:
        return
    temporary = f".{name}.{os.urandom(6).hex()}.tmp"
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600, dir_fd=folder)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(body)
            os.replace(temporary, f"{name}.json", src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            os.unlink(temporary, dir_fd=folder)
            raise
        _prune_others(folder)
    except OSError:
        return
    finally:
        os.close(folder)


#: A repository whose records nothing wrote for this long is forgotten (a clone deleted, a CI scratch dir):
#: its folder goes when another repository stores a record. One slow check brings it back.
STALE_SECONDS = 30 * 24 * 3600


def _prune_others(folder: int) -> None:
    """Remove the folders of repositories beside `folder` that no run stored a record in for STALE_SECONDS:
    only this user's real directories, and in them only records (a link or anything else is left alone)."""
    home = os.open("..", _FOLDER, dir_fd=folder)
    try:
        here = os.fstat(folder)
        now = time.time()
        for entry in os.scandir(home):
            status = entry.stat(follow_symlinks=False)
            if not _trusted(status) or (status.st_dev, status.st_ino) == (here.st_dev, here.st_ino):
                continue
            if now - status.st_mtime < STALE_SECONDS:
                continue
            inner = os.open(entry.name, _FOLDER, dir_fd=home)
            try:
                for record in os.scandir(inner):
                    if record.is_file(follow_symlinks=False) and record.name.endswith((".json", ".tmp")):
                        os.unlink(record.name, dir_fd=inner)
            finally:
                os.close(inner)
            try:
                os.rmdir(entry.name, dir_fd=home)
            except OSError:  # something else was in it: kept
                pass
    finally:
        os.close(home)


def _folder(root: Path, *, create: bool) -> int | None:
    """A descriptor of the folder of `root`'s records (made, mode 0700, when `create`); None when there is
    none or it may not be trusted: `ssot-compiler/` or the repository's folder is a link, not a directory,
    not this user's, or writable by others. The cache home itself may be a link (a user's choice)."""
    place = location(root)
    if place is None or os.open not in os.supports_dir_fd:
        return None
    home, steps = place.parent.parent, (place.parent.name, place.name)
    try:
        if create:
            os.makedirs(home, mode=0o700, exist_ok=True)
        descriptor = os.open(home, _FOLDER & ~_NOFOLLOW)
    except OSError:
        return None
    for step in steps:
        try:
            if create:
                try:
                    os.mkdir(step, 0o700, dir_fd=descriptor)
                except FileExistsError:
                    pass
            inner = os.open(step, _FOLDER, dir_fd=descriptor)  # a link: ELOOP (or ENOTDIR)
        except OSError:
            inner = None
        finally:
            os.close(descriptor)
        if inner is None or not _trusted(os.fstat(inner)):
            if inner is not None:
                os.close(inner)
            return None
        descriptor = inner
    return descriptor


def _trusted(status: os.stat_result) -> bool:
    """A directory of this user's that no one else may write into."""
    return stat.S_ISDIR(status.st_mode) and status.st_uid == os.geteuid() and not status.st_mode & 0o022
