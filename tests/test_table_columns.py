"""A team's own table becomes a generated block: `columns="field=Label,..."` in its begin marker, and
markers written in upper case are reported, not skipped.

Each test works on a copy of the example repository (tests/fixtures/repo), whose envs/README.md holds
the generated blocks.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import mdformat
import pytest
from conftest import RunCli, edit, line_of

from compiler.app.engine import build, check_repository
from compiler.errors import SsotError

README = "envs/README.md"
PRETTIER = Path(__file__).resolve().parent.parent / "node_modules" / ".bin" / "prettier"

#: The layers of the example repository as a French team's README shows them today: their own columns,
#: their own header labels, the cells as ssot build writes them.
FRENCH_TABLE = """\
| Couche | Nom           | Espace de noms | Composants                                            |
| ------ | ------------- | -------------- | ----------------------------------------------------- |
| **L1** | **Bootstrap** |                | K3s Cluster, Atlantis, DNS/Cert, Storage, Platform PG |
| **L2** | **Platform**  |                | Vault, Dashboard, Kubero, Casdoor                     |
| **L3** | **Data**      | `data-<env>`   | Business databases                                    |
| **L4** | **Apps**      | `apps-<env>`   | Business apps                                         |
"""
FRENCH_BEGIN = '<!-- ssot:begin layers columns="id=Couche,name=Nom,namespace=Espace de noms,components=Composants" -->'


def with_layers_block(repo: Path, begin: str, body: str) -> Path:
    """The copy whose layers block (markers included) is `begin`, `body` and the end marker."""
    path = repo / README
    text = path.read_text(encoding="utf-8")
    start = text.index("<!-- ssot:begin layers -->")
    end = text.index("<!-- ssot:end layers -->")
    path.write_text(text[:start] + begin + "\n\n" + body + "\n" + text[end:], encoding="utf-8")
    return path


def test_a_french_table_becomes_a_generated_block_that_reads_exactly_as_before(repo: Path, run_cli: RunCli) -> None:
    readme = with_layers_block(repo, FRENCH_BEGIN, FRENCH_TABLE)
    before = readme.read_bytes()

    assert check_repository(repo).findings == []
    assert [a.path for a in build(repo)] == []
    assert readme.read_bytes() == before
    result = run_cli("check", "--root", repo)
    assert result.code == 0, result


def test_a_fact_changed_in_the_ssot_reaches_the_french_table_under_its_french_header(repo: Path) -> None:
    readme = with_layers_block(repo, FRENCH_BEGIN, FRENCH_TABLE)
    edit(repo / "ssot/env.yaml", "namespace: data-{env}", "namespace: db-{env}")

    (finding,) = [f for f in check_repository(repo).findings if f.file == README and f.code.startswith("table-")]
    assert (finding.code, finding.file, finding.line) == (
        "table-cell",
        README,
        line_of(readme.read_text(encoding="utf-8"), "| **L3**"),
    )
    assert (
        finding.message
        == "table 'layers', row 'L3', column 'Espace de noms': expected '`db-<env>`', found '`data-<env>`'"
    )
    assert finding.source is not None and finding.source.path == "layers.L3.namespace"
    build(repo)
    assert "| **L3** | **Data**      | `db-<env>`     |" in readme.read_text(encoding="utf-8")


def test_a_label_left_out_is_the_fields_default_label(repo: Path) -> None:
    readme = with_layers_block(repo, '<!-- ssot:begin layers columns="id=Couche, name" -->', "")
    build(repo)
    assert "| Couche | Name          |\n| ------ | ------------- |\n| **L1** | **Bootstrap** |\n" in readme.read_text(
        encoding="utf-8"
    )


def test_a_list_block_becomes_a_table_in_the_columns_its_marker_names(repo: Path) -> None:
    path = repo / README
    edit(
        path,
        "<!-- ssot:begin tfvars-files -->",
        '<!-- ssot:begin tfvars-files columns="environment=Env.,file=Fichier" -->',
    )
    build(repo)
    text = path.read_text(encoding="utf-8")
    assert "| Env.    | Fichier               |\n| ------- | --------------------- |\n" in text
    assert "| staging | `envs/staging.tfvars` |\n| prod    | `envs/prod.tfvars`    |\n" in text
    assert check_repository(repo).findings == []


@pytest.mark.parametrize("formatter", ["mdformat", "prettier"])
def test_formatting_a_table_with_its_own_labels_is_no_drift(repo: Path, formatter: str) -> None:
    readme = with_layers_block(repo, FRENCH_BEGIN, FRENCH_TABLE)
    before = readme.read_bytes()
    if formatter == "mdformat":
        mdformat.file(readme, extensions={"tables"})
    elif PRETTIER.exists():
        subprocess.run([str(PRETTIER), "--write", README], cwd=repo, check=True, capture_output=True)
    else:
        pytest.skip("prettier is not installed (make test installs it with npm ci)")
    assert readme.read_bytes() != before, "the formatter changed nothing: this test would prove nothing"
    assert FRENCH_BEGIN in readme.read_text(encoding="utf-8")

    assert check_repository(repo).findings == []


def test_an_unknown_column_is_trouble_at_its_marker_listing_the_fields(repo: Path, run_cli: RunCli) -> None:
    readme = with_layers_block(repo, '<!-- ssot:begin layers columns="id=Couche,nmae=Nom" -->', FRENCH_TABLE)
    before = readme.read_bytes()
    line = line_of(readme.read_text(encoding="utf-8"), "ssot:begin layers")
    message = (
        f"{README}:{line}: block 'layers' has no column 'nmae'; did you mean 'name'? columns available: "
        "id, name, scope, managed_by, description, components, namespace, workspace, atlantis_project, terraform_dir"
    )

    with pytest.raises(SsotError) as caught:
        check_repository(repo)
    assert [str(p) for p in caught.value.problems] == [message]
    result = run_cli("build", "--root", repo)
    assert result.code == 2, result
    assert message in result.stderr
    assert readme.read_bytes() == before


def test_a_page_whose_only_markers_are_upper_case_is_read_and_reported(repo: Path, run_cli: RunCli) -> None:
    page = repo / "docs/upper.md"
    page.write_text("# Upper\n\n<!-- SSOT:BEGIN layers -->\n\n<!-- SSOT:END layers -->\n", encoding="utf-8")

    with pytest.raises(SsotError) as caught:
        check_repository(repo)
    assert [str(p) for p in caught.value.problems] == [
        (
            "docs/upper.md:3: malformed marker '<!-- SSOT:BEGIN layers -->': markers are written in lower case; "
            "write <!-- ssot:begin layers -->"
        ),
        (
            "docs/upper.md:5: malformed marker '<!-- SSOT:END layers -->': markers are written in lower case; "
            "write <!-- ssot:end layers -->"
        ),
    ]
    result = run_cli("check", "--root", repo)
    assert result.code == 2, result
    assert "docs/upper.md:3: malformed marker '<!-- SSOT:BEGIN layers -->'" in result.stderr
