"""Options written in a begin marker: `<!-- ssot:begin layers columns="id=Layer,name=Nom" -->`.

After the block's name come `key="value"` pairs, separated by blanks; values are double-quoted and hold
no double quote. The one option is `columns`: the fields a table block shows, in order, each `field` or
`field=Label` (the label is the column's header, in any language; without one the field's default label
is used). Labels hold no comma. Which fields a block has is the renderer's business (the registry passes
them to `find_blocks`); this module reads the syntax only.
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: The options a begin marker may carry.
OPTIONS = ("columns",)

_OPTION = re.compile(r'\s+(?P<key>[A-Za-z_][A-Za-z0-9_-]*)="(?P<value>[^"]*)"')
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

#: (field, header label or None for the field's default label), in the order they are shown
Columns = tuple[tuple[str, str | None], ...]


class MarkerOptions(NamedTuple):
    columns: Columns = ()


class OptionError(ValueError):
    """What is wrong with a marker's options (the caller names the file and line)."""


def read_options(text: str) -> MarkerOptions:
    """The options written after a begin marker's name (`text` starts there). Raises OptionError."""
    found: dict[str, str] = {}
    position = 0
    rest = text.rstrip()
    while position < len(rest):
        match = _OPTION.match(rest, position)
        if match is None:
            raise OptionError(f'cannot read {rest[position:].strip()!r}; write options as key="value"')
        key = match["key"]
        if key not in OPTIONS:
            raise OptionError(f"unknown option {key!r}; options: {', '.join(OPTIONS)}")
        if key in found:
            raise OptionError(f"option {key!r} is given twice")
        found[key] = match["value"]
        position = match.end()
    return MarkerOptions(columns=read_columns(found["columns"]) if "columns" in found else ())


def read_columns(value: str) -> Columns:
    """`id=Layer, name, scope=Portée` -> (("id", "Layer"), ("name", None), ("scope", "Portée")). Raises OptionError."""
    columns: list[tuple[str, str | None]] = []
    for item in value.split(","):
        field, equals, label = (part.strip() for part in item.partition("="))
        if not field:
            raise OptionError(f'columns="{value}": an empty column; write field or field=Label, separated by commas')
        if _FIELD.fullmatch(field) is None:
            raise OptionError(f"columns: {field!r} is not a field name (letters, digits and _)")
        if equals and not label:
            raise OptionError(f"columns: {field}= has an empty label; write {field} alone for the default label")
        if any(field == seen for seen, _ in columns):
            raise OptionError(f"columns: {field!r} is named twice")
        columns.append((field, label or None))
    return tuple(columns)


def written(options: MarkerOptions) -> str:
    """The options as a marker carries them (`` or ` columns="..."`): for messages that show a marker."""
    if not options.columns:
        return ""
    items = ",".join(field if label is None else f"{field}={label}" for field, label in options.columns)
    return f' columns="{items}"'
