"""The only place that writes files: atomically, inside the root, keeping the file's mode."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from compiler.errors import Problem, SsotError


def resolve_inside(root: Path, relative: str) -> Path:
    """`root / relative`, refusing a path that leaves the root (through `..` or a symlink)."""
    path = root / relative
    resolved_root = root.resolve()
    if not path.resolve().is_relative_to(resolved_root):
        raise SsotError(
            [Problem(relative, 0, 0, f"resolves outside the root {root} ({path.resolve()}); refusing to touch it")]
        )
    return path


def read_text(path: Path, relative: str) -> str | None:
    """The file's text (UTF-8), or None if it does not exist. Undecodable text is the user's problem."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SsotError([Problem(relative, 0, 0, f"cannot read: {exc.strerror}")]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SsotError([Problem(relative, line, 0, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})")]) from None


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step: readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
