"""compiler/compare.py: every finding kind, produced from a real file in a repository copy.

Each test breaks one artifact of a `repo` copy the way a person or a tool would, and asserts the code, file,
line and exact message `ssot check` reports (through `compiler.check.check_repository`). The second half
shows that what Markdown formatters change is never drift, that `ssot build` brings back the canonical
bytes of the pages it owns whole, and keeps a block that holds the right content as it is written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import RunCli, edit, line_of

from compiler.app.engine import check_repository
from compiler.errors import SsotError
from compiler.findings import Finding

README = "envs/README.md"
PAGE = "docs/ssot/env.md"
INDEX = "docs/index.md"
STAGING_EXAMPLE = "envs/staging.tfvars.example"
PROD_EXAMPLE = "envs/prod.tfvars.example"
SCHEMA = "ssot/env.schema.json"

LAYERS_HEADER = "| Layer  | Name "
MATRIX_HEADER = "| Layer        | Environment "
L3_ROW = "| **L3** | **Data** "
L4_ROW = "| **L4** | **Apps** "


def _findings(repo: Path) -> list[Finding]:
    return check_repository(repo).findings


def _located(findings: list[Finding]) -> list[tuple[str, str, int, str]]:
    return [(f.code, f.file, f.line, f.message) for f in findings]


def _text(repo: Path, path: str) -> str:
    return (repo / path).read_bytes().decode("utf-8")


def _write(repo: Path, path: str, text: str) -> None:
    (repo / path).write_bytes(text.encode("utf-8"))


def _line_with(text: str, needle: str) -> str:
    """The one line of `text` that contains `needle` (without its ending)."""
    found = [line for line in text.split("\n") if needle in line]
    assert len(found) == 1, f"{needle!r} is on {len(found)} lines"
    return found[0]


def _delete_line(repo: Path, path: str, needle: str) -> None:
    edit(repo / path, _line_with(_text(repo, path), needle) + "\n", "")


def _swap_lines(repo: Path, path: str, first: str, second: str) -> None:
    """Swap two adjacent lines, `first` being the upper one."""
    text = _text(repo, path)
    upper, lower = _line_with(text, first), _line_with(text, second)
    edit(repo / path, f"{upper}\n{lower}\n", f"{lower}\n{upper}\n")


def _map_table(repo: Path, path: str, header: str, change: Callable[[list[str]], list[str]]) -> None:
    """Rewrite every line of the table whose header line starts with `header`, cell by cell."""
    lines = _text(repo, path).split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        cells = [cell.strip() for cell in lines[end].strip().strip("|").split("|")]
        lines[end] = "| " + " | ".join(change(cells)) + " |"
        end += 1
    _write(repo, path, "\n".join(lines))


def _swap_columns(first: int, second: int) -> Callable[[list[str]], list[str]]:
    def swap(cells: list[str]) -> list[str]:
        cells[first], cells[second] = cells[second], cells[first]
        return cells

    return swap


# --- tables, cell by cell ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "old", "new", "message"),
    [
        pytest.param(
            README,
            "Business databases in `data-<env>`     ",
            "Business databases in `db-<env>`       ",
            "table 'layers', row 'L3', column 'Description': "
            "expected 'Business databases in `data-<env>`', found 'Business databases in `db-<env>`'",
            id="readme-layers-block",
        ),
        pytest.param(
            INDEX,
            "| **Shared** (Singleton) | GitHub Actions          |",
            "| **Shared** (Singleton) | GitLab CI               |",
            "table 'layers', row 'L1', column 'Managed By': expected 'GitHub Actions', found 'GitLab CI'",
            id="index-layers-block",
        ),
        pytest.param(
            PAGE,
            "| `data/prod/terraform.tfstate`    |",
            "| `data/production/terraform.tfstate` |",
            "table 'Environment matrix', row 'L3 Data / Prod', column 'State key': "
            "expected '`data/prod/terraform.tfstate`', found '`data/production/terraform.tfstate`'",
            id="page-matrix-keyed-by-two-columns",
        ),
        pytest.param(
            PAGE,
            "| (empty)     |",
            "| `x-prod`    |",
            "table 'Domains', row 'Prod', column 'env_prefix': expected '(empty)', found '`x-prod`'",
            id="page-domains",
        ),
        pytest.param(
            README,
            "| **Data**      |",
            "| Data          |",
            "table 'layers', row 'L3', column 'Name': expected '**Data**', found 'Data'",
            id="emphasis-is-content",
        ),
    ],
)
def test_a_changed_cell_names_table_row_column_and_both_values(
    repo: Path, path: str, old: str, new: str, message: str
) -> None:
    edit(repo / path, old, new)
    line = line_of(_text(repo, path), new)

    findings = _findings(repo)

    assert _located(findings) == [("table-cell", path, line, message)]
    values = re.fullmatch(r".*: expected '(.*)', found '(.*)'", message)
    assert values is not None
    assert (findings[0].expected, findings[0].found) == values.groups()
    assert findings[0].fix == "run: ssot build"


def test_a_cell_emptied_at_the_end_of_a_short_row_is_found_empty(repo: Path) -> None:
    edit(repo / README, "| Vault, Dashboard, Kubero, Casdoor                     |\n", "|\n")
    line = line_of(_text(repo, README), "| **L2** |")

    findings = _findings(repo)

    assert _located(findings) == [
        (
            "table-cell",
            README,
            line,
            "table 'layers', row 'L2', column 'Description': expected 'Vault, Dashboard, Kubero, Casdoor', found ''",
        )
    ]
    assert findings[0].found == ""


@pytest.mark.parametrize(
    ("path", "row", "message"),
    [
        (README, "| **L2** |", "table 'layers': row 'L2' is missing"),
        (PAGE, "| L4 Apps      | Staging ", "table 'Environment matrix': row 'L4 Apps / Staging' is missing"),
    ],
)
def test_a_deleted_row_is_missing_at_the_line_where_it_belongs(repo: Path, path: str, row: str, message: str) -> None:
    line = line_of(_text(repo, path), row)
    _delete_line(repo, path, row)

    # the line the next row moved up to: where the missing one is to be put back
    assert _located(_findings(repo)) == [("table-row-missing", path, line, message)]


def test_an_added_row_is_extra_at_its_own_line(repo: Path) -> None:
    edit(repo / README, L4_ROW, "| **L5** | **Edge** | **Shared** (Singleton) | GitHub Actions | CDN |\n" + L4_ROW)
    line = line_of(_text(repo, README), "| **L5** |")

    assert _located(_findings(repo)) == [
        ("table-row-extra", README, line, "table 'layers': row 'L5' is not generated from ssot/env.yaml")
    ]


def test_a_row_whose_key_cell_changed_is_a_changed_cell_when_the_rest_agrees(repo: Path) -> None:
    edit(repo / PAGE, "| L4 Apps      | Prod         |", "| L4 Apps      | Production   |")
    text = _text(repo, PAGE)

    findings = _findings(repo)

    assert _located(findings) == [
        (
            "table-cell",
            PAGE,
            line_of(text, "| Production "),
            (
                "table 'Environment matrix', row 'L4 Apps / Prod', column 'Environment': "
                "expected 'Prod', found 'Production'"
            ),
        )
    ]
    assert (findings[0].expected, findings[0].found) == ("Prod", "Production")


def test_a_row_whose_key_and_another_cell_changed_is_missing_and_extra(repo: Path) -> None:
    edit(repo / PAGE, "| L4 Apps      | Prod         | `apps-prod` ", "| L4 Apps      | Production   | `apps-x`    ")
    text = _text(repo, PAGE)

    assert _located(_findings(repo)) == [
        (
            "table-row-missing",
            PAGE,
            line_of(text, "| Production "),
            "table 'Environment matrix': row 'L4 Apps / Prod' is missing",
        ),
        (
            "table-row-extra",
            PAGE,
            line_of(text, "| Production "),
            "table 'Environment matrix': row 'L4 Apps / Production' is not generated from ssot/env.yaml",
        ),
    ]


@pytest.mark.parametrize(
    ("path", "row"),
    [(README, "| **L2** |"), (PAGE, "| L3 Data      | Prod ")],
)
def test_a_duplicated_row_is_extra(repo: Path, path: str, row: str) -> None:
    line = _line_with(_text(repo, path), row)
    edit(repo / path, line + "\n", line + "\n" + line + "\n")

    findings = _findings(repo)

    assert [(f.code, f.file, f.line) for f in findings] == [
        ("table-row-extra", path, line_of(_text(repo, path), row) + 1)
    ]


@pytest.mark.parametrize(
    ("path", "upper", "lower", "expected", "found"),
    [
        (README, L3_ROW, L4_ROW, "L3, L4", "L4, L3"),
        (
            PAGE,
            "| L2 Platform  |",
            "| L3 Data      | Staging ",
            "L2 Platform / all (shared), L3 Data / Staging",
            "L3 Data / Staging, L2 Platform / all (shared)",
        ),
    ],
)
def test_swapped_rows_are_in_the_wrong_order_at_the_first_of_them(
    repo: Path, path: str, upper: str, lower: str, expected: str, found: str
) -> None:
    line = line_of(_text(repo, path), upper)
    _swap_lines(repo, path, upper, lower)
    table = "layers" if path == README else "Environment matrix"

    findings = _findings(repo)

    assert _located(findings) == [("table-row-order", path, line, f"table '{table}': rows in the wrong order")]
    assert (findings[0].expected, findings[0].found) == (expected, found)


def test_a_deleted_column_is_missing_and_the_other_cells_still_agree(repo: Path) -> None:
    _map_table(repo, README, LAYERS_HEADER, lambda cells: cells[:3] + cells[4:])

    assert _located(_findings(repo)) == [
        (
            "table-column-missing",
            README,
            line_of(_text(repo, README), "| Layer |"),
            "table 'layers': column 'Managed By' is missing",
        )
    ]


def test_an_added_column_is_extra(repo: Path) -> None:
    _map_table(
        repo,
        README,
        LAYERS_HEADER,
        lambda cells: [*cells, "Owner" if cells[0] == "Layer" else "---" if set(cells[0]) == {"-"} else "me"],
    )

    assert _located(_findings(repo)) == [
        (
            "table-column-extra",
            README,
            line_of(_text(repo, README), "| Layer |"),
            "table 'layers': column 'Owner' is not generated",
        )
    ]


def test_a_renamed_column_is_missing_under_its_old_name_and_extra_under_the_new(repo: Path) -> None:
    edit(repo / README, "| Managed By              |", "| Owner                   |")
    line = line_of(_text(repo, README), LAYERS_HEADER)

    assert _located(_findings(repo)) == [
        ("table-column-missing", README, line, "table 'layers': column 'Managed By' is missing"),
        ("table-column-extra", README, line, "table 'layers': column 'Owner' is not generated"),
    ]


def test_swapped_columns_are_in_the_wrong_order_and_cells_are_matched_by_column_name(repo: Path) -> None:
    _map_table(repo, README, LAYERS_HEADER, _swap_columns(2, 3))

    findings = _findings(repo)

    assert _located(findings) == [
        (
            "table-column-order",
            README,
            line_of(_text(repo, README), "| Layer |"),
            "table 'layers': columns in the wrong order",
        )
    ]
    assert findings[0].expected == "Layer, Name, Scope, Managed By, Description"
    assert findings[0].found == "Layer, Name, Managed By, Scope, Description"


def test_moving_the_key_column_is_only_a_column_order_finding(repo: Path) -> None:
    _map_table(repo, README, LAYERS_HEADER, _swap_columns(0, 1))

    findings = _findings(repo)

    assert [f.code for f in findings] == ["table-column-order"]
    assert findings[0].found == "Name, Layer, Scope, Managed By, Description"


def _drop_table(text: str, header: str) -> str:
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return "\n".join(lines[:start] + lines[end:])


@pytest.mark.parametrize(
    ("path", "header", "message"),
    [
        (README, LAYERS_HEADER, "table 'layers' is missing"),
        (PAGE, "| Environment | base_domain ", "table 'Domains' is missing"),
    ],
)
def test_a_deleted_table_is_missing(repo: Path, path: str, header: str, message: str) -> None:
    _write(repo, path, _drop_table(_text(repo, path), header))

    assert [(f.code, f.file, f.message) for f in _findings(repo)] == [("table-missing", path, message)]


@pytest.mark.parametrize(
    ("path", "header", "first", "last"),
    [
        (README, LAYERS_HEADER, "<!-- ssot:begin layers -->", "<!-- ssot:end layers -->"),
        (PAGE, "| Environment | base_domain ", "## Domains", "## tfvars contract"),
    ],
)
def test_a_missing_table_is_reported_where_it_belongs(
    repo: Path, path: str, header: str, first: str, last: str
) -> None:
    _write(repo, path, _drop_table(_text(repo, path), header))
    text = _text(repo, path)

    (finding,) = _findings(repo)

    assert line_of(text, first) <= finding.line <= line_of(text, last), finding


@pytest.mark.parametrize(
    ("path", "anchor", "name"),
    [
        (PAGE, "### Namespace vs Cluster Isolation\n", "Decisions"),
        (README, "\n<!-- ssot:end layers -->", "layers #2"),
    ],
)
def test_an_added_table_is_extra_at_its_header(repo: Path, path: str, anchor: str, name: str) -> None:
    table = "| Owner | Team |\n| ----- | ---- |\n| L2    | ops  |\n"
    edit(repo / path, anchor, table + "\n" + anchor if anchor.startswith("#") else "\n" + table + anchor)

    assert _located(_findings(repo)) == [
        (
            "table-extra",
            path,
            line_of(_text(repo, path), "| Owner | Team |"),
            f"table '{name}' is not generated from ssot/env.yaml",
        )
    ]


def test_an_escaped_pipe_stays_inside_its_cell(repo: Path, run_cli: RunCli) -> None:
    edit(repo / "ssot/env.yaml", "components: [Vault, Dashboard", "components: [Vault|HA, Dashboard")
    assert run_cli("build", "--root", repo).code == 0
    assert r"| Vault\|HA, Dashboard, Kubero, Casdoor " in _text(repo, README)
    assert _findings(repo) == []

    edit(repo / README, r"Vault\|HA, Dashboard", r"Vault\|HB, Dashboard")

    findings = _findings(repo)

    assert _located(findings) == [
        (
            "table-cell",
            README,
            line_of(_text(repo, README), "| **L2** |"),
            r"table 'layers', row 'L2', column 'Description': "
            + r"expected 'Vault\|HA, Dashboard, Kubero, Casdoor', found 'Vault\|HB, Dashboard, Kubero, Casdoor'",
        )
    ]


def test_inner_whitespace_runs_in_a_cell_are_formatting(repo: Path, run_cli: RunCli) -> None:
    original = _text(repo, README)
    edit(repo / README, "| Vault, Dashboard, Kubero, Casdoor    ", "|   Vault,   Dashboard,\tKubero,  Casdoor ")
    edited = _text(repo, README)
    assert edited != original

    assert _findings(repo) == []

    assert run_cli("build", "--root", repo).code == 0
    assert _text(repo, README) == edited  # the same content: build leaves the block as it is written


# --- lines that are not tables -------------------------------------------------------------------------


def test_a_changed_line_in_a_readme_block_is_text_drift_with_a_labelled_diff(repo: Path) -> None:
    edit(repo / README, "reduces maintenance burden.", "reduces the maintenance burden.")
    text = _text(repo, README)

    findings = _findings(repo)

    assert _located(findings) == [
        (
            "text-drift",
            README,
            line_of(text, "reduces the maintenance burden."),
            "text in block 'decisions' differs from what ssot/env.yaml generates",
        )
    ]
    assert findings[0].diff == (
        f"--- {README} (current)\n"
        f"+++ {README} (expected)\n"
        f"@@ line {line_of(text, '**Rationale**:')} @@\n"
        " **Rationale**:\n"
        " 1. **Cost Efficiency**: Running multiple K3s clusters doubles/triples infrastructure requirements.\n"
        "-2. **Operational Simplicity**: Managing one set of L1/L2 reduces the maintenance burden.\n"
        "+2. **Operational Simplicity**: Managing one set of L1/L2 reduces maintenance burden.\n"
        " 3. **Scale Appropriateness**: For this project size, separate physical clusters introduce unnecessary "
        "complexity.\n"
        " **Trade-offs**:\n"
    )
    assert (findings[0].expected, findings[0].found) == (None, None)


def test_a_changed_line_of_the_docs_page_is_text_drift_with_a_labelled_diff(repo: Path) -> None:
    edit(repo / PAGE, "Business domains carry the environment's", "Business domains take the environment's")
    text = _text(repo, PAGE)

    findings = _findings(repo)

    assert _located(findings) == [
        (
            "text-drift",
            PAGE,
            line_of(text, "Business domains take"),
            "text differs from what ssot/env.yaml generates",
        )
    ]
    assert findings[0].diff == (
        f"--- {PAGE} (current)\n"
        f"+++ {PAGE} (expected)\n"
        f"@@ line {line_of(text, MATRIX_HEADER)} @@\n"
        # a table keeps its place among the lines, shown by its header
        f" {_line_with(text, MATRIX_HEADER)}\n"
        " ## Domains\n"
        # a paragraph is compared as one (where it wraps is formatting), and shown whole
        "-Business domains take the environment's `env_prefix`; platform domains never do and live on\n"
        "-`internal_domain` (which defaults to `base_domain`).\n"
        "+Business domains carry the environment's `env_prefix`; platform domains never do and live on\n"
        "+`internal_domain` (which defaults to `base_domain`).\n"
        f" {_line_with(text, '| Environment | base_domain')}\n"
        " ## tfvars contract\n"
    )


def test_a_deleted_last_line_of_a_block_is_text_drift_at_the_line_where_it_was(repo: Path) -> None:
    line = line_of(_text(repo, README), "    - Prod: `data-prod`, `apps-prod`")
    edit(repo / README, "    - Prod: `data-prod`, `apps-prod`\n", "")

    findings = _findings(repo)

    assert _located(findings) == [
        (
            "text-drift",
            README,
            line,
            "text in block 'isolation' differs from what ssot/env.yaml generates",
        )
    ]
    assert findings[0].diff.endswith("\n+    - Prod: `data-prod`, `apps-prod`\n")


@pytest.mark.parametrize(
    ("old", "new", "block"),
    [
        pytest.param("*both*", "both", "decisions", id="emphasis-removed"),
        pytest.param("    - Staging: ", "- Staging: ", "isolation", id="item-un-nested"),
        pytest.param("- **Risk**", "1. **Risk**", "decisions", id="bullet-made-numbered"),
        pytest.param("- `envs/prod.tfvars`", "- envs/prod.tfvars", "tfvars-files", id="code-span-removed"),
    ],
)
def test_what_markdown_renders_differently_is_text_drift(repo: Path, old: str, new: str, block: str) -> None:
    edit(repo / README, old, new)

    assert _located(_findings(repo)) == [
        (
            "text-drift",
            README,
            line_of(_text(repo, README), new),
            f"text in block '{block}' differs from what ssot/env.yaml generates",
        )
    ]


# --- tfvars examples, attribute by attribute ------------------------------------------------------------


def test_a_changed_value_in_an_example_names_the_attribute_and_both_values(repo: Path) -> None:
    edit(repo / STAGING_EXAMPLE, 'base_domain     = "example.com"', 'base_domain     = "example.org"')

    findings = _findings(repo)

    assert _located(findings) == [
        (
            "tfvars-example-value",
            STAGING_EXAMPLE,
            line_of(_text(repo, STAGING_EXAMPLE), "example.org"),
            '\'base_domain\': expected "example.com", found "example.org"',
        )
    ]
    assert (findings[0].expected, findings[0].found) == ('"example.com"', '"example.org"')


def test_a_deleted_attribute_of_an_example_is_missing(repo: Path) -> None:
    edit(repo / STAGING_EXAMPLE, 'env_prefix      = "x-staging"\n', "")

    findings = _findings(repo)

    # reported on the line after the last attribute there is, where it belongs
    assert _located(findings) == [
        ("tfvars-example-missing", STAGING_EXAMPLE, 7, "'env_prefix' is missing; expected env_prefix = \"x-staging\"")
    ]
    assert (findings[0].expected, findings[0].found) == ('"x-staging"', None)


def test_an_added_attribute_of_an_example_is_extra(repo: Path) -> None:
    edit(repo / PROD_EXAMPLE, 'env_prefix      = ""\n', 'env_prefix      = ""\nregion = "eu-west-1"\n')

    assert _located(_findings(repo)) == [
        (
            "tfvars-example-extra",
            PROD_EXAMPLE,
            line_of(_text(repo, PROD_EXAMPLE), "region"),
            "'region' is not generated from ssot/env.yaml",
        )
    ]


def test_the_found_value_is_quoted_as_written(repo: Path) -> None:
    edit(repo / STAGING_EXAMPLE, '"x-staging"', '"x-  staging"')

    (finding,) = _findings(repo)

    assert finding.found == '"x-  staging"'


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda t: t.replace("environment     = ", "environment = "), id="alignment"),
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: t.replace(" = ", " =   ").replace("\n\n", "\n\n\n"), id="spacing-and-blank-lines"),
        pytest.param(lambda t: t.replace("\n", "  \n"), id="trailing-spaces"),
    ],
)
def test_a_reformatted_example_is_not_drift(repo: Path, run_cli: RunCli, change: Callable[[str], str]) -> None:
    original = _text(repo, STAGING_EXAMPLE)
    _write(repo, STAGING_EXAMPLE, change(original))
    assert _text(repo, STAGING_EXAMPLE) != original

    assert _findings(repo) == []

    assert run_cli("build", "--root", repo).code == 0
    # a generated file keeps its line endings: CRLF alone is nothing to rewrite
    assert _text(repo, STAGING_EXAMPLE) == (change(original) if "\r\n" in change(original) else original)


def test_a_changed_comment_in_an_example_is_a_stale_artifact_with_a_diff(repo: Path) -> None:
    edit(repo / STAGING_EXAMPLE, "copy it there and adjust", "copy it and adjust")
    text = _text(repo, STAGING_EXAMPLE)

    findings = _findings(repo)

    assert _located(findings) == [
        (
            "stale-artifact",
            STAGING_EXAMPLE,
            line_of(text, "copy it and adjust"),
            "differs from what ssot/env.yaml generates",
        )
    ]
    diff = findings[0].diff.splitlines()
    assert diff[:2] == [f"--- {STAGING_EXAMPLE} (current)", f"+++ {STAGING_EXAMPLE} (expected)"]
    assert [line for line in diff[2:] if line[:1] in "+-"] == [
        "-# Template for envs/staging.tfvars: copy it and adjust; real tfvars files stay out of git.",
        "+# Template for envs/staging.tfvars: copy it there and adjust; real tfvars files stay out of git.",
    ]


def test_a_changed_comment_in_a_crlf_example_is_located_and_diffed_like_in_an_lf_one(repo: Path) -> None:
    _write(repo, STAGING_EXAMPLE, _text(repo, STAGING_EXAMPLE).replace("\n", "\r\n"))
    edit(repo / STAGING_EXAMPLE, "copy it there and adjust", "copy it and adjust")

    (finding,) = _findings(repo)

    assert finding.line == 2
    assert len([line for line in finding.diff.splitlines()[2:] if line[:1] in "+-"]) == 2


# --- the JSON Schema, as JSON --------------------------------------------------------------------------


def test_a_changed_value_in_the_schema_is_found_at_its_line_with_its_pointer(repo: Path) -> None:
    edit(repo / SCHEMA, '"description": "What was decided."', '"description": "What was chosen."')

    findings = _findings(repo)

    assert _located(findings) == [
        (
            "json-value",
            SCHEMA,
            line_of(_text(repo, SCHEMA), "What was chosen."),
            (
                "'/$defs/Decision/properties/decision/description': expected \"What was decided.\", "
                'found "What was chosen."'
            ),
        )
    ]
    assert (findings[0].expected, findings[0].found) == ('"What was decided."', '"What was chosen."')


def test_a_missing_and_an_extra_key_in_the_schema(repo: Path) -> None:
    data = json.loads(_text(repo, SCHEMA))
    del data["$defs"]["Decision"]["properties"]["decision"]["description"]
    data["$defs"]["Decision"]["properties"]["decision"]["examples"] = ["x"]
    _write(repo, SCHEMA, json.dumps(data, indent=2))
    text = _text(repo, SCHEMA)

    assert _located(_findings(repo)) == [
        (
            "json-value",
            SCHEMA,
            line_of(text, '"decision": {'),
            "'/$defs/Decision/properties/decision/description' is missing; expected \"What was decided.\"",
        ),
        (
            "json-value",
            SCHEMA,
            line_of(text, '"examples": ['),
            "'/$defs/Decision/properties/decision/examples' is not generated",
        ),
    ]


@pytest.mark.parametrize(
    "dump",
    [
        pytest.param(lambda data: json.dumps(data, indent=4), id="indent-4"),
        pytest.param(lambda data: json.dumps(data, separators=(",", ":")), id="one-line"),
        pytest.param(lambda data: json.dumps(data, indent="\t", sort_keys=True) + "\r\n", id="tabs-sorted-keys"),
    ],
)
def test_a_reformatted_schema_is_not_drift(repo: Path, run_cli: RunCli, dump: Callable[[object], str]) -> None:
    original = _text(repo, SCHEMA)
    _write(repo, SCHEMA, dump(json.loads(original)))
    assert _text(repo, SCHEMA) != original

    assert _findings(repo) == []

    assert run_cli("build", "--root", repo).code == 0
    assert _text(repo, SCHEMA) == original


@pytest.mark.parametrize("broken", ["", "\n", "<<<<<<< HEAD\n"])
def test_a_schema_that_is_not_json_is_a_stale_artifact(repo: Path, broken: str) -> None:
    """Empty, or a merge conflict that kept the header in its first lines: still the tool's file."""
    lines = _text(repo, SCHEMA).splitlines(keepends=True)
    text = broken if "<<<" not in broken else "".join([*lines[:6], broken, "=======\n>>>>>>> b\n", *lines[6:]])
    _write(repo, SCHEMA, text)

    assert [(f.code, f.file) for f in _findings(repo)] == [("stale-artifact", SCHEMA)]


