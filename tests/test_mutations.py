"""A campaign of single-fact mutations of every generated artifact, and of formatter rewrites of them all.

The example repository is copied and read once; each case changes one file's text the way a person would
(a row deleted, two rows swapped, a cell changed, a tfvars attribute deleted, a schema value changed, a
line of text deleted) and runs the drift check on that reading (compiler/checks/drift.py, in-process).
Each must come out as exactly one finding, at the exact line, with its code and expected/found. Then what
formatters and editors do (HTML entities for a pipe, a byte-order mark, mdformat and prettier re-wrapping
prose) must come out as no finding at all.

The cases are enumerated from the fixture's own artifacts, so they grow with it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mdformat
import pytest
from conftest import FIXTURE_REPO, REPO_ROOT, copy_repository

from compiler.app.engine import build
from compiler.artifacts.plan import plan
from compiler.checks.drift import check_artifacts
from compiler.core.facts import Facts
from compiler.findings import Finding
from compiler.formats.blocks import find_blocks
from compiler.formats.hcl import parse_tfvars
from compiler.formats.markdown import Table, normal_cell, read_markdown, split_row
from compiler.io.repository import read_repository
from compiler.io.snapshot import Snapshot

pytestmark = pytest.mark.long  # started first (conftest.py)

PRETTIER = REPO_ROOT / "node_modules" / ".bin" / "prettier"
SCHEMA = "ssot/env.schema.json"


@dataclasses.dataclass(frozen=True)
class Reading:
    facts: Facts
    snapshot: Snapshot
    #: generated whole (True) or a host of generated blocks (False), for every Markdown artifact
    markdown: dict[str, bool]


def _read(root: Path) -> Reading:
    facts, snapshot = read_repository(root)
    markdown = {a.path: not a.blocks for a in plan(facts, snapshot.files, snapshot.orphans) if a.path.endswith(".md")}
    return Reading(facts, snapshot, markdown)


@pytest.fixture(scope="module")
def reading(tmp_path_factory: pytest.TempPathFactory) -> Reading:
    reading = _read(copy_repository(tmp_path_factory.mktemp("repo")))
    assert check_artifacts(reading.facts, reading.snapshot) == [], "the example repository must agree first"
    return reading


def findings_with(reading: Reading, changed: dict[str, str]) -> list[Finding]:
    """The drift findings when the files in `changed` hold the given texts instead."""
    snapshot = reading.snapshot._replace(files={**reading.snapshot.files, **changed})
    return check_artifacts(reading.facts, snapshot)


def _fixture_text(path: str) -> str:
    return (FIXTURE_REPO / path).read_bytes().decode("utf-8")


def _markdown_paths() -> dict[str, bool]:
    return _read(FIXTURE_REPO).markdown


# --- enumerating the generated tables of the fixture ---------------------------------------------------


def _generated_tables() -> Iterator[tuple[str, Table]]:
    """(path, table) for every table `ssot build` writes: in generated pages, and inside blocks."""
    for path, whole in sorted(_markdown_paths().items()):
        text = _fixture_text(path)
        ranges = [range(1, len(text.split("\n")) + 1)]
        if not whole:
            ranges = [range(b.begin_line + 1, b.end_line) for b in find_blocks(text, path, None)]
        for table in read_markdown(text).tables:
            if any(table.header_line in r for r in ranges):
                yield path, table


TABLES = list(_generated_tables())
ROWS = [(path, table, i) for path, table in TABLES for i in range(len(table.rows))]


def _id(path: str, table: Table, row: int, *more: object) -> str:
    return "-".join(str(part) for part in (path, table.header_line, row, *more))


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _single(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, "\n".join(str(f) for f in findings)
    return findings[0]


@pytest.mark.parametrize(("path", "table", "row"), ROWS, ids=[_id(*case) for case in ROWS])
def test_a_deleted_row_is_missing_where_it_was(reading: Reading, path: str, table: Table, row: int) -> None:
    line = table.row_lines[row]
    lines = _lines(_fixture_text(path))
    del lines[line - 1]

    finding = _single(findings_with(reading, {path: "\n".join(lines)}))

    assert (finding.code, finding.file, finding.line) == ("table-row-missing", path, line)
    assert finding.message.endswith("is missing") and (finding.expected, finding.found) == (None, None)


SWAPS = [
    (path, table, i) for path, table in TABLES for i in range(len(table.rows) - 1) if table.rows[i] != table.rows[i + 1]
]


@pytest.mark.parametrize(("path", "table", "row"), SWAPS, ids=[_id(*case) for case in SWAPS])
def test_swapped_rows_are_out_of_order_at_the_first_of_them(
    reading: Reading, path: str, table: Table, row: int
) -> None:
    upper, lower = table.row_lines[row], table.row_lines[row + 1]
    lines = _lines(_fixture_text(path))
    lines[upper - 1], lines[lower - 1] = lines[lower - 1], lines[upper - 1]

    finding = _single(findings_with(reading, {path: "\n".join(lines)}))

    assert (finding.code, finding.file, finding.line) == ("table-row-order", path, upper)
    assert finding.expected is not None and finding.found is not None
    assert finding.found.split(", ") == list(reversed(finding.expected.split(", "))), finding


#: the key columns (one or two) of every row, and every column of each table's first row
CELLS = [
    (path, table, row, column)
    for path, table, row in ROWS
    for column in range(len(table.header))
    if column < 2 or row == 0
]


def _changed_cell(line: str, column: int) -> str:
    """`line` (a table row) with one more character at the end of the text of cell `column`."""
    cells = re.split(r"(?<!\\)\|", line)
    # a row written with outer pipes has an empty first piece
    index = column + 1 if line.lstrip().startswith("|") else column
    text = cells[index].rstrip()
    cells[index] = text + "Z" + " " * (len(cells[index]) - len(text) - 1 if len(cells[index]) > len(text) else 0)
    return "|".join(cells)


@pytest.mark.parametrize(("path", "table", "row", "column"), CELLS, ids=[_id(*case) for case in CELLS])
def test_a_changed_cell_is_that_cell_at_its_row_even_in_a_key_column(
    reading: Reading, path: str, table: Table, row: int, column: int
) -> None:
    line = table.row_lines[row]
    lines = _lines(_fixture_text(path))
    lines[line - 1] = _changed_cell(lines[line - 1], column)

    finding = _single(findings_with(reading, {path: "\n".join(lines)}))

    assert (finding.code, finding.file, finding.line) == ("table-cell", path, line)
    assert (finding.expected, finding.found) == (
        table.rows[row][column],
        normal_cell(split_row(lines[line - 1])[column]),
    )


# --- tfvars examples -----------------------------------------------------------------------------------


ATTRIBUTES = [
    (path, name, line)
    for path in ("envs/staging.tfvars.example", "envs/prod.tfvars.example")
    for name, (line, _) in parse_tfvars(_fixture_text(path), path).items()
]


@pytest.mark.parametrize(("path", "name", "line"), ATTRIBUTES, ids=[f"{p}-{n}" for p, n, _ in ATTRIBUTES])
def test_a_deleted_tfvars_attribute_is_missing_where_it_belongs(
    reading: Reading, path: str, name: str, line: int
) -> None:
    lines = _lines(_fixture_text(path))
    expected = lines[line - 1].split("=", 1)[1].strip()
    del lines[line - 1]

    finding = _single(findings_with(reading, {path: "\n".join(lines)}))

    assert (finding.code, finding.file, finding.line) == ("tfvars-example-missing", path, line)
    assert (finding.expected, finding.found) == (expected, None)


# --- the JSON Schema -----------------------------------------------------------------------------------


_SCALAR = re.compile(r'(?<=: )("(?:[^"\\]|\\.)*"|true|false|-?\d+)(?=,?$)', re.MULTILINE)
SCALARS = [(m.start(), m.group()) for m in _SCALAR.finditer(_fixture_text(SCHEMA))]


def _differences(have: Any, want: Any, at: str = "") -> Iterator[tuple[str, Any, Any]]:
    if isinstance(have, dict) and isinstance(want, dict) and have.keys() == want.keys():
        for key in want:
            yield from _differences(have[key], want[key], f"{at}/{key.replace('~', '~0').replace('/', '~1')}")
    elif isinstance(have, list) and isinstance(want, list) and len(have) == len(want):
        for index, (a, b) in enumerate(zip(have, want)):
            yield from _differences(a, b, f"{at}/{index}")
    elif have != want or type(have) is not type(want):
        yield at, want, have


def _other(value: str) -> str:
    if value.startswith('"'):
        return value[:-1] + 'Z"'
    return {"true": "false", "false": "true"}.get(value, str(int(value) + 1) if value.lstrip("-").isdigit() else value)


@pytest.mark.parametrize(("offset", "value"), SCALARS, ids=[str(offset) for offset, _ in SCALARS])
def test_a_changed_schema_value_is_found_at_its_line_with_its_pointer(
    reading: Reading, offset: int, value: str
) -> None:
    original = _fixture_text(SCHEMA)
    text = original[:offset] + _other(value) + original[offset + len(value) :]
    ((pointer, wanted, found),) = list(_differences(json.loads(text), json.loads(original)))

    finding = _single(findings_with(reading, {SCHEMA: text}))

    assert (finding.code, finding.file, finding.line) == ("json-value", SCHEMA, original.count("\n", 0, offset) + 1)
    assert finding.message.startswith(f"'{pointer}': expected ")
    assert (finding.expected, finding.found) == (
        json.dumps(wanted, ensure_ascii=False),
        json.dumps(found, ensure_ascii=False),
    )


# --- text deleted just before a table ------------------------------------------------------------------


def _text_before_tables() -> Iterator[tuple[str, int]]:
    """(path, line) of every line of text that stands just before a generated table (blank lines aside)."""
    for path, table in TABLES:
        lines = _lines(_fixture_text(path))
        line = table.header_line - 1
        while line > 0 and not lines[line - 1].strip():
            line -= 1
        text = lines[line - 1]
        # (a heading is no text, and a deleted closing fence turns the table into code: more than text)
        if line > 0 and not text.lstrip().startswith(("#", "<!--", "|", "///", "```", "~~~")):
            yield path, line


BEFORE_TABLES = sorted(set(_text_before_tables()))


@pytest.mark.parametrize(("path", "line"), BEFORE_TABLES, ids=[f"{p}-{n}" for p, n in BEFORE_TABLES])
def test_text_deleted_just_before_a_table_is_drift_at_its_place(reading: Reading, path: str, line: int) -> None:
    lines = _lines(_fixture_text(path))
    deleted = lines.pop(line - 1)

    finding = _single(findings_with(reading, {path: "\n".join(lines)}))

    assert (finding.code, finding.file, finding.line) == ("text-drift", path, line)
    assert f"\n+{deleted.strip()}" in finding.diff or f"+{deleted}\n" in finding.diff, finding.diff


# --- formatting is never drift -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def piped(tmp_path_factory: pytest.TempPathFactory) -> Reading:
    """The example repository with a pipe in a layer's components, so that tables hold an escaped pipe."""
    root = copy_repository(tmp_path_factory.mktemp("piped"))
    ssot = root / "ssot/env.yaml"
    text = ssot.read_text(encoding="utf-8")
    assert text.count("components: [Vault, ") == 1
    ssot.write_text(text.replace("components: [Vault, ", "components: [Vault | HA, "), encoding="utf-8")
    build(root)
    reading = _read(root)
    assert any("Vault \\| HA" in (reading.snapshot.files[p] or "") for p in reading.markdown)
    return reading


