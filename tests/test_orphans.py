"""Files left from a removed environment: removed by `ssot build` only when exactly as it wrote them.

A per-environment file's first line ends with a digest of its content (compiler/artifacts/digest.py); an
orphan whose digest still matches goes with its environment, one edited since is kept and reported by
`ssot check` as edited-orphan (exit 1), with how to keep it or delete it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import RunCli, edit

from compiler.artifacts.digest import is_as_stamped, stamp, without_digest

STAGING_PAGE = "docs/ssot/environments/staging.md"
STAGING_EXAMPLE = "envs/staging.tfvars.example"
PROD_PAGE = "docs/ssot/environments/prod.md"
RUNBOOK = "docs/ssot/environments/prod-runbook.md"
FIX = "to keep it, remove its first line (the generated header); otherwise delete it"


def rename_staging(root: Path) -> None:
    edit(root / "ssot/env.yaml", "\n  staging:\n", "\n  stage:\n")


def test_a_hand_edited_copy_of_a_generated_page_is_kept_and_reported(repo: Path, run_cli: RunCli) -> None:
    runbook = repo / RUNBOOK
    text = (repo / PROD_PAGE).read_text(encoding="utf-8") + "\n## On call\n\nPage the platform team first.\n"
    runbook.write_text(text, encoding="utf-8")

    built = run_cli("build", "--root", repo)
    checked = run_cli("check", "--root", repo)

    assert built.code == 0, built
    assert RUNBOOK not in built.stdout, built
    assert runbook.read_text(encoding="utf-8") == text
    assert checked.code == 1, checked
    assert checked.stdout.splitlines()[0] == (
        f"{RUNBOOK}:1: starts as ssot build's file for environment 'prod-runbook', which ssot/env.yaml no "
        "longer has, but was edited since; ssot build keeps it"
    ), checked
    assert FIX in checked.stdout, checked

    # the fix works: without the header, the file is the maintainer's, and nobody's business
    runbook.write_text(text.split("\n", 1)[1], encoding="utf-8")
    assert run_cli("check", "--root", repo).code == 0
    assert run_cli("build", "--root", repo).stdout == "everything is up to date\n"


def test_edited_orphans_of_a_renamed_environment_are_kept_the_untouched_ones_removed(
    repo: Path, run_cli: RunCli
) -> None:
    edit(repo / STAGING_PAGE, "\n# Staging\n", "\n# Staging\n\nOur notes about the staging cluster.\n")
    example = (repo / STAGING_EXAMPLE).read_text(encoding="utf-8")
    rename_staging(repo)

    checked = run_cli("check", "--root", repo, "--format", "json")
    built = run_cli("build", "--root", repo)

    findings = {(f["code"], f["file"]): f for f in json.loads(checked.stdout)["findings"]}
    assert ("edited-orphan", STAGING_PAGE) in findings, checked
    assert findings["edited-orphan", STAGING_PAGE]["fix"] == FIX
    assert ("orphaned-artifact", STAGING_EXAMPLE) in findings, "untouched: it goes with its environment"
    assert built.code == 0, built
    assert f"removed {STAGING_EXAMPLE}" in built.stdout and STAGING_PAGE not in built.stdout, built
    assert not (repo / STAGING_EXAMPLE).exists()
    assert "Our notes about the staging cluster." in (repo / STAGING_PAGE).read_text(encoding="utf-8")
    assert (repo / "envs/stage.tfvars.example").is_file()
    again = run_cli("check", "--root", repo)
    assert again.code == 1 and again.stdout.startswith(f"{STAGING_PAGE}:1: "), again
    assert example.startswith("# Generated from ssot/env.yaml")


@pytest.mark.parametrize(
    ("change", "kept"),
    [
        pytest.param(lambda t: t.replace("\n", "\r\n"), False, id="crlf-only"),
        pytest.param(lambda t: t.replace("\n\n", "\n\n# A line of our own.\n\n", 1), True, id="a-line"),
        pytest.param(lambda t: t + "\n", True, id="a-blank-line"),
        pytest.param(lambda t: t.replace("\n", "  \n"), True, id="trailing-spaces"),
        pytest.param(lambda t: without_digest(t), True, id="digest-removed"),
        pytest.param(lambda t: t.replace(" sha256:", " sha256:0", 1)[:-1], True, id="digest-forged"),
    ],
)
def test_only_an_orphan_exactly_as_generated_is_removed(
    repo: Path, run_cli: RunCli, change: object, kept: bool
) -> None:
    assert callable(change)
    for path in (STAGING_PAGE, STAGING_EXAMPLE):
        target = repo / path
        target.write_bytes(change(target.read_bytes().decode("utf-8")).encode("utf-8"))
    rename_staging(repo)

    built = run_cli("build", "--root", repo)

    assert built.code == 0, built
    for path in (STAGING_PAGE, STAGING_EXAMPLE):
        assert (repo / path).exists() == kept, path
        assert (f"removed {path}" in built.stdout) != kept, built
    checked = run_cli("check", "--root", repo)
    assert checked.code == (1 if kept else 0), checked
    assert checked.stdout.count("edited since") == (2 if kept else 0), checked


def test_the_digest_proves_the_content_and_only_the_content() -> None:
    for text in ("<!-- Generated. Do not edit. -->\n\n# Page\n", "# Generated. Do not edit.\nx = 1\n"):
        stamped = stamp(text)
        assert stamped != text and without_digest(stamped) == text
        assert stamped.split("\n", 1)[1] == text.split("\n", 1)[1], "only the first line changes"
        assert is_as_stamped(stamped) and is_as_stamped(stamped.replace("\n", "\r\n"))
        assert not is_as_stamped(text)
        assert not is_as_stamped(stamped.replace("Generated", "Written"))
        assert not is_as_stamped(stamped + "more\n")
    assert stamp("<!-- x -->\n").startswith("<!-- x sha256:") and stamp("<!-- x -->\n").endswith(" -->\n")


def test_a_live_file_whose_digest_alone_differs_is_no_drift_and_build_restores_it(repo: Path, run_cli: RunCli) -> None:
    assert run_cli("build", "--root", repo).code == 0  # every file in ssot build's bytes
    page = repo / STAGING_PAGE
    original = page.read_text(encoding="utf-8")
    first = original.split("\n", 1)[0]
    page.write_text(original.replace(first, without_digest(first)), encoding="utf-8")

    assert run_cli("check", "--root", repo).code == 0

    built = run_cli("build", "--root", repo)
    assert built.stdout == f"updated {STAGING_PAGE}\n", built
    assert page.read_text(encoding="utf-8") == original


def test_a_content_change_in_a_live_file_is_found_once_not_again_in_its_digest(repo: Path, run_cli: RunCli) -> None:
    edit(repo / STAGING_EXAMPLE, '"x-staging"', '"x-stage"')

    checked = run_cli("check", "--root", repo, "--format", "json")

    findings = json.loads(checked.stdout)["findings"]
    assert [(f["code"], f["file"]) for f in findings] == [("tfvars-example-value", STAGING_EXAMPLE)], checked
