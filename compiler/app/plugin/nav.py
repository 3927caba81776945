"""The plugin's live nav: mkdocs.yml's `nav` block rendered from the current facts, swapped into the nav
MkDocs read.

The block is found, and its new body rendered, by the same block mechanism as every other host (so a
broken marker is the same trouble as for `ssot check`). Its entries are read with MkDocs' own YAML loader,
which knows `!ENV` and `!relative`, so they are the very values MkDocs put in its nav; only the block's
lines are parsed, never the whole file (MkDocs has read that already, with its tags). The renderers are
imported when a nav is rendered: a rebuild that finds the nav in memory (compiler/app/plugin/answers.py)
only reads the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from mkdocs.exceptions import ConfigurationError

from compiler.errors import Problem, SsotError
from compiler.io.disk import read_text

if TYPE_CHECKING:
    from compiler.core.facts import Facts

#: The YAML loader MkDocs reads mkdocs.yml with (mkdocs.utils.yaml.get_yaml_loader); plain YAML if None.
Loader = type[Any] | None


def read_config(config_file: Path) -> str:
    """mkdocs.yml's text. Raises SsotError when it cannot be read."""
    text = read_text(config_file, config_file.name)
    if text is None:
        raise SsotError([Problem(config_file.name, 0, 0, "not found")])
    return text


def live_nav(
    facts: Facts, config_file: Path, nav: list[Any], loader: Loader = None, *, text: str | None = None
) -> list[Any]:
    """`nav` with the entries of mkdocs.yml's `nav` block replaced by those the facts generate (`text`: the
    file as the caller read it, or None to read it).

    Raises SsotError for what `ssot check` calls trouble: a broken marker, an unreadable file. The nav is
    returned as it is when mkdocs.yml has no block, or when its entries cannot be found in `nav`.
    """
    from compiler.artifacts.plan import render_block_host
    from compiler.formats.blocks import block_bodies, find_blocks

    name = config_file.name
    if text is None:
        text = read_config(config_file)
    updated = render_block_host(facts, text, name)
    if updated is None:
        return nav
    old = block_bodies(text, find_blocks(text, name, None)).get("nav")
    new = block_bodies(updated, find_blocks(updated, name, None)).get("nav")
    old_entries, new_entries = _entries(old, loader), _entries(new, loader)
    if old_entries is None or new_entries is None:
        return nav
    return _replace_run(nav, old_entries, new_entries)


def _entries(body: str | None, loader: Loader) -> list[Any] | None:
    """The nav entries of a block's body (None when they are no YAML list on their own).

    MkDocs read the whole file without complaint, so a body fails only for context it lacks on its own
    (an alias of an anchor outside the block); the nav then stays as MkDocs read it.
    """
    try:
        entries = yaml.load(body or "", Loader=loader or yaml.SafeLoader)
    except (yaml.YAMLError, ConfigurationError):  # ConfigurationError: from MkDocs' tags
        return None
    if entries is None:
        return []
    return entries if isinstance(entries, list) else None


def _replace_run(nav: list[Any], old: list[Any], new: list[Any]) -> list[Any]:
    """`nav` with the first run of entries equal to `old` replaced by `new`, at any depth (unchanged if none)."""
    if not old:
        return nav
    for start in range(len(nav) - len(old) + 1):
        if nav[start : start + len(old)] == old:
            return [*nav[:start], *new, *nav[start + len(old) :]]
    replaced = []
    for entry in nav:
        if isinstance(entry, dict) and len(entry) == 1:
            ((title, children),) = entry.items()
            if isinstance(children, list):
                entry = {title: _replace_run(children, old, new)}
        replaced.append(entry)
    return replaced