@pytest.mark.parametrize("spelling", ["&#124;", "&#x7C;", "&#X7c;", "&vert;", "&verbar;", "&VerticalLine;"])
def test_a_pipe_spelled_as_an_entity_is_no_drift(piped: Reading, spelling: str) -> None:
    changed = {
        path: text.replace("Vault \\| HA", f"Vault {spelling} HA")
        for path in piped.markdown
        if (text := piped.snapshot.files[path]) is not None and "Vault \\| HA" in text
    }
    assert len(changed) >= 3

    assert findings_with(piped, changed) == []


def test_an_entity_inside_code_is_text_as_written_so_drift(piped: Reading) -> None:
    path = "docs/ssot/env.md"
    text = piped.snapshot.files[path] or ""
    assert "`data-<env>`" in text

    findings = findings_with(piped, {path: text.replace("`data-<env>`", "`data-&lt;env&gt;`", 1)})

    assert [f.code for f in findings] == ["table-cell"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param("(Singleton)", "&#40;Singleton&#41;", id="numeric-entities"),
        pytest.param("(Singleton)", "\\(Singleton\\)", id="backslash-escapes"),
        pytest.param("K3s Cluster", "K3s&#32;Cluster", id="space-entity"),
        pytest.param("DNS/Cert", "DNS&sol;Cert", id="named-entity"),
    ],
)
def test_other_characters_spelled_otherwise_are_no_drift(reading: Reading, old: str, new: str) -> None:
    changed = {
        path: text.replace(old, new)
        for path in reading.markdown
        if (text := reading.snapshot.files[path]) is not None and old in text
    }
    assert changed

    assert findings_with(reading, changed) == []


