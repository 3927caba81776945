"""Reading one file, for compiler/io/read.py and the plugin. Where a path lands is compiler/io/paths.py;
the one function that writes is compiler/io/write.py."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from compiler import codes
from compiler.errors import Problem, SsotError

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
