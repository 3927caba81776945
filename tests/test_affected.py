"""`ssot affected --base REF`: what a change since REF touches, on real git repositories in tmp_path, in-process."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import RunCli, copy_repository, edit, git

GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")

#: L2 (shared) gets a Terraform root, L3 one root every environment shares, L4 one root per environment.
ROOTS = (
    ("    atlantis_project: platform\n", "    atlantis_project: platform\n    terraform_dir: terraform/platform\n"),
    ("    namespace: data-{env}\n", "    namespace: data-{env}\n    terraform_dir: terraform/data\n"),
    ("    namespace: apps-{env}\n", "    namespace: apps-{env}\n    terraform_dir: stacks/{env}/apps\n"),
)


def commit_all(root: Path, message: str = "change") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A git repository holding a copy of the example repository with Terraform roots, one commit."""
    root = copy_repository(tmp_path)
    for old, new in ROOTS:
        edit(root / "ssot/env.yaml", old, new)
    for directory in ("terraform/platform", "terraform/data", "stacks/staging/apps", "stacks/prod/apps"):
        (root / directory).mkdir(parents=True)
        (root / directory / "main.tf").write_text('variable "environment" {\n  type = string\n}\n', encoding="utf-8")
    git(root, "init", "-q")
    commit_all(root, "base")
    return root


def affected(run_cli: RunCli, root: Path, base: str = "HEAD", *, cwd: Path | None = None) -> dict[str, Any]:
    result = run_cli(
        "affected", "--base", base, "--format", "json", *(("--root", root) if cwd is None else ()), cwd=cwd
    )
    assert result.code == 0, result
    document = json.loads(result.stdout)
    assert document["schema"] == "ssot-affected/1"
    return document


def ids(document: dict[str, Any]) -> list[str]:
    return [record["id"] for record in document["instances"]]


def test_nothing_changed_affects_nothing(history: Path, run_cli: RunCli) -> None:
    document = affected(run_cli, history)
    assert document["base"]["ref"] == "HEAD" and len(document["base"]["commit"]) == 40
    assert document["environments"] == document["instances"] == document["atlantis_projects"] == []
    assert document["removed"] == {"environments": [], "instances": []}
    text = run_cli("affected", "--base", "HEAD", "--root", history)
    assert text.code == 0 and text.stdout.splitlines()[-1] == "nothing affected", text


def test_a_changed_namespace_affects_its_layer_in_every_environment(history: Path, run_cli: RunCli) -> None:
    edit(history / "ssot/env.yaml", "namespace: data-{env}", "namespace: db-{env}")

    document = affected(run_cli, history)

    assert ids(document) == ["L3/staging", "L3/prod"]
    assert document["environments"] == ["staging", "prod"]
    assert document["atlantis_projects"] == ["data-staging", "data-prod"]
    staging = document["instances"][0]
    assert staging["namespace"] == "db-staging"  # the instance as it is now, as `ssot describe` gives it
    assert staging["reasons"] == ["namespace changed: data-staging -> db-staging"]


def test_an_environments_domain_affects_that_environment_only(history: Path, run_cli: RunCli) -> None:
    edit(history / "ssot/env.yaml", "    env_prefix: x-staging ", "    env_prefix: y-staging ")
    commit_all(history)  # committed changes count as well as uncommitted ones

    document = affected(run_cli, history, "HEAD~1")

    assert ids(document) == ["L3/staging", "L4/staging"]
    assert document["environments"] == ["staging"]
    assert any("tfvars value 'env_prefix' changed" in reason for reason in document["instances"][0]["reasons"])
    assert any(reason.startswith("domains changed") for reason in document["instances"][0]["reasons"])


def test_a_change_only_the_docs_show_affects_nothing(history: Path, run_cli: RunCli) -> None:
    ssot = history / "ssot/env.yaml"
    edit(ssot, "components: [Business databases]", "components: [Business databases, Caches]")
    edit(ssot, "    name: Data\n", "    name: Data stores\n    state_key: data/{env}/terraform.tfstate\n")
    edit(ssot, "Use **Namespace Isolation**", "Use **namespace isolation**")
    (history / "docs/extra.md").write_text("# More\n", encoding="utf-8")

    assert ids(affected(run_cli, history)) == []


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        ("terraform/data/main.tf", ["L3/staging", "L3/prod"]),  # a root every environment shares
        ("terraform/data/modules/db/main.tf", ["L3/staging", "L3/prod"]),  # a module inside it
        ("stacks/prod/apps/main.tf", ["L4/prod"]),  # an {env} root: that environment's instance only
        ("envs/staging.tfvars", ["L3/staging", "L4/staging"]),  # a var-file (new, untracked)
        ("terraform/database/main.tf", []),  # a sibling directory whose name starts the same
    ],
)
def test_a_changed_file_affects_the_instances_it_feeds(
    history: Path, run_cli: RunCli, changed: str, expected: list[str]
) -> None:
    path = history / changed
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# changed\n", encoding="utf-8")

    document = affected(run_cli, history)

    assert ids(document) == expected
    for record in document["instances"]:
        assert record["reasons"] == [f"{changed} changed"]