def test_a_schema_without_its_header_is_still_the_tools_in_its_own_ssot_directory(repo: Path) -> None:
    _write(repo, SCHEMA, "{\n")

    assert [(f.code, f.file) for f in _findings(repo)] == [("stale-artifact", SCHEMA)]


def test_a_page_without_the_generated_header_is_not_the_tools_to_replace(repo: Path) -> None:
    _write(repo, PAGE, "# Our own page\n")

    with pytest.raises(SsotError) as raised:
        check_repository(repo)

    assert [(p.code, p.file, p.line) for p in raised.value.problems] == [("not-owned", PAGE, 1)]


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        (PAGE, "Generated from", "Genrated from"),
        (PAGE, "`ssot build`", "`sFot build`"),
        (PAGE, "ssot/env.yaml by", "ssot/env.yml by"),
        (PAGE, "Do not edit", "Do nt edit"),
        (STAGING_EXAMPLE, "# Generated", "# aenerated"),
        (STAGING_EXAMPLE, "by hand.", "by hands."),
    ],
)
def test_a_typo_in_the_generated_header_is_drift_at_line_1_and_build_writes_it_back(
    repo: Path, run_cli: RunCli, path: str, old: str, new: str
) -> None:
    original = _text(repo, path)
    first, rest = original.split("\n", 1)
    assert old in first
    _write(repo, path, first.replace(old, new, 1) + "\n" + rest)

    assert [(f.file, f.line) for f in _findings(repo)] == [(path, 1)]
    assert run_cli("build", "--root", repo).code == 0
    assert _text(repo, path) == original


