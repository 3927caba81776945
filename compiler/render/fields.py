"""The `ssot-fields` block: every key ssot/env.yaml may hold, with its type, default and description.

Generated from the model's JSON Schema (the same one ssot/env.schema.json holds), so the manual's field
reference is always the model's: a field added, renamed or redescribed in compiler/core/model.py or
compiler/core/layout_settings.py changes the block, and `ssot check` reports a page that lags behind.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from compiler.core.facts import Facts
from compiler.render.markdown import code, inline, render_table
from compiler.render.schema import model_schema

Schema = Mapping[str, Any]

#: what a mapping's key stands for, by the mapping's own key (anything else: <key>)
_KEY_NAMES = {"layers": "<layer>", "environments": "<env>", "variables": "<name>", "values": "<variable>"}
_KEYS_BELOW = "mapping (keys below)"
_CODE_SPAN = re.compile(r"(`[^`]*`)")
#: a word holding a placeholder (TF_VAR_<name>) or ending in `_` (TF_VAR_), which formatters escape
_PLACEHOLDER = re.compile(r"[^\s`(]*(?:<[^<>\s`]+>[^\s`,;:)]*|[A-Za-z0-9]_(?=[\s,;:.)]|$))")
_SCALARS = {"string": "text", "integer": "integer", "number": "number", "boolean": "true or false", "null": "null"}


def render_fields_block(facts: Facts) -> str:
    """The field table (the same for every SSOT: the facts are not used)."""
    return _fields_table()


@functools.cache  # the model is fixed for the process
def _fields_table() -> str:
    schema = model_schema()
    rows = [
        [code(path), type_name, default, inline(_placeholders_as_code(" ".join(description.split())))]
        for path, type_name, default, description in _rows(schema, schema, "")
    ]
    return render_table(["Key", "Type", "Default", "What it is"], rows)


def _placeholders_as_code(text: str) -> str:
    """A docstring's `TF_VAR_<name>` or `TF_VAR_` outside backticks as code: shown as written, not as an
    HTML tag or an escape that Markdown tools would each read their own way."""
    parts = _CODE_SPAN.split(text)
    return "".join(
        part if index % 2 else _PLACEHOLDER.sub(lambda m: code(m.group()), part) for index, part in enumerate(parts)
    )


def _rows(root: Schema, node: Schema, prefix: str) -> Iterator[tuple[str, str, str, str]]:
    required = set(node.get("required", ()))
    for name, field in node.get("properties", {}).items():
        path = f"{prefix}{name}"
        default = "required" if name in required else _default(field)
        yield path, _type(root, field), default, str(field.get("description", ""))
        for suffix, inner in _nested(root, field, name):
            yield from _rows(root, inner, f"{path}{suffix}.")


def _resolve(root: Schema, node: Schema) -> Schema:
    reference = node.get("$ref")
    if isinstance(reference, str):
        return root["$defs"][reference.rsplit("/", 1)[-1]]  # type: ignore[no-any-return]
    return node


def _nested(root: Schema, field: Schema, name: str) -> Iterator[tuple[str, Schema]]:
    """The mappings of named keys below a field, each with the path suffix that reaches it."""
    for option in field.get("anyOf", [field]):
        option = _resolve(root, option)
        if "properties" in option:
            yield "", option
        items = option.get("items")
        if isinstance(items, Mapping) and "properties" in _resolve(root, items):
            yield "[]", _resolve(root, items)
        values = option.get("additionalProperties")
        if isinstance(values, Mapping) and "properties" in _resolve(root, values):
            yield f".{_KEY_NAMES.get(name, '<key>')}", _resolve(root, values)


def _type(root: Schema, node: Schema, depth: int = 0) -> str:
    node = _resolve(root, node)
    if depth > 3:
        return "any value"
    if "enum" in node:
        return " or ".join(code(str(value)) for value in node["enum"])
    if "const" in node:
        return code(str(node["const"]))
    options = node.get("anyOf") or node.get("oneOf")
    if options:
        names = [_type(root, option, depth + 1) for option in options if option.get("type") != "null"]
        return " or ".join(dict.fromkeys(names))
    kind = node.get("type")
    if kind == "array":
        items = node.get("items")
        return f"list of {_type(root, items, depth + 1)}" if isinstance(items, Mapping) else "list"
    if kind == "object":
        if "properties" in node:
            return _KEYS_BELOW
        values = node.get("additionalProperties")
        if isinstance(values, Mapping):
            inner = _type(root, values, depth + 1)
            return "mapping: each name to the keys below" if inner == _KEYS_BELOW else f"mapping of name to {inner}"
        return "mapping"
    if isinstance(kind, str):
        return _SCALARS.get(kind, kind)
    return "any value"


def _default(field: Schema) -> str:
    if "default" not in field or field["default"] in (None, [], {}):
        return "-"
    return code(json.dumps(field["default"], ensure_ascii=False, separators=(", ", ": ")))
