"""The command line: `ssot build`, `check`, `init`, `describe`, `affected`. The one place exceptions become exit codes.

Work and output are kept apart: the command runs to an `Outcome` (its exit code, and what to show), and
only then is anything shown. So a reader that stops early (`ssot check | head -1`) ends the output, not
the command: the exit code stays the one the command had. Ctrl-C ends quietly with exit 130.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import NamedTuple

from compiler import __version__, codes
from compiler.app.engine import build, check_repository
from compiler.app.invocation import DEFAULT, find_root, missing_ssot, program
from compiler.app.parser import UsageError, build_parser
from compiler.app.report import FORMATS, Reporter, reporter
from compiler.codes import Exit
from compiler.core.layout import SSOT_PATH
from compiler.errors import Problem, SsotError
from compiler.findings import commands
from compiler.io.git import GitTrouble
from compiler.secrets.redaction import redact_problems
from compiler.secrets.shapes import mask_secrets

EXIT_OK, EXIT_DRIFT, EXIT_TROUBLE, EXIT_BUG = Exit.OK, Exit.DRIFT, Exit.TROUBLE, Exit.BUG
EXIT_INTERRUPTED = Exit.INTERRUPTED
#: what `ssot build` says when it wrote nothing (compiler/app/cached.py keeps only that answer of a build)
UP_TO_DATE = "everything is up to date"


class Outcome(NamedTuple):
    code: int
    #: prints the outcome (through the reporter); may meet a closed pipe
    show: Callable[[], None]


def main(argv: Sequence[str] | None = None, parsed: argparse.Namespace | None = None) -> int:
    """`ssot ARGV`; `parsed`: the arguments as the front door (compiler/app/cached.py) parsed them already."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    # The format asked for, before parsing: a usage error or a Ctrl-C is reported in it too.
    # Commands in the output are written the way this one was run (.venv/bin/ssot, python -m compiler).
    asked_format = getattr(parsed, "format", "text") if parsed is not None else _format_in(arguments)
    report = reporter(asked_format, sys.stdout, sys.stderr, program() if argv is None else DEFAULT)
    code: int = EXIT_OK  # what argparse's --help and --version exit with, should their output meet a closed pipe
    try:
        try:
            outcome = _outcome(arguments, report, parsed)
        except KeyboardInterrupt:
            outcome = Outcome(EXIT_INTERRUPTED, partial(report.aborted, codes.INTERRUPTED, "interrupted (Ctrl-C)"))
        code = outcome.code
        outcome.show()
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away (`| head`): the output ends, the exit code stays
        _discard_output()
    except KeyboardInterrupt:  # a second Ctrl-C, while the outcome was shown
        return EXIT_INTERRUPTED
    return code


def _outcome(arguments: list[str], asked: Reporter, parsed: argparse.Namespace | None = None) -> Outcome:
    """Run the command; nothing is printed but what argparse prints for --help and --version."""
    try:
        # A parser is built only when the front door did not parse already (building one costs 5-10 ms)
        args = build_parser().parse_args(arguments) if parsed is None else parsed
        if args.command is None:  # bare `ssot` (or options only): the whole help, as a usage error
            raise UsageError(build_parser().format_help(), "no command given: run ssot build, ssot check or ssot init")
    except UsageError as exc:
        return Outcome(EXIT_TROUBLE, partial(asked.usage, exc.text, exc.message))
    except SystemExit as exc:  # --help and --version, printed already
        return Outcome(int(exc.code or 0), lambda: None)
    report = reporter(getattr(args, "format", "text"), sys.stdout, sys.stderr, asked.program)
    root: Path = getattr(args, "root", None) or (Path(".") if args.command == "init" else find_root(Path(".")))
    try:
        if not root.is_absolute() and not _cwd_exists():
            message = "the current directory no longer exists (removed meanwhile?): cd into the repository, or pass --root DIR"
            return Outcome(EXIT_TROUBLE, partial(report.aborted, codes.INVALID_INPUT, message))
        if not root.is_dir():
            message = f"--root {root.resolve()}: not a directory"
            return Outcome(EXIT_TROUBLE, partial(report.aborted, codes.INVALID_INPUT, message, file=str(root)))
        if args.command == "init":
            return _init(root, report.program)
        missing = missing_ssot(root, report.program, given=hasattr(args, "root"))
        if missing is not None:  # the user's own directory: never redacted
            return Outcome(EXIT_TROUBLE, partial(report.problems, [Problem(SSOT_PATH, 0, 0, missing)]))
        if args.command in ("describe", "affected"):
            return _facts(args.command, root, args)
        return _build(root, args.exit_code, args.take) if args.command == "build" else _check(root, report)
    except GitTrouble as exc:
        return Outcome(EXIT_TROUBLE, partial(report.aborted, codes.INVALID_INPUT, str(exc)))
    except SsotError as exc:
        # the last net: whatever raised it (a marker named like a token, say), no secret shape is printed
        return Outcome(EXIT_TROUBLE, partial(report.problems, redact_problems(exc.problems, keep=_paths_of(root))))
    except Exception:  # noqa: BLE001 - a bug must never pass for a user's mistake
        message = (
            f"internal error: {mask_secrets(repr(sys.exc_info()[1]))}. This is a bug in ssot {__version__}; "
            "please report it with the output of the same command run with --debug."
        )
        import traceback  # only a bug's --debug output needs it

        trace = traceback.format_exc() if getattr(args, "debug", False) else None
        return Outcome(EXIT_BUG, partial(report.aborted, None, message, trace=trace))