def test_a_team_file_that_only_mentions_the_tool_is_not_taken_for_the_tools(repo: Path) -> None:
    _write(repo, PAGE, "<!-- Checked against ssot/env.yaml by `ssot check` in CI. -->\n# Our own page\n")

    with pytest.raises(SsotError) as raised:
        check_repository(repo)

    assert [(p.code, p.file) for p in raised.value.problems] == [("not-owned", PAGE)]


# --- whole artifacts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("artifact", [PAGE, STAGING_EXAMPLE, SCHEMA])
def test_a_deleted_artifact_is_missing(repo: Path, artifact: str) -> None:
    (repo / artifact).unlink()

    findings = _findings(repo)

    assert _located(findings) == [("missing-artifact", artifact, 0, "missing; it is generated from ssot/env.yaml")]
    assert findings[0].fix == "run: ssot build"


def test_an_example_for_an_environment_the_ssot_no_longer_has_is_orphaned(repo: Path) -> None:
    _write(repo, "envs/dev.tfvars.example", _text(repo, STAGING_EXAMPLE))

    assert _located(_findings(repo)) == [
        (
            "orphaned-artifact",
            "envs/dev.tfvars.example",
            0,
            "was generated for an environment that ssot/env.yaml no longer has",
        )
    ]


# --- formatting is not drift ---------------------------------------------------------------------------

