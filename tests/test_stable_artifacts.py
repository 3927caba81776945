"""An edit of ssot/env.yaml that changes no fact changes no artifact; a changed fact changes only the
artifacts that show it (issue 10, point 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import RunCli, edit, snapshot

SSOT = "ssot/env.yaml"


def _no_fact_edits(ssot: Path) -> None:
    # comment lines and blank lines before, between and inside the mappings
    edit(ssot, "layers:\n", "\n\n# a new comment line\n#\nlayers:\n  # and one inside a mapping\n\n")
    edit(ssot, "environments:\n", "environments:  # trailing comment\n\n\n")
    # key order inside a mapping
    edit(
        ssot,
        "    name: Platform\n    scope: shared\n    managed_by: atlantis\n    atlantis_project: platform\n",
        "    atlantis_project: platform\n    managed_by: atlantis\n    scope: shared\n    name: Platform\n",
    )
    edit(
        ssot,
        "    title: Staging\n    base_domain: example.com\n",
        "    base_domain: example.com\n    title: Staging\n",
    )
    # quoting style
    edit(ssot, "    name: Bootstrap\n", '    name: "Bootstrap"\n')
    edit(ssot, "    namespace: data-{env}\n", "    namespace: 'data-{env}'\n")
    edit(ssot, '    env_prefix: ""  ', "    env_prefix: ''  ")


def test_comments_blank_lines_key_order_and_quoting_change_no_artifact(repo: Path, run_cli: RunCli) -> None:
    _no_fact_edits(repo / SSOT)
    before = snapshot(repo)

    checked = run_cli("check", "--root", repo)
    assert checked.code == 0, checked
    built = run_cli("build", "--root", repo)
    assert (built.code, built.stdout) == (0, "everything is up to date\n"), built
    assert snapshot(repo) == before


def test_no_committed_artifact_names_a_line_of_the_ssot(repo: Path, run_cli: RunCli) -> None:
    """Links into ssot/env.yaml go to key-path anchors of the source page, never to a line."""
    pages = {path: data.decode() for path, data in snapshot(repo).items() if path.startswith("docs/ssot/")}
    links = [line for text in pages.values() for line in text.splitlines() if "source.md" in line]
    assert links, "no generated page links to the source page"
    assert not [line for line in links if "line" in line or "codelineno" in line], links
    assert "(../source.md#layers.L2)" in pages["docs/ssot/layers.md"]
    assert "(../../source.md#environments.staging)" in pages["docs/ssot/environments/staging.md"]


@pytest.mark.parametrize(
    ("old", "new", "shown"),
    [
        (
            "    atlantis_project: platform\n",
            "    atlantis_project: platform-core\n",
            ("`platform`", "Atlantis: platform"),
        ),
        (
            "Name of the environment; selects the Terraform workspace",
            "The environment's name; selects the Terraform workspace",
            ("Name of the environment; selects the Terraform workspace",),
        ),
    ],
)
def test_a_changed_fact_changes_only_the_artifacts_that_show_it(
    repo: Path, run_cli: RunCli, old: str, new: str, shown: tuple[str, ...]
) -> None:
    _no_fact_edits(repo / SSOT)
    before = snapshot(repo)
    edit(repo / SSOT, old, new)

    assert run_cli("build", "--root", repo).code == 0
    after = snapshot(repo)

    changed = {path for path in after if path != SSOT and after[path] != before.get(path)}
    showing = {path for path, data in before.items() if path != SSOT and any(s in data.decode() for s in shown)}
    assert changed == showing
    assert changed
