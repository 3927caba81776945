"""Every artifact the SSOT produces, rendered in memory (pure: no disk access here).

Whole files are rendered from the facts alone; a Markdown file that hosts named blocks is rendered from
the facts and its current text, of which only the insides of its blocks change.
"""

from __future__ import annotations

from compiler.facts import Facts, example_file
from compiler.markers import find_blocks, replace_blocks
from compiler.render.blocks import BLOCKS
from compiler.render.env_page import PAGE_PATH, render_env_page
from compiler.render.schema import SCHEMA_PATH, render_schema
from compiler.render.tfvars import render_tfvars_example

SSOT_PATH = "ssot/env.yaml"


def render_generated_files(facts: Facts) -> dict[str, str]:
    """Path (relative to the root) -> content, for every file generated whole."""
    files = {PAGE_PATH: render_env_page(facts)}
    for env in facts.environments:
        files[example_file(env.name)] = render_tfvars_example(facts, env)
    files[SCHEMA_PATH] = render_schema()
    return files


def render_block_host(facts: Facts, text: str, filename: str) -> str | None:
    """`text` with every named block brought up to date; None if it has no block.

    Raises SsotError on broken markers.
    """
    blocks = find_blocks(text, filename, BLOCKS)
    if not blocks:
        return None
    return replace_blocks(text, blocks, {b.name: BLOCKS[b.name](facts) for b in blocks})
