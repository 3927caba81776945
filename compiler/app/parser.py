"""The command line's grammar: every subcommand and option of `ssot`, and how a mistyped one is answered.

Kept apart from running the commands (compiler/app/cli.py) so that the manual's command reference is
generated from the very parser users meet (tests/test_manual.py holds docs/manual/reference/commands.md to
it), and a typo gets a did-you-mean: `ssot chek` -> "did you mean check?".
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import NoReturn

from compiler import __version__
from compiler.app.report import FORMATS
from compiler.text import closest

_INVALID_CHOICE = re.compile(r"invalid choice: '(?P<word>[^']*)' \(choose from (?P<choices>.*)\)$")
_UNRECOGNIZED = "unrecognized arguments: "


class UsageError(Exception):
    """A command line argparse refuses: `text` is what argparse would print (the usage and the error)."""

    def __init__(self, text: str, message: str) -> None:
        super().__init__(message)
        self.text = text
        self.message = message


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises UsageError instead of printing and exiting, so that --format json
    can still print its document; a mistyped command, option or choice gets a did-you-mean."""

    #: every option of every subcommand (set on the top parser): argparse reports an unknown option there
    known_options: tuple[str, ...] = ()

    def error(self, message: str) -> NoReturn:
        message += _did_you_mean(message, self.known_options)
        raise UsageError(f"{self.format_usage()}{self.prog}: error: {message}\n", message)


def _did_you_mean(message: str, options: tuple[str, ...]) -> str:
    """ "; did you mean X?" for the word argparse refused, when one of the allowed ones is close."""
    invalid = _INVALID_CHOICE.search(message)
    if invalid is not None:
        # Python 3.11 quotes the choices ('build', 'check'); later versions may not
        choices = [choice.strip().strip("'") for choice in invalid["choices"].split(",")]
        close = closest(invalid["word"], choices)
        return f"; did you mean {close}?" if close else ""
    if message.startswith(_UNRECOGNIZED):
        for word in message.removeprefix(_UNRECOGNIZED).split():
            name = word.partition("=")[0]
            close = closest(name, options) if name.startswith("--") else None
            if close:
                return f"; did you mean {close}?"
    return ""


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
    # A missing command is a usage error that shows the whole help (compiler/app/cli.py's _outcome).
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
    init_ = commands.add_parser(
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
        cached.add_argument(
            "--no-cache",
            action="store_true",
            help="neither use nor update the cache in ~/.cache/ssot-compiler/ (as SSOT_NO_CACHE=1 does)",
        )
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
    every = (parser, build_, init_, check, describe_, affected_)
    parser.known_options = tuple(sorted({o for p in every for a in p._actions for o in a.option_strings}))
    return parser


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parser of each subcommand, in the order `ssot --help` lists them."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}
