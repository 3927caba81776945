"""The only place that writes files: atomically, inside the root, keeping the file's mode."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from compiler import codes
from compiler.errors import Problem, SsotError


def resolve_inside(root: Path, relative: str) -> Path:
    """`root / relative`, refusing a path that leaves the root (through `..` or a symlink)."""
    path = root / relative
    resolved_root = root.resolve()
    try:
        resolved = path.resolve()
    except (RuntimeError, OSError) as exc:  # a symlink loop: RuntimeError before Python 3.13, OSError since
        why = "is a symlink loop" if isinstance(exc, RuntimeError) else f"cannot be resolved: {exc.strerror or exc}"
        raise SsotError([Problem(relative, 0, 0, f"{why}; remove the link", code=codes.UNSAFE_PATH)]) from None
    if not resolved.is_relative_to(resolved_root):
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


def read_text(path: Path, relative: str) -> str | None:
    """The file's text (UTF-8), or None if it does not exist. Undecodable text is the user's problem."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SsotError([Problem(relative, 0, 0, f"cannot read: {exc.strerror}", code=codes.IO_ERROR)]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SsotError([Problem(relative, line, 0, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})")]) from None


def read_first_line(path: Path) -> str:
    """The file's first line, undecodable bytes replaced ("" if it cannot be read): enough to tell whose it is."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return handle.readline()
    except OSError:
        return ""


def apply_changes(root: Path, changes: dict[str, str | None]) -> None:
    """Write (text) or delete (None) files under `root`, as nearly all-or-nothing as a file system allows.

    Every new content is first written in full to a temporary file beside its target; only when all of
    them are on disk is each one renamed over its target (`os.replace`, atomic), keeping the target's
    mode. A failure while staging leaves every file as it was.
    """
    targets = {relative: resolve_inside(root, relative) for relative in changes}
    staged: list[tuple[str, str]] = []
    done: list[str] = []
    try:
        try:
            for relative, text in changes.items():
                if text is not None:
                    staged.append((relative, _stage(targets[relative], text)))
        except OSError as exc:
            raise SsotError([_write_problem(exc, relative, "nothing was changed")]) from None
        for relative, temporary in staged:
            try:
                os.replace(temporary, targets[relative])
            except OSError as exc:
                written = ", ".join(done) or "none"
                raise SsotError([_write_problem(exc, relative, f"already written: {written}")]) from None
            done.append(relative)
    finally:
        # Whatever stopped us (a full disk, a bug, Ctrl-C), no temporary file is left beside its target.
        for _, temporary in staged[len(done) :]:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    problems = []
    for relative, text in changes.items():
        if text is None:
            try:
                targets[relative].unlink(missing_ok=True)
            except OSError as exc:
                problems.append(_write_problem(exc, relative, "the other files were written"))
    if problems:
        raise SsotError(problems)


def _stage(path: Path, text: str) -> str:
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
    except BaseException:
        os.unlink(temporary)
        raise
    return temporary


def _write_problem(exc: OSError, relative: str, consequence: str) -> Problem:
    return Problem(relative, 0, 0, f"cannot write: {exc.strerror or exc}; {consequence}", code=codes.IO_ERROR)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
