"""The manual's command reference, generated from the parser users meet (compiler/app/parser.py).

docs/manual/reference/commands.md holds it between `<!-- manual:begin commands -->` and
`<!-- manual:end commands -->`; tests/test_manual.py fails when the page lags behind the parser, and
`UPDATE_MANUAL=1` rewrites it. Not an `ssot:` block: the parser is the tool's, not a repository's fact.
"""

from __future__ import annotations

import argparse
import functools

from compiler.app.parser import build_parser, subcommands
from compiler.render.markdown import code, inline, render_table

#: the width usage lines are wrapped at, whatever the terminal that generates the page
_WIDTH = 100


def render_commands_reference() -> str:
    """Markdown: each subcommand's usage, what it does, and its options (the shared ones once, first)."""
    parser = build_parser()
    lines = [f"Every command takes {code('--root DIR')} and {code('--debug')}:", "", _options(parser, shared=True)]
    lines += ["`ssot --version` prints the version; `ssot --help` and `ssot COMMAND --help` print the help.", ""]
    for name, sub in subcommands(parser).items():
        sub.formatter_class = functools.partial(argparse.HelpFormatter, width=_WIDTH)
        lines += [f"### ssot {name}", "", "```text", sub.format_usage().rstrip("\n"), "```", ""]
        lines += [inline(sub.description or ""), ""]
        own = _options(sub, shared=False)
        if own:
            lines += [own]
    return "\n".join(lines).rstrip("\n") + "\n"


def _options(parser: argparse.ArgumentParser, *, shared: bool) -> str:
    rows = []
    for action in parser._actions:
        if not action.option_strings or isinstance(action, (argparse._HelpAction, argparse._VersionAction)):
            continue
        if (action.dest in ("root", "debug")) != shared:
            continue
        value = action.metavar or ("|".join(action.choices) if action.choices else None)
        name = ", ".join(action.option_strings) + (f" {value}" if isinstance(value, str) and action.nargs != 0 else "")
        default = action.default if action.default not in (None, False, argparse.SUPPRESS) else None
        what = (action.help or "") + (" (required)" if action.required else "")
        rows.append([code(name), code(str(default)) if default is not None else "-", inline(what)])
    return render_table(["Option", "Default", "What it does"], rows) if rows else ""
