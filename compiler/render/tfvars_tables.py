"""The tfvars blocks as tables, for a page whose marker names their columns (compiler/render/columns.py).

By default `tfvars-files` and `tfvars-content` are lists (compiler/render/blocks.py); a team whose README
keeps them as tables (`| Fichier | Modèle |`) names the columns, and gets a table of the same facts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from compiler.core.facts import Facts
from compiler.core.model import TfvarsValue, Variable
from compiler.render.blocks import files_setting, value_range
from compiler.render.columns import Column, TableBlock
from compiler.render.markdown import code, inline, required_text
from compiler.render.tfvars import hcl_value
from compiler.render.trace import sourced


class _FileRow(NamedTuple):
    #: the environment it is for; None for a file every environment shares
    env: str | None
    file: str
    example: str | None
    feeds: tuple[str, ...]


def _file_rows(facts: Facts) -> list[_FileRow]:
    rows = [
        _FileRow(env.name, file.var_file, file.example_file, file.files.feeds)
        for env in facts.environments
        for file in env.tfvars_files
    ]
    rows += [_FileRow(None, s.files.file, s.files.example, s.files.feeds) for s in facts.shared_tfvars]
    return rows


def _env_cell(row: _FileRow) -> str:
    return "all (shared)" if row.env is None else sourced(row.env, "environments", row.env)


TFVARS_FILES_TABLE = TableBlock(
    rows=_file_rows,
    columns={
        "environment": Column("Environment", _env_cell),
        "file": Column("File", lambda row: code(row.file)),
        "example": Column("Template", lambda row: code(row.example) if row.example else ""),
        "layers": Column("Read by", lambda row: ", ".join(row.feeds)),
    },
    # without columns the block is the list of compiler/render/blocks.py (the registry renders that)
    default=("environment", "file", "example", "layers"),
)


class _VariableRow(NamedTuple):
    name: str
    variable: Variable
    #: the shared file that sets it, and its value there; None when each environment's file does
    shared: tuple[str, TfvarsValue] | None
    #: the per-env files that set it, when the layout has several (compiler/render/blocks.py files_setting)
    files: tuple[str, ...]
    #: its value as the list block shows it: the one shared value, or the range across environments
    value: str


def _variable_rows(facts: Facts) -> list[_VariableRow]:
    shared = {name: (s.files.file, value) for s in facts.shared_tfvars for name, value in s.tfvars.items()}
    rows = []
    for name, variable in facts.ssot.variables.items():
        if variable.sensitive:  # never in a tfvars file, so never in what one should hold
            continue
        one = shared.get(name)
        value = hcl_value(one[1]) if one else value_range(name, facts.environments)
        rows.append(_VariableRow(name, variable, one, tuple(files_setting(facts, name)), value))
    return rows


def _set_in(row: _VariableRow) -> str:
    return code(row.shared[0]) if row.shared else ", ".join(code(f) for f in row.files)


def _variable_column(label: str, cell: Callable[[_VariableRow], str], *field: str) -> Column[_VariableRow]:
    return Column(label, lambda row: sourced(cell(row), "variables", row.name, *field))


TFVARS_CONTENT_TABLE = TableBlock(
    rows=_variable_rows,
    columns={
        "name": _variable_column("Variable", lambda row: code(row.name)),
        "value": _variable_column("Value", lambda row: code(row.value)),
        "type": _variable_column("Type", lambda row: row.variable.type, "type"),
        "description": _variable_column("Description", lambda row: inline(row.variable.description), "description"),
        "required": _variable_column("Required", lambda row: required_text(row.variable), "required"),
        "file": _variable_column("Set in", _set_in),
        "note": _variable_column("Note", lambda row: inline(row.variable.note or ""), "note"),
    },
    default=("name", "value", "description"),  # likewise: a list without columns
)
