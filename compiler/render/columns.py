"""Table blocks whose columns a page chooses: `<!-- ssot:begin layers columns="id=Layer,name=Nom" -->`.

A table block declares its fields once (a default header label and a cell renderer each) and the columns
it shows when its marker names none. A page may name other fields, in its own order, with its own header
labels (in any language), so that a team's existing table becomes generated as it reads today. A block
that is a list by default (tfvars-files) becomes a table when its marker names columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Generic, NamedTuple, TypeVar

from compiler.core.facts import Facts
from compiler.formats.marker_options import Columns
from compiler.render.markdown import render_table

Row = TypeVar("Row")


class Column(NamedTuple, Generic[Row]):
    label: str
    cell: Callable[[Row], str]


class TableBlock(NamedTuple, Generic[Row]):
    """A block's fields (in the order they are listed to a page's author) and its rows."""

    rows: Callable[[Facts], Iterable[Row]]
    columns: Mapping[str, Column[Row]]
    #: the fields shown when the marker names none
    default: tuple[str, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.columns)

    def render(self, facts: Facts, chosen: Columns = ()) -> str:
        """The table of the `chosen` (field, label) columns, else of the default ones, with default labels.

        The fields are the registry's to check before (compiler/formats/blocks.py reports an unknown one).
        """
        shown = chosen or tuple((field, None) for field in self.default)
        header = [label or self.columns[field].label for field, label in shown]
        cells = [self.columns[field].cell for field, _ in shown]
        return render_table(header, [[cell(row) for cell in cells] for row in self.rows(facts)])
