"""Every artifact the SSOT produces, rendered in memory (pure: no disk access here).

Whole files are rendered from the facts alone; a Markdown file that hosts named blocks is rendered from
the facts and its current text, of which only the insides of its blocks change.
"""

from __future__ import annotations

from collections.abc import Callable

from compiler.facts import Facts, example_file
from compiler.markers import find_blocks, is_yaml, replace_blocks
from compiler.render.blocks import BLOCKS
from compiler.render.diagram import render_diagram_svg
from compiler.render.env_page import PAGE_PATH, render_env_page
from compiler.render.pages import (
    DECISIONS_PAGE,
    DIAGRAM_IMAGE,
    DIAGRAM_PAGE,
    LAYERS_PAGE,
    VARIABLES_PAGE,
    environment_page,
    render_decisions_page,
    render_diagram_page,
    render_environment_page,
    render_layers_page,
    render_nav_block,
    render_variables_page,
)
from compiler.render.schema import SCHEMA_PATH, render_schema
from compiler.render.tfvars import render_tfvars_example

SSOT_PATH = "ssot/env.yaml"


def render_generated_files(facts: Facts) -> dict[str, str]:
    """Path (relative to the root) -> content, for every file generated whole."""
    files = {PAGE_PATH: render_env_page(facts)}
    files.update(render_site_pages(facts))
    for env in facts.environments:
        files[example_file(env.name)] = render_tfvars_example(facts, env)
    files[SCHEMA_PATH] = render_schema()
    return files


def render_site_pages(facts: Facts) -> dict[str, str]:
    """The docs pages generated whole, besides the environment model page (and the diagram they show)."""
    pages = {
        LAYERS_PAGE: render_layers_page(facts),
        **{environment_page(env.name): render_environment_page(facts, env) for env in facts.environments},
        VARIABLES_PAGE: render_variables_page(facts),
        DECISIONS_PAGE: render_decisions_page(facts),
        DIAGRAM_PAGE: render_diagram_page(facts),
        DIAGRAM_IMAGE: render_diagram_svg(facts),
    }
    return pages


def blocks_for(filename: str) -> dict[str, Callable[[Facts], str]]:
    """The block names a file may hold: the nav in YAML (mkdocs.yml), the fact blocks in Markdown."""
    return YAML_BLOCKS if is_yaml(filename) else BLOCKS


def render_block_host(facts: Facts, text: str, filename: str) -> str | None:
    """`text` with every named block brought up to date; None if it has no block.

    Raises SsotError on broken markers.
    """
    known = blocks_for(filename)
    blocks = find_blocks(text, filename, known)
    if not blocks:
        return None
    return replace_blocks(text, blocks, {b.name: known[b.name](facts) for b in blocks}, yaml=is_yaml(filename))


YAML_BLOCKS: dict[str, Callable[[Facts], str]] = {"nav": render_nav_block}
