"""The `ssot` command's front door: `ssot check` answered from its record when nothing it read changed.

(And `ssot build` when it would write nothing again: what a pre-commit fixer hook runs on every commit.)

A check of an unchanged repository prints what the last one printed, and exits as it did, without
importing the compiler (pydantic, python-hcl2): it only looks again at what that check read (every file's
text, every glob and listing, git's answers: compiler/io/probe.py) and compares. Everything else runs
compiler/app/cli.py as usual, with the arguments parsed once, here: other commands, `--no-cache`,
SSOT_NO_CACHE=1, `--take`, `--debug`, a command line argparse refuses, and a check whose record is missing
or no longer holds, which then records itself for the next.

The record (in the user's cache directory, never in the repository: compiler/io/memo.py) belongs to one
way of running: the same arguments, directory, interpreter and installed tool, the same user and groups
(what this process may read), the same variables the output depends on (PATH, the colour ones) and the
same program name as PATH resolves it now (the `run: ssot build` a report prints), the same terminal or
not, the same encoding. Only answers 0 and 1 are kept (trouble is reported afresh), and only when the
output was written whole. A replay applies the full check's rules to every file again (compiler/io/disk.py:
inside the root, readable by this process).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from compiler.app.invocation import find_root, program
from compiler.app.parser import UsageError, build_parser
from compiler.app.report import escape_unencodable
from compiler.io import disk, git, memo, probe  # noqa: F401 - importing disk and git registers their probes

#: variables the output depends on (the program's name as PATH resolves it, colour)
_ENVIRONMENT = ("PATH", "NO_COLOR", "FORCE_COLOR", "TERM")


def main(argv: Sequence[str] | None = None) -> int:
    """As compiler/app/cli.py's `main` (argv: the arguments, without the program's name)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments == ["--version"]:  # before the compiler is imported; compiler/__init__.py holds the version
        from compiler import __version__

        print(f"ssot {__version__}")
        return 0
    escape_unencodable(sys.stdout, sys.stderr)  # a replay too writes what the encoding may not hold
    parsed = _parsed(arguments)  # once: cli.py takes it from here
    asked = _cacheable(parsed)
    try:
        key = None if asked is None else _key(arguments, asked[1], sys.argv[0] if argv is None else None)
    except OSError:  # the current directory was removed: cli.py says so
        key = None
    if asked is None or key is None:
        return _run(argv, parsed)
    command, root = asked
    name = f"{command}-" + memo.digest(repr(key))[:16]
    record = memo.load(root, name)
    if _holds(record, key):
        return _replay(record["output"], record["code"])
    out, err = _Tee(sys.stdout), _Tee(sys.stderr)
    written: list[list[str]] = []
    out.into = err.into = written
    sys.stdout, sys.stderr = out, err
    probe.start()
    try:
        code = _run(argv, parsed)
    finally:
        calls = probe.stop()
        sys.stdout, sys.stderr = out.stream, err.stream
    written = [[which, "".join(parts)] for which, *parts in written]
    if calls is not None and not (out.broken or err.broken) and _keep(command, code, written):
        memo.store(root, name, {"key": key, "probes": calls, "output": written, "code": code})
    return code


def _keep(command: str, code: int, written: list[list[str]]) -> bool:
    """A check's answer 0 or 1; a build's only when it wrote nothing (one that wrote has changed what it
    read: its record would never hold again)."""
    if command == "check":
        return code in (0, 1)
    from compiler.app.cli import UP_TO_DATE

    return code == 0 and written == [["out", f"{UP_TO_DATE}\n"]]


def _holds(record: Any, key: dict[str, Any]) -> bool:
    """Whether `record` answers the check `key` describes: made for it, of the right shape, still true."""
    return (
        isinstance(record, dict)
        and record.get("key") == key
        and isinstance(record.get("probes"), list)
        and isinstance(record.get("output"), list)
        and all(isinstance(part, list) and len(part) == 2 and part[0] in ("out", "err") for part in record["output"])
        and record.get("code") in (0, 1)
        and probe.unchanged(record["probes"])
    )


def _run(argv: Sequence[str] | None, parsed: argparse.Namespace | None) -> int:
    _without_pydantic_plugins()
    _import_cli()
    from compiler.app.cli import main as run

    return run(argv, parsed)


