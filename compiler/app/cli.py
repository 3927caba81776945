"""The command line: `ssot build` and `ssot check`. The one place exceptions become exit codes."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from compiler import __version__
from compiler.app.engine import build_plan, check_repository
from compiler.app.report import FORMATS, Reporter, reporter
from compiler.codes import Exit
from compiler.errors import SsotError
from compiler.io.files import apply_changes

EXIT_OK, EXIT_DRIFT, EXIT_TROUBLE, EXIT_BUG = Exit.OK, Exit.DRIFT, Exit.TROUBLE, Exit.BUG


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--root",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="the repository's top directory, holding ssot/env.yaml (default: the current directory)",
    )
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback on internal errors"
    )
    parser = argparse.ArgumentParser(
        prog="ssot",
        parents=[common],
        description="Compile ssot/env.yaml into docs pages, README blocks, tfvars examples and a JSON Schema, "
        "and check that they agree.",
        epilog="exit codes: 0 everything agrees, 1 drift found, 2 trouble (invalid input, usage), 3 internal error",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands.add_parser(
        "build",
        parents=[common],
        help="write every generated artifact that changed",
        description="Write every artifact generated from ssot/env.yaml whose content changed.",
    )
    check = commands.add_parser(
        "check",
        parents=[common],
        help="report drift without writing anything (for CI)",
        description="Compare every artifact, and real envs/*.tfvars files, with ssot/env.yaml. "
        "Writes nothing. Exit 0 if all agree, 1 on drift, 2 on invalid input.",
    )
    check.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (grouped by file; colour on a terminal), json (a stable document), "
        "github (workflow commands: annotations on a pull request)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help and --version exit 0, usage errors 2
        return int(exc.code or 0)
    root: Path = getattr(args, "root", Path("."))
    report = reporter(getattr(args, "format", "text"), sys.stdout, sys.stderr)
    try:
        if not root.is_dir():
            parser.print_usage(sys.stderr)
            print(f"ssot: error: --root {root.resolve()}: not a directory", file=sys.stderr)
            return EXIT_TROUBLE
        return run_build(root) if args.command == "build" else run_check(root, report)
    except SsotError as exc:
        report.problems(exc.problems)
        return EXIT_TROUBLE
    except Exception:  # noqa: BLE001 - a bug must never pass for a user's mistake
        if getattr(args, "debug", False):
            traceback.print_exc()
        else:
            print(
                f"ssot: internal error: {sys.exc_info()[1]!r}. This is a bug in ssot {__version__}; "
                "please report it with the output of the same command run with --debug.",
                file=sys.stderr,
            )
        return EXIT_BUG


def run_build(root: Path) -> int:
    changed = [a for a in build_plan(root) if not a.up_to_date]
    apply_changes(root, {a.path: a.expected for a in changed})
    for artifact in changed:
        verb = "removed" if artifact.expected is None else "created" if artifact.current is None else "updated"
        print(f"{verb} {artifact.path}")
    if not changed:
        print("everything is up to date")
    return EXIT_OK


def run_check(root: Path, report: Reporter) -> int:
    result = check_repository(root)
    if result.ok:
        checked = f"{result.artifacts} artifacts"
        if result.tfvars_files:
            checked += f" and {result.tfvars_files} tfvars file{'s' if result.tfvars_files != 1 else ''}"
        report.ok(f"ok: {checked} agree with ssot/env.yaml")
        return EXIT_OK
    report.findings(result.findings)
    return EXIT_DRIFT