_BLOCK = re.compile(r"(<!-- ssot:begin (?P<name>\S+) -->\n)(?P<body>.*?)(<!-- ssot:end (?P=name) -->)", re.DOTALL)


def _inside_blocks(text: str, change: Callable[[str], str]) -> str:
    return _BLOCK.sub(lambda m: m.group(1) + change(m.group("body")) + m.group(4), text)


def _table_lines(change: Callable[[str], str]) -> Callable[[str], str]:
    return lambda text: "\n".join(change(line) if line.lstrip().startswith("|") else line for line in text.split("\n"))


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def _is_delimiter(line: str) -> bool:
    return re.fullmatch(r"[|\s:-]+", line) is not None and "-" in line


FORMATTING: dict[str, Callable[[str], str]] = {
    "columns-realigned": _table_lines(lambda line: "| " + " | ".join(_cells(line)) + " |"),
    "padding-removed": _table_lines(lambda line: "|" + "|".join(_cells(line)) + "|"),
    "short-delimiters": _table_lines(
        lambda line: "|" + "|".join("-" for _ in _cells(line)) + "|" if _is_delimiter(line) else line
    ),
    "long-delimiters": _table_lines(lambda line: line.replace("-", "---") if _is_delimiter(line) else line),
    "alignment-colons": _table_lines(
        lambda line: (
            "|" + "|".join((":--", "--:", ":-:")[i % 3] for i in range(len(_cells(line)))) + "|"
            if _is_delimiter(line)
            else line
        )
    ),
    "outer-pipes-removed": _table_lines(lambda line: line.strip().removeprefix("|").removesuffix("|").strip()),
    "trailing-spaces": lambda text: text.replace("\n", "  \n"),
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "underscore-emphasis": lambda text: re.sub(r"(?<![*\w])\*(\w+)\*(?![*\w])", r"_\1_", text),
    "ordered-list-all-1": lambda text: re.sub(r"(?m)^(\s*)\d+\. ", r"\g<1>1. ", text),
    "nested-indent-2": lambda text: re.sub(r"(?m)^    (?=[-*+] |\d+\. )", "  ", text),
    "star-bullets": lambda text: re.sub(r"(?m)^(\s*)- ", r"\1* ", text),
    "plus-bullets": lambda text: re.sub(r"(?m)^(\s*)- ", r"\1+ ", text),
    "extra-blank-lines": lambda text: text.replace("\n\n", "\n\n\n"),
}


