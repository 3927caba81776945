"""Provenance (issue 10, point 2): a finding on a generated value says where in ssot/env.yaml it comes from.

Renderers mark what they show (compiler/render/trace.py); a traced render must be the normal render to the
byte, and each finding's `source` must be the key path of the value that differs, at its line and column.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURE_REPO, RunCli, copy_repository, edit
from hypothesis import given, settings
from hypothesis import strategies as st
from test_render import _hostile_ssot

from compiler.artifacts.block_syntax import MARKDOWN_BLOCKS
from compiler.artifacts.registry import generated_files
from compiler.core.facts import Facts, compile_text
from compiler.formats.strict_yaml import load_yaml
from compiler.render.trace import Span, tracing, untrace

SSOT = "ssot/env.yaml"


def _renders(facts: Facts) -> dict[str, object]:
    """Every artifact and block renderer, as a thunk."""
    thunks: dict[str, object] = {name: (lambda r=render: r(facts)) for name, render in MARKDOWN_BLOCKS.items()}
    for artifact in generated_files(facts.layout):
        for env in facts.environments if artifact.per_environment else [None]:
            name = artifact.path.replace("{env}", env.name) if env else artifact.path
            thunks[name] = lambda a=artifact, e=env: a.render(facts, e)
    return thunks


@pytest.mark.parametrize("ssot", ["fixture", "hostile"])
def test_a_traced_render_is_the_normal_render_to_the_byte(ssot: str) -> None:
    text = (FIXTURE_REPO / SSOT).read_text(encoding="utf-8") if ssot == "fixture" else _hostile_ssot()
    facts = compile_text(text, SSOT)
    marked = 0
    for name, render in _renders(facts).items():
        normal = render()  # type: ignore[operator]
        with tracing() as paths:
            traced = render()  # type: ignore[operator]
        clean, spans = untrace(traced, paths)
        assert clean == normal, name
        marked += len(spans)
        for span in spans:  # each piece is within its line
            assert 0 <= span.start <= span.end <= len(clean.split("\n")[span.line - 1]), (name, span)
    assert marked > 50


def _position(path: str) -> tuple[int, int]:
    """Where the fixture's SSOT writes dotted `path`: its value, or its key for a mapping or a list."""
    loaded = load_yaml((FIXTURE_REPO / SSOT).read_text(encoding="utf-8"), SSOT)
    at = loaded.positions[tuple(int(part) if part.isdigit() else part for part in path.split("."))]
    return (at.line, at.col) if at.source is not None else (at.key_line, at.key_col)


#: (file, text in it, replacement, code, the key path the finding must name)
MUTATIONS = [
    ("envs/README.md", "Atlantis (`platform`)", "Atlantis (`apps`)", "table-cell", "layers.L2.atlantis_project"),
    ("envs/README.md", "| **Data**      |", "| **Storage**   |", "table-cell", "layers.L3.name"),
    ("envs/README.md", "single instance shared", "one instance shared", "text-drift", "isolation.shared"),
    ("envs/README.md", "Staging: `data-staging`, `apps-staging`", "Staging: `data-staging`, `apps-stg`",
     "text-drift", "layers.L4.namespace"),
    ("envs/README.md", "doubles/triples", "doubles", "text-drift", "decisions.0.rationale.0"),
    ("envs/staging.tfvars.example", '"x-staging"', '"y-staging"', "tfvars-example-value",
     "environments.staging.env_prefix"),
    ("envs/prod.tfvars.example", 'base_domain     = "example.com"', 'base_domain     = "example.org"',
     "tfvars-example-value", "environments.prod.base_domain"),
    ("docs/ssot/env.md", "| `apps/staging/terraform.tfstate` |", "| `apps/stg/terraform.tfstate`     |",
     "table-cell", "layers.L4"),
    ("docs/ssot/variables.md", "Apex domain that business", "Apex domain of business", "table-cell",
     "variables.base_domain.description"),
    ("docs/ssot/environments/prod.md", '| `""`', '| `"x"`', "table-cell", "environments.prod.env_prefix"),
    ("docs/ssot/layers.md", "| Namespace           | `data-<env>`", "| Namespace           | `db-<env>`  ",
     "table-cell", "layers.L3.namespace"),
    ("docs/ssot/environments/staging.md", "is not committed; start it", "is not committed; begin it",
     "text-drift", "environments.staging"),
    ("docs/ssot/environments/prod.md", "Domain for platform services", "Domain of platform services",
     "table-cell", "variables.internal_domain.description"),
]  # fmt: skip


@pytest.mark.parametrize(("file", "old", "new", "code", "path"), MUTATIONS, ids=[m[4] + "@" + m[0] for m in MUTATIONS])
def test_a_finding_on_a_generated_value_names_its_source(
    repo: Path, run_cli: RunCli, file: str, old: str, new: str, code: str, path: str
) -> None:
    edit(repo / file, old, new)

    result = run_cli("check", "--root", repo, "--format", "json")

    assert result.code == 1, result
    (finding,) = [f for f in json.loads(result.stdout)["findings"] if f["file"] == file]
    line, col = _position(path)
    assert finding["code"] == code, finding
    assert finding["source"] == {"file": SSOT, "line": line, "col": col, "path": path}, finding
    assert finding["message"].endswith(
        f"; it comes from {SSOT}:{line}:{col} ({path}): change it there, or run ssot build to restore it"
    ), finding


