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
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import NoReturn

from compiler import __version__, codes
from compiler.app.engine import build, check_repository
from compiler.app.invocation import DEFAULT, find_root, program
from compiler.app.report import FORMATS, Reporter, reporter
from compiler.checks.redaction import redact_problems
from compiler.codes import Exit
from compiler.core.secret_shapes import mask_secrets
from compiler.errors import SsotError
from compiler.findings import commands
from compiler.io.history import GitTrouble

EXIT_OK, EXIT_DRIFT, EXIT_TROUBLE, EXIT_BUG = Exit.OK, Exit.DRIFT, Exit.TROUBLE, Exit.BUG
EXIT_INTERRUPTED = Exit.INTERRUPTED
#: what `ssot build` says when it wrote nothing (compiler/app/cached.py keeps only that answer of a build)
UP_TO_DATE = "everything is up to date"
_NO_CACHE = "neither use nor update the cache in ~/.cache/ssot-compiler/ (as SSOT_NO_CACHE=1 does)"


class UsageError(Exception):
    """A command line argparse refuses: `text` is what argparse would print (the usage and the error)."""

    def __init__(self, text: str, message: str) -> None:
        super().__init__(message)
        self.text = text
        self.message = message


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises UsageError instead of printing and exiting, so that --format json
    can still print its document."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.format_usage()}{self.prog}: error: {message}\n", message)


@dataclass(frozen=True)
class Outcome:
    code: int
    #: prints the outcome (through the reporter); may meet a closed pipe
    show: Callable[[], None]


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--root",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="the repository's top directory, holding ssot/env.yaml (default: the nearest directory holding it, "
        "from the current one upwards; for init, the current directory)",
    )
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback on internal errors"
    )
    parser = _Parser(
        prog="ssot",
        parents=[common],
        description="Compile ssot/env.yaml into docs pages, README blocks, tfvars examples and a JSON Schema, "
        "and check that they agree.",
        epilog="exit codes: 0 everything agrees, 1 drift found, 2 trouble (invalid input, usage), 3 internal error, "
        "130 interrupted",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    # Not required: argparse would then name the missing COMMAND before an unknown option (`ssot --frob`).
    # A missing command is a usage error that shows the whole help (see _outcome).
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build_ = commands.add_parser(
        "build",
        parents=[common],
        help="write every generated artifact that changed",
        description="Write every artifact generated from ssot/env.yaml whose content changed. Run again with "
        "nothing changed, it answers from its cache (under ~/.cache/ssot-compiler/, never in the repository).",
    )
    build_.add_argument(
        "--take",
        action="append",
        default=[],
        metavar="FILE",
        help="hand a team's FILE (atlantis.yaml, digger.yml, a tfvars example) over: generated whole from now on",
    )
    build_.add_argument(
        "--exit-code",
        action="store_true",
        help="exit 1 when a file was written or removed, as git diff --exit-code (for pre-commit's fixer hook)",
    )
    commands.add_parser(
        "init",
        parents=[common],
        help="draft ssot/env.yaml from the Terraform roots, atlantis.yaml/digger.yml and tfvars (never overwrites)",
        description="Draft ssot/env.yaml from what the repository has: layers from atlantis.yaml's and digger.yml's "
        "projects (or the roots; module folders are none), environments from workspaces, env-named directories, "
        "project and tfvars names, the contract from the variables of the roots tfvars feed. A file it cannot "
        "parse is listed, not fatal. Prints what it inferred and what to review. Exit 2 if ssot/env.yaml exists.",
    )
    check = commands.add_parser(
        "check",
        parents=[common],
        help="report drift without writing anything (for CI)",
        description="Compare every artifact, and real envs/*.tfvars files, with ssot/env.yaml. "
        "Writes nothing in the repository; run again with nothing changed, the check answers from its cache "
        "(in ~/.cache/ssot-compiler/ or $XDG_CACHE_HOME/ssot-compiler/). Exit 0 all agree, 1 drift, 2 invalid input.",
    )
    for cached in (build_, check):
        cached.add_argument("--no-cache", action="store_true", help=_NO_CACHE)
    check.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (grouped by file; colour on a terminal), json (a stable document), "
        "github (workflow commands: annotations on a pull request)",
    )
    describe_ = commands.add_parser(
        "describe",
        parents=[common],
        help="print the compiled facts (environments, layer instances) as JSON for CI matrices, or as text",
        description="Print the facts compiled from ssot/env.yaml: the environments and their domains, and every "
        "layer instance with its namespace, workspace, Atlantis project, state key, var-file and Terraform roots. "
        'The JSON document is versioned ("schema": "ssot-describe/1"). Writes nothing.',
    )
    affected_ = commands.add_parser(
        "affected",
        parents=[common],
        help="list the environments, layer instances and Atlantis projects a change since --base touches",
        description="Compare the work tree with the commit --base names: a changed fact in ssot/env.yaml, "
        "a changed file under a layer's Terraform root, a changed var-file. Writes nothing; "
        'the JSON document is versioned ("schema": "ssot-affected/1"). Exit 2 if REF names no commit.',
    )
    affected_.add_argument("--base", required=True, metavar="REF", help="the commit to compare with (origin/main)")
    for command in (describe_, affected_):
        command.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    # The format asked for, before parsing: a usage error or a Ctrl-C is reported in it too.
    # Commands in the output are written the way this one was run (.venv/bin/ssot, python -m compiler).
    report = reporter(_format_in(arguments), sys.stdout, sys.stderr, program() if argv is None else DEFAULT)
    code: int = EXIT_OK  # what argparse's --help and --version exit with, should their output meet a closed pipe
    try:
        try:
            outcome = _outcome(arguments, report)
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


def _outcome(arguments: list[str], asked: Reporter) -> Outcome:
    """Run the command; nothing is printed but what argparse prints for --help and --version."""
    parser = build_parser()
    try:
        args = parser.parse_args(arguments)
        if args.command is None:  # bare `ssot` (or options only): the whole help, as a usage error
            raise UsageError(parser.format_help(), "no command given: run ssot build, ssot check or ssot init")
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
        if args.command in ("describe", "affected"):
            return _facts(args.command, root, args)
        return _build(root, args.exit_code, args.take) if args.command == "build" else _check(root, report)
    except GitTrouble as exc:
        return Outcome(EXIT_TROUBLE, partial(report.aborted, codes.INVALID_INPUT, str(exc)))
    except SsotError as exc:
        # the last net: whatever raised it (a marker named like a token, say), no secret shape is printed
        return Outcome(EXIT_TROUBLE, partial(report.problems, redact_problems(exc.problems)))
    except Exception:  # noqa: BLE001 - a bug must never pass for a user's mistake
        message = (
            f"internal error: {mask_secrets(repr(sys.exc_info()[1]))}. This is a bug in ssot {__version__}; "
            "please report it with the output of the same command run with --debug."
        )
        trace = traceback.format_exc() if getattr(args, "debug", False) else None
        return Outcome(EXIT_BUG, partial(report.aborted, None, message, trace=trace))


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
    from compiler.io.read import load_facts

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