@pytest.mark.parametrize("name", FORMATTING)
def test_formatting_is_not_drift_and_build_restores_only_the_pages_it_owns(
    repo: Path, run_cli: RunCli, name: str
) -> None:
    change = FORMATTING[name]
    originals = {path: _text(repo, path) for path in (README, INDEX, PAGE)}
    _write(repo, PAGE, change(originals[PAGE]))
    # In block hosts, only the insides of the blocks: build rewrites those and keeps every other byte. Line
    # endings are the exception: a host keeps its own (CRLF hosts get CRLF blocks), so CRLF is tried on
    # the whole file.
    hosts = {
        host: change(originals[host]) if name == "crlf" else _inside_blocks(originals[host], change)
        for host in (README, INDEX)
    }
    for host in (README, INDEX):
        _write(repo, host, hosts[host])
    for path in (README, PAGE):
        assert _text(repo, path) != originals[path], f"{path} unchanged: this case would prove nothing"

    assert _findings(repo) == []

    built = run_cli("build", "--root", repo)
    assert built.code == 0, built
    # a generated file keeps its line endings (CRLF alone is nothing to rewrite); all else is restored;
    # a block that holds what it would be rendered as is left as written (a formatter's layout is kept)
    assert _text(repo, PAGE) == (change(originals[PAGE]) if name == "crlf" else originals[PAGE])
    for host in (README, INDEX):
        assert _text(repo, host) == hosts[host], f"{host}: build rewrote a block that holds the same content"


def test_a_content_change_hidden_among_formatting_changes_is_still_found(repo: Path) -> None:
    for change in FORMATTING.values():
        _write(repo, PAGE, change(_text(repo, PAGE)))
    text = _text(repo, PAGE)
    matrix_cell = "L3 Data|Staging|`data-staging`|"
    assert text.count(matrix_cell) == 1, "the formatting cases no longer produce this row"
    _write(repo, PAGE, text.replace(matrix_cell, "L3 Data|Staging|`data-stg`|"))

    assert [(f.code, f.message) for f in _findings(repo)] == [
        (
            "table-cell",
            "table 'Environment matrix', row 'L3 Data / Staging', column 'Namespace': "
            + "expected '`data-staging`', found '`data-stg`'",
        )
    ]