def test_a_new_environment_and_a_removed_one(history: Path, run_cli: RunCli) -> None:
    edit(
        history / "ssot/env.yaml",
        "  prod:\n    title: Prod\n",
        "  qa:\n    base_domain: example.com\n    env_prefix: qa\n  prod:\n    title: Prod\n",
    )
    commit_all(history)
    edit(
        history / "ssot/env.yaml",
        "  staging:\n    title: Staging\n    base_domain: example.com\n",
        "  staging2:\n    title: Staging\n    base_domain: example.com\n",
    )

    document = affected(run_cli, history, "HEAD~1")

    assert ids(document) == ["L3/staging2", "L4/staging2", "L3/qa", "L4/qa"]
    assert document["instances"][0]["reasons"] == ["new layer instance"]
    assert document["environments"] == ["staging2", "qa"]
    assert document["removed"]["environments"] == ["staging"]
    assert [r["atlantis_project"] for r in document["removed"]["instances"]] == ["data-staging", "apps-staging"]
    text = run_cli("affected", "--base", "HEAD~1", "--root", history).stdout
    assert "removed: staging, L3/staging, L4/staging" in text
    assert "  L3/qa (Atlantis project data-qa)\n    new layer instance\n" in text


@pytest.mark.parametrize("base_ssot", ["missing", "invalid"])
def test_without_a_usable_ssot_at_the_base_every_instance_is_affected(
    tmp_path: Path, run_cli: RunCli, base_ssot: str
) -> None:
    root = copy_repository(tmp_path)
    good = (root / "ssot/env.yaml").read_bytes()
    if base_ssot == "missing":
        (root / "ssot/env.yaml").unlink()
    else:
        (root / "ssot/env.yaml").write_text("layers: [\n", encoding="utf-8")
    git(root, "init", "-q")
    commit_all(root, "base")
    (root / "ssot/env.yaml").write_bytes(good)

    document = affected(run_cli, root)

    assert len(ids(document)) == 6
    note = "is not at the base" if base_ssot == "missing" else "at the base does not compile"
    assert document["instances"][0]["reasons"] == [f"new: ssot/env.yaml {note}"]


def test_a_root_below_the_top_of_the_work_tree(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "infra").mkdir()
    root = copy_repository(tmp_path / "infra")
    for old, new in ROOTS:
        edit(root / "ssot/env.yaml", old, new)
    (tmp_path / "terraform/data").mkdir(parents=True)  # outside the root: not its terraform/data
    git(tmp_path, "init", "-q")
    commit_all(tmp_path, "base")
    (tmp_path / "terraform/data/main.tf").write_text("# outside\n", encoding="utf-8")
    (root / "terraform/data").mkdir(parents=True)
    (root / "terraform/data/main.tf").write_text("# inside\n", encoding="utf-8")
    edit(root / "ssot/env.yaml", "namespace: apps-{env}", "namespace: web-{env}")

    document = affected(run_cli, root, cwd=root / "docs")  # the root found upwards, as for check

    assert ids(document) == ["L3/staging", "L4/staging", "L3/prod", "L4/prod"]
    assert document["instances"][0]["reasons"] == ["terraform/data/main.tf changed"]


@pytest.mark.parametrize(
    ("base", "said"),
    [
        ("no-such-branch", "--base no-such-branch: no such commit in this repository"),
        ("HEAD~5", "--base HEAD~5: no such commit in this repository"),
        ("--all", "--base '--all': not a commit"),
    ],
)
def test_a_base_that_names_no_commit_is_trouble(history: Path, run_cli: RunCli, base: str, said: str) -> None:
    result = run_cli("affected", f"--base={base}", "--root", history)
    assert result.code == 2, result
    assert result.stderr == f"ssot: {said}" + result.stderr.removeprefix(f"ssot: {said}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stdout == ""

    as_json = run_cli("affected", f"--base={base}", "--format", "json", "--root", history)
    assert as_json.code == 2
    (finding,) = json.loads(as_json.stdout)["findings"]
    assert finding["code"] == "invalid-input" and said in finding["message"]


def test_affected_outside_a_git_repository_is_trouble(tmp_path: Path, run_cli: RunCli) -> None:
    root = copy_repository(tmp_path)
    result = run_cli("affected", "--base", "HEAD", "--root", root)
    assert result.code == 2, result
    assert result.stderr.startswith("ssot: --base needs a git repository"), result
    assert str(root.resolve()) in result.stderr


def test_base_is_required(history: Path, run_cli: RunCli) -> None:
    result = run_cli("affected", "--root", history)
    assert result.code == 2 and "--base" in result.stderr, result


def test_a_root_at_the_top_holds_only_the_files_directly_in_it(history: Path, run_cli: RunCli) -> None:
    edit(
        history / "ssot/env.yaml",
        "    managed_by: github-actions #",
        "    terraform_dir: .\n    managed_by: github-actions #",
    )
    commit_all(history)
    (history / "main.tf").write_text("# changed\n", encoding="utf-8")
    (history / "terraform/data/main.tf").write_text("# changed\n", encoding="utf-8")

    document = affected(run_cli, history)

    assert ids(document) == ["L1", "L3/staging", "L3/prod"]
    assert document["instances"][0]["reasons"] == ["main.tf changed"]
    assert document["instances"][1]["reasons"] == ["terraform/data/main.tf changed"]
