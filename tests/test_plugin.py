"""The `ssot` MkDocs plugin, through `mkdocs build`: pages from the current YAML, errors shown, and
`--strict` failing on what `ssot check` calls trouble.

The builds run in this process as the command runs them (tests/mkdocs_build.py); a real `mkdocs build`
process where only one can show what matters (a read that would hang)."""

from __future__ import annotations

import html
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import mkdocs_command
from mkdocs_build import Built, mkdocs_build_in_process

from tests.conftest import RunCli, edit


def mkdocs_build(root: Path, *extra: str, env: dict[str, str] | None = None) -> Built:
    """`mkdocs build --site-dir ROOT/site EXTRA...` in `root`, in this process (tests/mkdocs_build.py)."""
    assert set(extra) <= {"--strict"}, extra
    strict = "--strict" in extra
    return mkdocs_build_in_process(root / "mkdocs.yml", root / "site", cwd=root, strict=strict, env=env)


def real_build(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """The real `mkdocs build` in `root`: a build that hangs fails at the subprocess's timeout."""
    return mkdocs_command("--site-dir", str(root / "site"), *extra, cwd=root, timeout=60)


def page(root: Path, path: str) -> str:
    """The text of a built page as a reader finds it: HTML entities decoded (a quote in a message is `&#39;` in
    the HTML), without the line-break opportunities the plugin puts into code in tables (`<wbr>`)."""
    return html.unescape((root / "site" / path / "index.html").read_text(encoding="utf-8").replace("<wbr>", ""))


def test_the_site_shows_the_current_yaml_even_before_ssot_build(repo: Path) -> None:
    edit(repo / "ssot/env.yaml", "env_prefix: x-staging", "env_prefix: y-staging")

    built = mkdocs_build(repo, "--strict")

    assert built.returncode == 0, built.stderr
    assert "y-staging.example.com" in page(repo, "ssot/environments/staging")
    assert "y-staging.example.com" in page(repo, "ssot/env")
    assert "x-staging" not in page(repo, "ssot/env")
    # the files on disk are untouched: only `ssot build` writes
    assert "x-staging" in (repo / "docs/ssot/env.md").read_text(encoding="utf-8")


def test_a_new_environment_gets_its_page_and_nav_entry_while_serving(repo: Path) -> None:
    edit(
        repo / "ssot/env.yaml",
        "  prod:\n",
        "  qa:\n    title: QA\n    base_domain: example.com\n    env_prefix: x-qa\n  prod:\n",
    )

    built = mkdocs_build(repo, "--strict")

    assert built.returncode == 0, built.stderr
    qa = page(repo, "ssot/environments/qa")
    assert "data-qa" in qa and "x-qa.example.com" in qa
    assert 'href="../qa/"' in page(repo, "ssot/environments/staging")  # listed in the nav


def test_a_removed_environment_loses_its_page(repo: Path) -> None:
    text = (repo / "ssot/env.yaml").read_text(encoding="utf-8")
    start = text.index("  prod:\n")
    end = text.index("\n# The tfvars contract")
    (repo / "ssot/env.yaml").write_text(text[:start] + text[end + 1 :], encoding="utf-8")

    built = mkdocs_build(repo)

    assert built.returncode == 0, built.stderr
    assert not (repo / "site/ssot/environments/prod/index.html").exists()
    assert "data-prod" not in page(repo, "ssot/env")


def test_a_hand_edited_page_of_a_removed_environment_stays_on_the_site(repo: Path) -> None:
    """As `ssot build` keeps it (edited-orphan), the site keeps showing it: it is somebody's page now."""
    runbook = repo / "docs/ssot/environments/prod-runbook.md"
    runbook.write_text(
        (repo / "docs/ssot/environments/prod.md").read_text(encoding="utf-8") + "\nCall the on-call first.\n",
        encoding="utf-8",
    )

    built = mkdocs_build(repo)

    assert built.returncode == 0, built.stderr
    assert "Call the on-call first." in page(repo, "ssot/environments/prod-runbook")


def test_an_invalid_ssot_fails_the_strict_build_with_the_checks_messages(repo: Path, run_cli: RunCli) -> None:
    edit(
        repo / "ssot/env.yaml",
        "    scope: per-env\n    managed_by: atlantis\n    atlantis_project: apps",
        "    scope: global\n    managed_by: atlantis\n    atlantis_project: apps",
    )
    checked = run_cli("check", "--root", repo)
    assert checked.code == 2
    problem = checked.stderr.strip().splitlines()[0]
    assert problem.startswith("ssot/env.yaml:")

    strict = mkdocs_build(repo, "--strict")

    assert strict.returncode != 0
    assert problem in strict.stderr, strict.stderr


def test_an_invalid_ssot_shows_its_errors_on_the_generated_pages_without_strict(repo: Path, run_cli: RunCli) -> None:
    edit(repo / "ssot/env.yaml", "env_prefix: x-staging", "env_prefix: X_Staging")
    problem = run_cli("check", "--root", repo).stderr.strip().splitlines()[0]

    built = mkdocs_build(repo)

    assert built.returncode == 0, built.stderr
    assert problem in built.stderr
    for path in ("ssot/env", "ssot/environments/staging", ""):
        html = page(repo, path) if path else (repo / "site/index.html").read_text(encoding="utf-8")
        assert "ssot/env.yaml has errors" in html, path
        assert "must be empty or a DNS-1123 label" in html, path


def test_the_site_builds_from_the_files_alone_without_the_plugin(repo: Path) -> None:
    """Tools that run no MkDocs plugin (MkDocs 2, Zensical) still get every page: they are real files."""
    config = repo / "mkdocs.yml"
    edit(config, "  - ssot\n", "")

    built = mkdocs_build(repo, "--strict")

    assert built.returncode == 0, built.stderr
    assert "data-staging" in page(repo, "ssot/environments/staging")
    assert "Vault, Dashboard, Kubero, Casdoor" in (repo / "site/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("path", "old", "new", "shown_on"),
    [
        ("mkdocs.yml", "  # ssot:end nav\n", "", "ssot/layers"),  # the nav is on every page
        ("docs/index.md", "<!-- ssot:end isolation -->\n", "", ""),
        ("docs/source.md", "\nEvery fact", "\n<!-- ssot:end layers -->\n\nEvery fact", "source"),
    ],
    ids=["nav-end-missing", "page-end-missing", "page-end-alone"],
)
def test_a_broken_marker_fails_the_strict_build_as_it_fails_check(
    repo: Path, run_cli: RunCli, path: str, old: str, new: str, shown_on: str
) -> None:
    edit(repo / path, old, new)
    checked = run_cli("check", "--root", repo)
    assert checked.code == 2, checked
    problem = checked.stderr.strip().splitlines()[0]
    assert problem.startswith(f"{path}:"), checked

    strict = mkdocs_build(repo, "--strict")

    assert strict.returncode != 0
    assert f"WARNING -  {problem}" in strict.stderr, strict.stderr
    # Strict MkDocs stops after writing the pages: they show the problem as `mkdocs serve` would.
    assert problem in page(repo, shown_on)


def test_mkdocs_yaml_tags_in_mkdocs_yml_work_and_the_nav_stays_live(repo: Path) -> None:
    """MkDocs reads mkdocs.yml with `!ENV` (and `!relative`); the plugin never parses it with plain YAML."""
    config = repo / "mkdocs.yml"
    edit(config, "site_name: Infrastructure architecture", "site_name: !ENV [SITE_NAME, 'Architecture']")
    edit(config, "  - Home: index.md", "  - !ENV [HOME_TITLE, 'Home']: !ENV [HOME_PAGE, index.md]")
    # inside the block too (drift for `ssot check`, but the site must still follow the YAML)
    edit(config, "  - Layers: ssot/layers.md", "  - Layers: !ENV [LAYERS_PAGE, ssot/layers.md]")
    edit(
        repo / "ssot/env.yaml",
        "  prod:\n",
        "  qa:\n    title: QA\n    base_domain: example.com\n    env_prefix: x-qa\n  prod:\n",
    )

    built = mkdocs_build(repo, "--strict", env={"SITE_NAME": "Tagged site", "HOME_TITLE": "Start"})

    assert built.returncode == 0, built.stderr
    home = page(repo, "")
    assert "<title>Tagged site</title>" in home
    assert ">Start<" in home.replace("\n", "").replace(" ", "")
    assert 'href="ssot/environments/qa/"' in home  # the block's entries were swapped for the live ones


@pytest.mark.parametrize("kind", ["missing", "directory", "fifo"])
def test_an_unreadable_ssot_shows_an_error_page_and_fails_the_strict_build(repo: Path, kind: str) -> None:
    """Never a crash (pymdownx.snippets including a missing file) nor a hang (reading a FIFO)."""
    ssot = repo / "ssot/env.yaml"
    ssot.unlink()
    if kind == "directory":
        ssot.mkdir()
    elif kind == "fifo":
        os.mkfifo(ssot)
    expected = {"missing": "not found", "directory": "a directory", "fifo": "a FIFO"}[kind]

    # a FIFO in a real process: a read that blocks would hang the build, which the subprocess's timeout fails
    strict = (real_build if kind == "fifo" else mkdocs_build)(repo, "--strict")

    assert strict.returncode != 0
    warnings = [line for line in strict.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1 and "ssot/env.yaml: " in warnings[0] and expected in warnings[0], strict.stderr
    assert "Traceback" not in strict.stderr
    for path in ("ssot/env", "source", ""):  # a generated page, the source page, a page with blocks
        shown = page(repo, path)
        assert "ssot/env.yaml has errors" in shown and expected in shown, path
    assert "data-staging" in page(repo, "ssot/env")  # the pages on disk, with the error on top


def test_snippets_other_than_the_ssot_still_resolve_from_the_repository_top(repo: Path) -> None:
    """The plugin puts its copy of ssot/env.yaml first in pymdownx.snippets' base_path, not instead of it."""
    (repo / "docs/notes.md").write_text('# Notes\n\n--8<-- "envs/README.md"\n', encoding="utf-8")
    edit(repo / "ssot/env.yaml", "env_prefix: x-staging", "env_prefix: y-staging")

    built = mkdocs_build(repo, "--strict")

    assert built.returncode == 0, built.stderr
    assert "Multi-Environment Architecture" in page(repo, "notes")
    assert "y-staging" in page(repo, "source")


def test_every_source_link_lands_on_the_line_of_its_key_path_after_lines_move(repo: Path) -> None:
    """Links go to key-path anchors, which the plugin puts on the lines where the keys are written now."""
    ssot = repo / "ssot/env.yaml"
    edit(ssot, "layers:\n", "# two comment lines\n\nlayers:\n")
    text = ssot.read_text(encoding="utf-8").split("\n")

    built = mkdocs_build(repo, "--strict")

    assert built.returncode == 0, built.stderr
    source = (repo / "site/source/index.html").read_text(encoding="utf-8")
    targets = {
        anchor
        for name in ("layers", "variables", "decisions", "environments/staging")
        for anchor in re.findall(r'href="[./]*source/#([^"]+)"', page(repo, f"ssot/{name}"))
    }
    assert {"layers.L2", "variables.env_prefix", "decisions.0", "environments.staging"} <= targets
    for anchor in targets:
        before = rf'<a id="__codelineno-0-(\d+)" name="[^"]*"></a>(?:<a [^>]*></a>)*?<a id="{re.escape(anchor)}"'
        line = re.search(before, source)
        assert line is not None, anchor
        written = text[int(line.group(1)) - 1].strip()
        last = anchor.rsplit(".", 1)[-1]
        assert written.startswith((f"{last}:", "- ")), (anchor, written)
