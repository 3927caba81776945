"""What the site shows, said in a box on top of every page: that the SSOT is invalid (and whose facts the
pages show meanwhile), or, while serving, that the files on disk are behind it (`ssot build` not run yet).

One state for the whole site: the generated pages, the nav and the blocks of hand-written pages all show
the same facts, so every page carries the same box (the source page says that it shows the file as it is).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from compiler.core.layout import SSOT_PATH
from compiler.errors import Problem, SsotError

if TYPE_CHECKING:
    from compiler.core.facts import Facts

#: How many of the files `ssot build` would write the box lists by name.
LISTED = 8


def unwritten_paths(root: Path, facts: Facts) -> list[str]:
    """The files `ssot build` would write or remove for `facts`, by their path under the root.

    Empty when the repository cannot be read as `ssot build` reads it (a broken marker, an unreadable file):
    the pages and `ssot check` say what is wrong then.
    """
    from compiler.artifacts.plan import plan  # only while serving: a cached build imports no renderer
    from compiler.io.repository import read_snapshot

    try:
        snapshot = read_snapshot(root, facts)
        artifacts = plan(facts, snapshot.files, snapshot.orphans)
    except SsotError:
        return []
    return [artifact.path for artifact in artifacts if not artifact.up_to_date]


def state_box(
    problems: list[Problem], unwritten: list[str], *, last_valid: bool, source_page: bool, serving: bool
) -> str:
    """The box for the site's state ("" when the pages show the SSOT as it is, and the files agree with it).

    `last_valid`: the pages show the facts of the last valid SSOT (else the files on disk, when it was never
    valid since the server started); `source_page`: the page shows the SSOT's text itself.
    """
    if problems:
        facts = f"the last valid version of {SSOT_PATH}" if last_valid else "the files on disk"
        if source_page:
            shown = f"This page shows {SSOT_PATH} as it is now, every other page the facts from {facts},"
        else:
            shown = f"Every page shows the facts from {facts}"
        return error_box(problems, f"{shown} until these are fixed{' (the server keeps running)' if serving else ''}")
    if not unwritten:
        return ""
    listed = "".join(f"- `{path}`\n" for path in unwritten[:LISTED])
    if len(unwritten) > LISTED:
        listed += f"- and {len(unwritten) - LISTED} more\n"
    return (
        f"/// warning | The files on disk are behind {SSOT_PATH}: run ssot build\n\n"
        f"The site shows the facts of {SSOT_PATH} as it is now; `ssot build` has not written them to:\n\n"
        f"{listed}\n"
        f"Run `ssot build`, and commit what it writes together with {SSOT_PATH}.\n\n///\n\n"
    )


def error_box(problems: list[Problem], shown: str) -> str:
    """A box listing `problems` (the files they are about in its title), after the sentence `shown`."""
    if not problems:
        return ""
    files = sorted({problem.file for problem in problems})
    listed = "".join(f"- `{problem}`\n" for problem in problems)
    return (
        f"/// danger | {', '.join(files)} {'has' if len(files) == 1 else 'have'} errors\n\n"
        f"{shown}:\n\n{listed}\n///\n\n"
    )