def _paths_of(root: Path) -> tuple[str, ...]:
    """The ways a message may spell the user's own root directory (which redaction leaves alone)."""
    try:
        return (str(root), str(root.resolve()))
    except OSError:
        return (str(root),)


def _cwd_exists() -> bool:
    try:
        os.getcwd()
    except OSError:
        return False
    return True


def _build(root: Path, exit_code: bool, take: list[str]) -> Outcome:
    changed = build(root, take)
    lines = []
    for artifact in changed:
        verb = "removed" if artifact.expected is None else "created" if artifact.current is None else "updated"
        lines.append(f"{verb} {artifact.path}")
    code = EXIT_DRIFT if changed and exit_code else EXIT_OK
    return Outcome(code, partial(_print_lines, lines or [UP_TO_DATE]))


def _init(root: Path, program: str) -> Outcome:
    from compiler.app.init import init  # drafting reads Terraform: not a cost `ssot check` should pay

    result = init(root)
    lines = ["created ssot/env.yaml", "inferred:", *(f"  {line}" for line in result.inferred)]
    then = commands("review (then run: ssot build && ssot check):", program)
    lines += [then, *(f"  {line}" for line in result.review)]
    return Outcome(EXIT_OK, partial(_print_lines, lines))


def _check(root: Path, report: Reporter) -> Outcome:
    result = check_repository(root)
    if result.ok:
        checked = f"{result.artifacts} artifacts"
        if result.tfvars_files:
            checked += f" and {result.tfvars_files} tfvars file{'s' if result.tfvars_files != 1 else ''}"
        return Outcome(EXIT_OK, partial(report.ok, f"ok: {checked} agree with ssot/env.yaml"))
    return Outcome(EXIT_DRIFT, partial(report.findings, result.findings))


def _facts(command: str, root: Path, args: argparse.Namespace) -> Outcome:
    """`describe` and `affected`: a JSON document, or lines for people."""
    # imported here: `ssot check` and `ssot build` never pay for them
    from compiler.app.affected import affected, affected_text
    from compiler.app.describe import describe, describe_text
    from compiler.io.repository import load_facts

    if command == "describe":
        document, text = describe(load_facts(root)), describe_text
    else:
        document, text = affected(root, args.base), affected_text
    if args.format == "json":
        return Outcome(EXIT_OK, partial(print, json.dumps(document, indent=2, ensure_ascii=False)))
    return Outcome(EXIT_OK, partial(_print_lines, text(document)))


def _print_lines(lines: list[str]) -> None:
    for line in lines:
        print(line)


def _format_in(arguments: list[str]) -> str:
    """The --format the arguments ask for (as argparse reads it: `--format X`, `--format=X`, `--form X`)."""
    for index, argument in enumerate(arguments):
        if argument == "--":
            break
        name, equals, value = argument.partition("=")
        if len(name) > 2 and "--format".startswith(name):
            value = value if equals else (arguments[index + 1] if index + 1 < len(arguments) else "")
            if value in FORMATS:
                return value
    return "text"


def _discard_output() -> None:
    """Point stdout and stderr at /dev/null, so that the interpreter's last flush meets no closed pipe
    (which would print a traceback and exit 120)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            descriptor = stream.fileno()
        except (AttributeError, OSError, ValueError):  # a stream without a file (a test's StringIO)
            continue
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, descriptor)
        finally:
            os.close(null)