def test_a_missing_row_names_the_entry_it_comes_from(repo: Path, run_cli: RunCli) -> None:
    text = (repo / "envs/README.md").read_text(encoding="utf-8")
    row = next(line for line in text.split("\n") if line.startswith("| **L3** |"))
    edit(repo / "envs/README.md", row + "\n", "")

    result = run_cli("check", "--root", repo, "--format", "json")

    missing = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "table-row-missing"]
    line, col = _position("layers.L3")
    assert [f["source"] for f in missing] == [{"file": SSOT, "line": line, "col": col, "path": "layers.L3"}]


def test_the_source_follows_the_file_as_its_lines_move(repo: Path, run_cli: RunCli) -> None:
    """A comment added above the fact changes no artifact, but the finding names the fact's new line."""
    edit(repo / "envs/README.md", "Atlantis (`platform`)", "Atlantis (`apps`)")
    before = json.loads(run_cli("check", "--root", repo, "--format", "json").stdout)["findings"][0]["source"]
    edit(repo / SSOT, "layers:\n", "# one\n# two\nlayers:\n")

    after = json.loads(run_cli("check", "--root", repo, "--format", "json").stdout)["findings"]

    assert [f["file"] for f in after] == ["envs/README.md"]
    assert after[0]["source"] == {**before, "line": before["line"] + 2}


def test_a_finding_on_text_the_ssot_does_not_hold_has_no_source(repo: Path, run_cli: RunCli) -> None:
    edit(repo / "docs/ssot/env.md", "Where each layer lives", "Where every layer lives")

    result = run_cli("check", "--root", repo, "--format", "json")

    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["code"], finding["source"]) == ("text-drift", None), finding
    assert "it comes from" not in finding["message"]


def test_marker_like_characters_in_the_ssot_cost_the_source_not_the_check(repo: Path, run_cli: RunCli) -> None:
    """Text in the private-use planes the tracer marks with: the finding is still reported (maybe without
    a source), never a crash."""
    edit(repo / SSOT, "name: Platform", "name: Platform \U000f0fff\U0010fffd")
    assert run_cli("build", "--root", repo).code == 0
    edit(repo / "envs/README.md", "Atlantis (`platform`)", "Atlantis (`apps`)")

    result = run_cli("check", "--root", repo, "--format", "json")

    assert result.code == 1, result
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["table-cell"]


@pytest.mark.parametrize("file", ["envs/README.md", "docs/ssot/layers.md"])
def test_a_crlf_file_names_its_source_too(repo: Path, run_cli: RunCli, file: str) -> None:
    target = repo / file
    target.write_bytes(target.read_bytes().replace(b"\n", b"\r\n"))
    edit(target, "`data-<env>`", "`db-<env>`", count=target.read_text(encoding="utf-8").count("`data-<env>`"))

    result = run_cli("check", "--root", repo, "--format", "json")

    sources = {f["source"]["path"] for f in json.loads(result.stdout)["findings"] if f["source"]}
    assert result.code == 1, result
    assert sources and sources <= {"layers.L3.namespace", "layers.L3.atlantis_project", "layers.L3.components"}, sources


def test_every_changed_cell_that_shows_a_fact_names_its_source(tmp_path: Path) -> None:
    """Over the mutation campaign's cells (tests/test_mutations.py): all but labels, the finding codes and
    the fields of ssot/env.yaml (which come from the compiler, not from ssot/env.yaml)."""
    import test_mutations as campaign

    reading = campaign._read(copy_repository(tmp_path / "repo"))
    unsourced = []
    for path, table, row, column in campaign.CELLS:
        if table.name in ("Finding codes", "The fields of ssot/env.yaml") or table.header[column] in (
            "Property",
            "Kind",
        ):
            continue
        lines = campaign._lines(campaign._fixture_text(path))
        lines[table.row_lines[row] - 1] = campaign._changed_cell(lines[table.row_lines[row] - 1], column)
        finding = campaign._single(campaign.findings_with(reading, {path: "\n".join(lines)}))
        if finding.source is None:
            unsourced.append((path, table.name, table.header[column], finding.expected))
    assert unsourced == []


OPEN, CLOSE = 0xF0000, "\U0010fffd"  # the markers of compiler/render/trace.py


def _untrace_by_character(text: str, paths: list[Any]) -> tuple[str, list[Span]]:
    """untrace as first written, one character at a time: the oracle the run-at-a-time reading must match."""
    out: list[str] = []
    spans: list[Span] = []
    open_spans: list[tuple[int, int, int]] = []
    line, column = 1, 0
    for char in text:
        if char == CLOSE and open_spans:
            index, start_line, start = open_spans.pop()
            spans.append(Span(start_line, start, column, paths[index]))
            continue
        if OPEN <= ord(char) < OPEN + len(paths):
            open_spans.append((ord(char) - OPEN, line, column))
            continue
        out.append(char)
        if char == "\n":
            for position, (index, start_line, start) in enumerate(open_spans):
                spans.append(Span(start_line, start, column, paths[index]))
                open_spans[position] = (index, line + 1, 0)
            line, column = line + 1, 0
        else:
            column += 1
    return "".join(out), spans


@given(
    text=st.text(st.sampled_from(["a", "|", "\n", CLOSE, chr(OPEN), chr(OPEN + 1), chr(OPEN + 5), "\U000ffffd"])),
    count=st.integers(0, 4),
)
@settings(max_examples=300, deadline=None)
def test_untrace_reads_runs_of_text_as_it_read_characters(text: str, count: int) -> None:
    """Markers, markers no `sourced` wrote (more than there are paths, a close with nothing open), line
    breaks inside open pieces: the spans and the text are what a reading character by character gives."""
    paths = [("layers", f"L{n}") for n in range(count)]
    assert untrace(text, paths) == _untrace_by_character(text, paths)
