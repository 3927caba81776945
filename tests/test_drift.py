"""Drift: `ssot check` fails when an artifact disagrees with ssot/env.yaml; `ssot build` repairs it.

The first test runs the check on the repository itself: it makes pytest fail whenever a README table, the
docs page or a tfvars example is edited by hand, or ssot/env.yaml changes without `ssot build`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO_ROOT, RunCli, edit, identities, line_of, snapshot

README = "envs/README.md"
PAGE = "docs/ssot/env.md"
STAGING_EXAMPLE = "envs/staging.tfvars.example"
PROD_EXAMPLE = "envs/prod.tfvars.example"
SCHEMA = "ssot/env.schema.json"
STAGING_PAGE = "docs/ssot/environments/staging.md"

L2_CELL = "Atlantis (`platform`)"


def test_the_repository_agrees_with_its_ssot(run_cli: RunCli) -> None:
    result = run_cli("check", "--root", REPO_ROOT)
    assert result.code == 0, f"the repository drifted from ssot/env.yaml; run `ssot build`\n{result}"
    assert result.stdout.startswith("ok"), result
    assert result.stderr == ""


def _named(stdout: str, path: str) -> bool:
    """Whether a finding line names `path` (as `path:` at the start of a line)."""
    return re.search(rf"^{re.escape(path)}:", stdout, re.MULTILINE) is not None


def _layers_block(text: str) -> str:
    begin = text.index("<!-- ssot:begin layers -->")
    return text[begin : text.index("<!-- ssot:end layers -->", begin)]


def test_a_changed_table_cell_in_a_readme_block_names_table_row_column_and_values(repo: Path, run_cli: RunCli) -> None:
    readme = repo / README
    assert L2_CELL in _layers_block(readme.read_text(encoding="utf-8"))
    edit(readme, L2_CELL, "Atlantis (`apps`)")
    changed_line = line_of(readme.read_text(encoding="utf-8"), "Atlantis (`apps`)")

    result = run_cli("check", "--root", repo)

    assert result.code == 1, result
    lines = result.stdout.splitlines()
    ssot = (repo / "ssot/env.yaml").read_text(encoding="utf-8")
    fact_line = line_of(ssot, "atlantis_project: platform")
    fact_col = ssot.split("\n")[fact_line - 1].index("platform") + 1
    assert lines[0] == (
        f"{README}:{changed_line}: table 'layers', row 'L2', column 'Managed By': "
        "expected 'Atlantis (`platform`)', found 'Atlantis (`apps`)'; "
        f"it comes from ssot/env.yaml:{fact_line}:{fact_col} (layers.L2.atlantis_project): "
        "change it there, or run ssot build to restore it"
    ), result
    assert lines[-1] == "run: ssot build", result
    # only the edited file is blamed
    for other in (PAGE, STAGING_EXAMPLE, PROD_EXAMPLE, SCHEMA, "docs/index.md"):
        assert not _named(result.stdout, other), result
    assert result.stderr == ""


def test_a_changed_value_in_a_tfvars_example_names_the_variable(repo: Path, run_cli: RunCli) -> None:
    example = repo / STAGING_EXAMPLE
    edit(example, '"x-staging"', '"x-stage"')
    changed_line = line_of(example.read_text(encoding="utf-8"), '"x-stage"')

    result = run_cli("check", "--root", repo)

    assert result.code == 1, result
    assert f'{STAGING_EXAMPLE}:{changed_line}: \'env_prefix\': expected "x-staging", found "x-stage"' in result.stdout
    assert not _named(result.stdout, PROD_EXAMPLE), result
    assert not _named(result.stdout, README), result
    assert "run: ssot build" in result.stdout


def test_a_changed_table_cell_of_the_generated_docs_page_is_drift(repo: Path, run_cli: RunCli) -> None:
    page = repo / PAGE
    edit(page, "| `data-staging` |", "| `data-stg`     |")
    changed_line = line_of(page.read_text(encoding="utf-8"), "`data-stg`")

    result = run_cli("check", "--root", repo)

    assert result.code == 1, result
    assert (
        f"{PAGE}:{changed_line}: table 'Environment matrix', row 'L3 Data / Staging', column 'Namespace': "
        "expected '`data-staging`', found '`data-stg`'"
    ) in result.stdout, result
    assert "run: ssot build" in result.stdout


def test_a_changed_prose_line_of_the_generated_docs_page_is_a_labelled_diff(repo: Path, run_cli: RunCli) -> None:
    page = repo / PAGE
    edit(page, "single instance shared by all envs", "one instance shared by all envs")
    changed_line = line_of(page.read_text(encoding="utf-8"), "one instance shared")

    result = run_cli("check", "--root", repo)

    assert result.code == 1, result
    lines = result.stdout.splitlines()
    fact_line = line_of((repo / "ssot/env.yaml").read_text(encoding="utf-8"), "shared: single instance")
    assert any(
        line.startswith(f"{PAGE}:{changed_line}: text differs from what ssot/env.yaml generates; ")
        and f"it comes from ssot/env.yaml:{fact_line}:" in line
        for line in lines
    ), result
    assert f"--- {PAGE} (current)" in lines and f"+++ {PAGE} (expected)" in lines, result
    assert [line for line in lines if line.startswith("-- **Shared")] == [
        "-- **Shared layers (L1/L2)**: one instance shared by all envs (single VPS MVP)."
    ], result
    assert [line for line in lines if line.startswith("+- **Shared")] == [
        "+- **Shared layers (L1/L2)**: single instance shared by all envs (single VPS MVP)."
    ], result


@pytest.mark.parametrize("artifact", [PAGE, STAGING_EXAMPLE, PROD_EXAMPLE, SCHEMA])
def test_a_deleted_artifact_is_reported_missing_and_build_recreates_it(
    repo: Path, run_cli: RunCli, artifact: str
) -> None:
    original = (repo / artifact).read_bytes()
    (repo / artifact).unlink()

    result = run_cli("check", "--root", repo)

    assert result.code == 1, result
    assert re.search(rf"^{re.escape(artifact)}(:\d+)?: missing", result.stdout, re.MULTILINE), result
    assert "run: ssot build" in result.stdout
    assert not (repo / artifact).exists(), "check must not write"

    built = run_cli("build", "--root", repo)
    assert built.code == 0, built
    assert artifact in built.stdout, built
    assert (repo / artifact).read_bytes() == original
    assert run_cli("check", "--root", repo).code == 0


def test_a_deleted_end_marker_is_trouble_naming_the_begin_line_and_nothing_is_written(
    repo: Path, run_cli: RunCli
) -> None:
    readme = repo / README
    text = readme.read_text(encoding="utf-8")
    begin_line = line_of(text, "<!-- ssot:begin layers -->")
    edit(readme, "<!-- ssot:end layers -->\n", "")
    # other drift that `build` would otherwise repair: it must not, while a marker is broken
    edit(repo / STAGING_EXAMPLE, '"x-staging"', '"x-stage"')
    (repo / PAGE).unlink()
    before, before_ids = snapshot(repo), identities(repo)

    checked = run_cli("check", "--root", repo)

    assert checked.code == 2, checked
    assert f"{README}:{begin_line}:" in checked.stderr, checked
    problem = next(line for line in checked.stderr.splitlines() if line.startswith(f"{README}:{begin_line}:"))
    assert "layers" in problem and "end" in problem, checked
    assert "ssot:end layers" in checked.stderr, "the message should say which marker to add"
    assert "Traceback" not in checked.stderr
    assert snapshot(repo) == before

    built = run_cli("build", "--root", repo)

    assert built.code == 2, built
    assert f"{README}:{begin_line}:" in built.stderr, built
    assert "Traceback" not in built.stderr
    assert snapshot(repo) == before
    assert identities(repo) == before_ids


def test_check_never_writes_even_when_everything_drifted(repo: Path, run_cli: RunCli) -> None:
    edit(repo / README, L2_CELL, "Atlantis (`apps`)")
    edit(repo / STAGING_EXAMPLE, '"x-staging"', '"x-stage"')
    (repo / PAGE).unlink()
    (repo / SCHEMA).write_text("{}\n", encoding="utf-8")
    before, before_ids = snapshot(repo), identities(repo)

    result = run_cli("check", "--root", repo)

    assert result.code == 1, result
    for path in (README, STAGING_EXAMPLE, PAGE, SCHEMA):
        assert _named(result.stdout, path), f"{path} not named\n{result}"
    assert re.search(r"^\d+ findings in 4 files\b", result.stdout, re.MULTILINE), result
    assert snapshot(repo) == before
    assert identities(repo) == before_ids


def test_build_repairs_the_blocks_and_keeps_every_byte_outside_them(repo: Path, run_cli: RunCli) -> None:
    readme = repo / README
    original = readme.read_bytes()
    # hand-written text the compiler must keep exactly: odd spacing, a tab, non-ASCII, no final newline
    prose = "\n## Notes  \n\nKept\tas written: café, «quotes», trailing spaces   \nno final newline"
    readme.write_bytes(original + prose.encode("utf-8"))
    edit(readme, L2_CELL, "Atlantis (`apps`)")
    edit(readme, "  - Prod: `data-prod`, `apps-prod`\n", "")

    built = run_cli("build", "--root", repo)

    assert built.code == 0, built
    assert f"updated {README}" in built.stdout, built
    assert readme.read_bytes() == original + prose.encode("utf-8")
    assert run_cli("check", "--root", repo).code == 0


def test_build_lists_exactly_the_files_it_changed(repo: Path, run_cli: RunCli) -> None:
    edit(repo / README, L2_CELL, "Atlantis (`apps`)")
    edit(repo / STAGING_EXAMPLE, '"x-staging"', '"x-stage"')
    untouched = {p: identities(repo)[p] for p in (PAGE, PROD_EXAMPLE, SCHEMA, "docs/index.md")}

    result = run_cli("build", "--root", repo)

    assert result.code == 0, result
    listed = set(re.findall(r"\S+\.(?:md|example|json)\b", result.stdout))
    assert listed == {README, STAGING_EXAMPLE}, result
    ids = identities(repo)
    for path, identity in untouched.items():
        assert ids[path] == identity, f"{path} was rewritten although its content did not change"


def test_a_second_build_says_nothing_changed_and_touches_nothing(repo: Path, run_cli: RunCli) -> None:
    edit(repo / README, L2_CELL, "Atlantis (`apps`)")
    assert run_cli("build", "--root", repo).code == 0
    before, before_ids = snapshot(repo), identities(repo)

    again = run_cli("build", "--root", repo)

    assert again.code == 0, again
    assert re.search(r"up to date|nothing (to do|changed)", again.stdout, re.IGNORECASE), again
    for path in (README, PAGE, STAGING_EXAMPLE, PROD_EXAMPLE, SCHEMA):
        assert path not in again.stdout, again
    assert snapshot(repo) == before
    assert identities(repo) == before_ids


def test_build_on_the_unchanged_repository_copy_writes_nothing(repo: Path, run_cli: RunCli) -> None:
    before_ids = identities(repo)
    result = run_cli("build", "--root", repo)
    assert result.code == 0, result
    assert identities(repo) == before_ids


def test_an_ssot_edit_makes_every_affected_artifact_drift_and_build_fixes_them_all(repo: Path, run_cli: RunCli) -> None:
    edit(repo / "ssot/env.yaml", "env_prefix: x-staging", "env_prefix: y-staging")

    checked = run_cli("check", "--root", repo)

    assert checked.code == 1, checked
    for affected in (PAGE, README, STAGING_EXAMPLE):
        assert _named(checked.stdout, affected), f"{affected} not named\n{checked}"
    for unaffected in (PROD_EXAMPLE, SCHEMA, "docs/index.md"):
        assert not _named(checked.stdout, unaffected), f"{unaffected} wrongly named\n{checked}"
    assert '\'env_prefix\': expected "y-staging", found "x-staging"' in checked.stdout, checked

    built = run_cli("build", "--root", repo)

    assert built.code == 0, built
    for affected in (PAGE, README, STAGING_EXAMPLE):
        assert affected in built.stdout, built
    assert 'env_prefix      = "y-staging"' in (repo / STAGING_EXAMPLE).read_text(encoding="utf-8")
    assert "y-staging.example.com" in (repo / PAGE).read_text(encoding="utf-8")
    assert '"y-staging"' in (repo / README).read_text(encoding="utf-8")
    assert "x-staging" not in (repo / README).read_text(encoding="utf-8")
    assert run_cli("check", "--root", repo).code == 0


def test_a_crlf_readme_keeps_crlf_inside_and_outside_its_blocks(repo: Path, run_cli: RunCli) -> None:
    readme = repo / README
    lf = readme.read_bytes()
    readme.write_bytes(lf.replace(b"\n", b"\r\n"))
    assert run_cli("check", "--root", repo).code == 0, "CRLF alone is not drift"

    edit(readme, L2_CELL, "Atlantis (`apps`)")
    edit(readme, "  - Prod: `data-prod`, `apps-prod`\r\n", "")
    built = run_cli("build", "--root", repo)

    assert built.code == 0, built
    data = readme.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n"), "a line lost its CR"
    assert data == lf.replace(b"\n", b"\r\n")
    assert run_cli("check", "--root", repo).code == 0


def test_a_new_empty_block_in_a_docs_page_is_drift_until_built(repo: Path, run_cli: RunCli) -> None:
    page = repo / "docs" / "layers.md"
    page.write_text(
        "# Layers\n\n<!-- ssot:begin layers -->\n<!-- ssot:end layers -->\n\nMore prose.\n", encoding="utf-8"
    )

    checked = run_cli("check", "--root", repo)
    assert checked.code == 1, checked
    assert _named(checked.stdout, "docs/layers.md"), checked

    built = run_cli("build", "--root", repo)
    assert built.code == 0, built
    assert "docs/layers.md" in built.stdout
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Layers\n\n<!-- ssot:begin layers -->\n")
    assert text.endswith("<!-- ssot:end layers -->\n\nMore prose.\n")
    assert "| **L3** | **Data**" in text
    assert run_cli("check", "--root", repo).code == 0


def test_the_example_of_a_renamed_environment_is_reported_then_removed_by_build(repo: Path, run_cli: RunCli) -> None:
    edit(repo / "ssot/env.yaml", "\n  staging:\n", "\n  stage:\n")

    checked = run_cli("check", "--root", repo)
    assert checked.code == 1, checked
    assert _named(checked.stdout, STAGING_EXAMPLE), checked
    assert "no longer has" in checked.stdout

    assert _named(checked.stdout, STAGING_PAGE), "the environment's generated page goes with it"

    built = run_cli("build", "--root", repo)
    assert built.code == 0, built
    assert f"removed {STAGING_EXAMPLE}" in built.stdout
    assert f"removed {STAGING_PAGE}" in built.stdout
    assert not (repo / STAGING_EXAMPLE).exists() and not (repo / STAGING_PAGE).exists()
    assert (repo / "envs/stage.tfvars.example").is_file()
    assert (repo / "docs/ssot/environments/stage.md").is_file()
    assert run_cli("check", "--root", repo).code == 0


def test_a_hand_written_example_or_environment_page_is_never_removed(repo: Path, run_cli: RunCli) -> None:
    mine = repo / "envs/sandbox.tfvars.example"
    mine.write_text('# my own notes\nenvironment = "sandbox"\n', encoding="utf-8")
    page = repo / "docs/ssot/environments/sandbox.md"
    page.write_text("# Sandbox\n\nNot generated: kept.\n", encoding="utf-8")

    assert run_cli("build", "--root", repo).code == 0
    assert run_cli("check", "--root", repo).code == 0
    assert mine.read_text(encoding="utf-8") == '# my own notes\nenvironment = "sandbox"\n'
    assert page.read_text(encoding="utf-8") == "# Sandbox\n\nNot generated: kept.\n"