def _import_cli() -> None:
    """Import the compiler, pydantic and the rest without the garbage collector: they make ~30,000 objects
    that live as long as the process, so it has nothing to find among them, while they are made nor later
    (frozen, they are left out of every collection): 5% of a whole check."""
    if "compiler.app.cli" in sys.modules:
        return
    gc.disable()
    try:
        import compiler.app.cli  # noqa: F401
    finally:
        gc.freeze()
        # A run makes hundreds of thousands of short-lived objects and almost no cycles: collecting every
        # 700 allocations (the default) costs 4% of a check of a thousand environments and finds nearly
        # nothing. Every 50,000 it costs a tenth of that (mypy does the same); memory is freed by reference
        # counting as before, so what a run holds at its peak does not change.
        gc.set_threshold(50_000, 20, 20)
        gc.enable()


def _without_pydantic_plugins() -> None:
    """This process runs without pydantic plugins (observability hooks, found through every installed
    package's metadata), as with PYDANTIC_DISABLE_PLUGINS=__all__, but without importing pydantic's plugin
    loader: it imports importlib.metadata and email, 20 ms of a whole check. Only the `ssot` command, a
    process of its own, does this: the MkDocs plugin leaves pydantic in mkdocs' process as it finds it."""
    if "pydantic.plugin._loader" not in sys.modules:
        loader = types.ModuleType("pydantic.plugin._loader")
        loader.get_plugins = lambda: ()  # type: ignore[attr-defined]  # all pydantic 2.x asks of its loader

        def anything_else(name: str) -> object:
            # a pydantic that asks more of it gets the real loader (and its cost) rather than an ImportError
            del sys.modules[loader.__name__]
            return getattr(importlib.import_module(loader.__name__), name)

        loader.__getattr__ = anything_else  # type: ignore[method-assign]
        sys.modules[loader.__name__] = loader


def _parsed(arguments: list[str]) -> argparse.Namespace | None:
    """The command line, parsed by the CLI's own parser (compiler/app/parser.py, light); None when it asks
    for help or argparse refuses it: cli.py then prints what it prints."""
    if "-h" in arguments or "--help" in arguments:
        return None
    try:
        return build_parser().parse_args(arguments)
    except (UsageError, SystemExit):
        return None


def _cacheable(parsed: argparse.Namespace | None) -> tuple[str, Path] | None:
    """The command (check, build) and root this door may answer; None for anything else (cli.py's)."""
    if parsed is None or not memo.enabled() or parsed.command not in ("check", "build"):
        return None
    if getattr(parsed, "no_cache", False) or getattr(parsed, "debug", False) or getattr(parsed, "take", None):
        return None  # --take writes what the record would not know of; --debug wants the traceback afresh
    root: Path = getattr(parsed, "root", None) or find_root(Path("."))
    return (parsed.command, root) if root.is_dir() else None


def _key(arguments: list[str], root: Path, argv0: str | None) -> dict[str, Any]:
    return {
        "arguments": arguments,
        # how the output names the program: `ssot` only while PATH finds this one first
        "program": None if argv0 is None else [argv0, program()],
        "cwd": os.getcwd(),
        "root": [os.path.abspath(root), os.path.realpath(root)],
        "user": _user(),
        "environment": {name: os.environ.get(name) for name in _ENVIRONMENT},
        "terminal": [_isatty(sys.stdout), _isatty(sys.stderr)],
        "encoding": [[getattr(s, "encoding", None), getattr(s, "errors", None)] for s in (sys.stdout, sys.stderr)],
    }


def _user() -> list[Any] | None:
    """Who reads: user and group ids, real and effective, and the supplementary groups."""
    if not hasattr(os, "getuid"):
        return None
    return [os.getuid(), os.geteuid(), os.getgid(), os.getegid(), sorted(os.getgroups())]


def _isatty(stream: TextIO) -> bool:
    return hasattr(stream, "isatty") and stream.isatty()


def _replay(output: list[list[str]], code: int) -> int:
    streams = {"out": sys.stdout, "err": sys.stderr}
    try:
        for which, text in output:
            streams[which].write(text)
            if which == "err":
                streams[which].flush()
        sys.stdout.flush()
    except BrokenPipeError:  # as cli.py: the reader went away, the exit code stays
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    return code


class _Tee:
    """A stream that writes through to `stream` and keeps what it wrote, in order with its sibling."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.which = "out" if stream is sys.stdout else "err"
        #: [stream, text, text, ...] for each run of writes to one stream, in order (main joins each run)
        self.into: list[list[str]] = []
        self.broken = False

    def write(self, text: str) -> int:
        try:
            count = self.stream.write(text)
        except BaseException:
            self.broken = True
            raise
        if self.into and self.into[-1][0] == self.which:
            self.into[-1].append(text)  # joined at the end: adding to one string would copy it every line
        else:
            self.into.append([self.which, text])
        return count

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BaseException:
            self.broken = True
            raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)
