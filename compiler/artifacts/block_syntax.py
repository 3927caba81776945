"""The blocks each kind of hand-written file may hold (`BLOCK_SYNTAXES`), what renders each, how they compare.

Where such files may live is the layout's `block_hosts`; the plan (compiler/artifacts/plan.py) brings the
insides of their blocks up to date.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from compiler.artifacts.comparators import compare_lines, compare_markdown_blocks, same_markdown
from compiler.artifacts.generated import Comparator
from compiler.core.facts import Facts
from compiler.formats.blocks import Block
from compiler.render.blocks import (
    LAYER_TABLE,
    render_decisions_block,
    render_isolation_block,
    render_layers_block,
    render_tfvars_content_block,
    render_tfvars_files_block,
)
from compiler.render.codes import CODES_TABLE, render_codes_block
from compiler.render.columns import TableBlock
from compiler.render.fields import render_fields_block
from compiler.render.pages import render_nav_block
from compiler.render.tfvars_tables import TFVARS_CONTENT_TABLE, TFVARS_FILES_TABLE


class BlockSyntax(NamedTuple):
    """How blocks are written in one kind of hand-written file, which blocks it may hold, how they compare."""

    suffixes: tuple[str, ...]
    blocks: Mapping[str, Callable[[Facts], str]]
    compare: Comparator
    #: the blocks that are tables whose columns a marker may name (`columns="..."`)
    tables: Mapping[str, TableBlock[Any]] = MappingProxyType({})
    #: whether a block's inside as found holds what it would be rendered as (then it is kept as written, so
    #: that `ssot build` and a formatter never undo each other); None: only the same text is the same
    same: Callable[[str, str], bool] | None = None

    @property
    def fields(self) -> dict[str, tuple[str, ...]]:
        """Each table block's name -> the fields a marker may name as its columns."""
        return {name: table.fields for name, table in self.tables.items()}

    def render(self, block: Block, facts: Facts) -> str:
        """The inside of `block`: in the columns its marker names, if it names some."""
        if block.columns:
            return self.tables[block.name].render(facts, block.columns)
        return self.blocks[block.name](facts)


#: Every block a Markdown file may hold, and what renders it (each a fact group of the seed's README).
MARKDOWN_BLOCKS: dict[str, Callable[[Facts], str]] = {
    "layers": render_layers_block,
    "isolation": render_isolation_block,
    "decisions": render_decisions_block,
    "tfvars-files": render_tfvars_files_block,
    "tfvars-content": render_tfvars_content_block,
    "finding-codes": render_codes_block,
    "ssot-fields": render_fields_block,
}
#: The Markdown blocks that are tables, or become tables, in the columns a marker names.
MARKDOWN_TABLES: dict[str, TableBlock[Any]] = {
    "layers": LAYER_TABLE,
    "tfvars-files": TFVARS_FILES_TABLE,
    "tfvars-content": TFVARS_CONTENT_TABLE,
    "finding-codes": CODES_TABLE,
}
#: The blocks of a YAML file: mkdocs.yml's nav.
YAML_BLOCKS: dict[str, Callable[[Facts], str]] = {"nav": render_nav_block}

BLOCK_SYNTAXES: tuple[BlockSyntax, ...] = (
    BlockSyntax((".md",), MARKDOWN_BLOCKS, compare_markdown_blocks, MARKDOWN_TABLES, same_markdown),
    # mkdocs.yml's nav: YAML lines, compared as lines
    BlockSyntax((".yml", ".yaml"), YAML_BLOCKS, compare_lines),
)


def block_syntax(path: str) -> BlockSyntax | None:
    return next((syntax for syntax in BLOCK_SYNTAXES if path.endswith(syntax.suffixes)), None)