def test_a_byte_order_mark_on_every_markdown_file_and_the_schema_is_no_drift(reading: Reading) -> None:
    changed = {path: "\ufeff" + (reading.snapshot.files[path] or "") for path in [*reading.markdown, SCHEMA]}

    assert findings_with(reading, changed) == []


@pytest.mark.parametrize("wrap", [60, "no", "keep"])
def test_mdformat_rewrapping_prose_is_no_drift(reading: Reading, wrap: int | str) -> None:
    changed = {
        path: mdformat.text(text, options={"wrap": wrap}, extensions={"tables"})
        for path in reading.markdown
        if (text := reading.snapshot.files[path]) is not None
    }
    assert sum(changed[p] != reading.snapshot.files[p] for p in changed) >= 5, "mdformat changed nothing"

    assert findings_with(reading, changed) == []


@pytest.mark.parametrize("wrap", ["always", "never"])
def test_prettier_rewrapping_prose_is_no_drift(reading: Reading, tmp_path: Path, wrap: str) -> None:
    if not PRETTIER.exists():
        if os.environ.get("CI"):
            pytest.fail("prettier is not installed; .ci/run (make test) installs it with npm ci")
        pytest.skip("prettier is not installed (make test installs it with npm ci)")
    for path in reading.markdown:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(reading.snapshot.files[path] or "", encoding="utf-8")
    subprocess.run(
        [str(PRETTIER), f"--prose-wrap={wrap}", "--write", *reading.markdown],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    changed = {path: (tmp_path / path).read_text(encoding="utf-8") for path in reading.markdown}
    assert sum(changed[p] != reading.snapshot.files[p] for p in changed) >= 5, "prettier changed nothing"

    assert findings_with(reading, changed) == []


def test_a_real_change_inside_a_rewrapped_paragraph_is_found_at_its_line(reading: Reading) -> None:
    path = "docs/ssot/env.md"
    wrapped = mdformat.text(reading.snapshot.files[path] or "", options={"wrap": 40}, extensions={"tables"})
    lines = _lines(wrapped)
    # the second line of a paragraph mdformat wrapped at 40 columns
    line = next(n for n, text in enumerate(lines, start=1) if "platform domains never do" in text)
    assert lines[line - 2].startswith("Business domains")
    lines[line - 1] = lines[line - 1].replace("never", "always")

    finding = _single(findings_with(reading, {path: "\n".join(lines)}))

    assert (finding.code, finding.line) == ("text-drift", line)


def _text_lines() -> Iterator[tuple[str, int]]:
    """(path, line) of every line of generated text that is not a heading, table, marker or fence."""
    for path, whole in sorted(_markdown_paths().items()):
        text = _fixture_text(path)
        lines = _lines(text)
        ranges = [range(1, len(lines) + 1)]
        if not whole:
            ranges = [range(b.begin_line + 1, b.end_line) for b in find_blocks(text, path, None)]
        for number in (n for r in ranges for n in r):
            line = lines[number - 1].lstrip()
            if line and not line.startswith(("#", "|", "<!--", "///", "```", "~~~")):
                yield path, number


TEXT_LINES = list(_text_lines())


@pytest.mark.parametrize("change", ["deleted", "word-added"])
@pytest.mark.parametrize(("path", "line"), TEXT_LINES, ids=[f"{p}-{n}" for p, n in TEXT_LINES])
def test_a_changed_line_of_text_is_drift_at_its_line(reading: Reading, path: str, line: int, change: str) -> None:
    lines = _lines(_fixture_text(path))
    if change == "deleted":
        del lines[line - 1]
    else:
        lines[line - 1] += " Zebra"

    finding = _single(findings_with(reading, {path: "\n".join(lines)}))

    assert (finding.code, finding.file, finding.line) == ("text-drift", path, line)


def test_the_campaign_covers_what_it_says() -> None:
    # a campaign over nothing proves nothing: the fixture has tables in pages and in blocks, a matrix
    # with a two-column key, text right before tables, tfvars attributes and schema values of each kind
    assert {path for path, _ in TABLES} >= {"envs/README.md", "docs/ssot/env.md"}
    assert any(t.header[:2] == ("Layer", "Environment") for _, t in TABLES)
    assert len(ROWS) > 30 and len(SWAPS) > 20 and len(CELLS) > 150
    assert len(BEFORE_TABLES) >= 3 and len(TEXT_LINES) > 50 and len(ATTRIBUTES) == 8
    assert {v[0] for _, v in SCALARS} >= {'"', "t", "f"} and any(v[0].isdigit() for _, v in SCALARS)
