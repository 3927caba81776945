"""`ssot describe`: the compiled facts as a versioned JSON document (for CI matrices) or a table, in-process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import RunCli, edit

from compiler.app.describe import SCHEMA


def _described(run_cli: RunCli, repo: Path) -> dict[str, Any]:
    result = run_cli("describe", "--format", "json", "--root", repo)
    assert result.code == 0, result
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    return document


def test_describe_json_holds_every_fact_of_every_layer_instance(repo: Path, run_cli: RunCli) -> None:
    document = _described(run_cli, repo)

    assert document["schema"] == SCHEMA == "ssot-describe/1"
    assert [env["name"] for env in document["environments"]] == ["staging", "prod"]
    staging = document["environments"][0]
    assert staging["var_file"] == "envs/staging.tfvars"
    assert staging["domains"] == {
        "base": "example.com",
        "internal": "example.com",
        "env_prefix": "x-staging",
        "business": "x-staging.example.com",
        "platform": "example.com",
    }
    instances = {record["id"]: record for record in document["instances"]}
    # shared layers first, once each (env null), then per environment in layer order
    assert list(instances) == ["L1", "L2", "L3/staging", "L4/staging", "L3/prod", "L4/prod"]
    assert document["shared_layers"] == ["L1", "L2"]
    assert instances["L3/staging"] == {
        "id": "L3/staging",
        "layer": "L3",
        "name": "Data",
        "scope": "per-env",
        "env": "staging",
        "managed_by": "atlantis",
        "namespace": "data-staging",
        "workspace": "staging",
        "atlantis_project": "data-staging",
        "state_key": "data/staging/terraform.tfstate",
        "var_file": "envs/staging.tfvars",
        "terraform_dirs": [],
        "domains": staging["domains"],
    }
    assert instances["L2"]["env"] is None and instances["L2"]["domains"] is None
    assert instances["L2"]["workspace"] == "default" and instances["L2"]["var_file"] is None
    assert instances["L1"]["atlantis_project"] is None  # managed by GitHub Actions
    # every instance has every key (null when it does not apply): a matrix can rely on them
    assert len({tuple(record) for record in instances.values()}) == 1


def test_describe_follows_the_ssot(repo: Path, run_cli: RunCli) -> None:
    ssot = repo / "ssot/env.yaml"
    edit(ssot, "    namespace: data-{env}\n", "    namespace: db-{env}\n    terraform_dir: stacks/{env}/data\n")
    # once one Atlantis-managed layer names a root, every one must
    edit(ssot, "    atlantis_project: platform\n", "    atlantis_project: platform\n    terraform_dir: platform\n")
    edit(ssot, "    namespace: apps-{env}\n", "    namespace: apps-{env}\n    terraform_dir: stacks/{env}/apps\n")
    edit(
        ssot,
        "  prod:\n    title: Prod\n",
        "  qa:\n    base_domain: qa.example.com\n    env_prefix: ''\n  prod:\n    title: Prod\n",
    )

    document = _described(run_cli, repo)

    assert [env["name"] for env in document["environments"]] == ["staging", "qa", "prod"]
    instances = {record["id"]: record for record in document["instances"]}
    assert instances["L3/qa"]["namespace"] == "db-qa"
    assert instances["L3/qa"]["terraform_dirs"] == ["stacks/qa/data"]
    assert instances["L3/qa"]["domains"]["business"] == "qa.example.com"
    assert document["layers"][2]["terraform_dirs"] == ["stacks/{env}/data"]


def test_describe_text_is_a_table_of_the_layer_instances(repo: Path, run_cli: RunCli) -> None:
    result = run_cli("describe", "--root", repo)
    assert result.code == 0, result
    lines = result.stdout.splitlines()
    assert "staging (Staging): business x-staging.example.com, platform example.com" in result.stdout
    (row,) = [line for line in lines if line.split()[:2] == ["L3", "prod"]]
    assert row.split() == [
        "L3",
        "prod",
        "data-prod",
        "prod",
        "data-prod",
        "data/prod/terraform.tfstate",
        "envs/prod.tfvars",
    ]
    (shared,) = [line for line in lines if line.split()[:1] == ["L1"]]
    assert shared.split() == ["L1", "-", "-", "default", "-", "bootstrap/terraform.tfstate", "-"]


def test_describe_finds_the_repository_upwards(repo: Path, run_cli: RunCli) -> None:
    result = run_cli("describe", "--format", "json", cwd=repo / "docs" / "ssot")
    assert result.code == 0, result
    assert json.loads(result.stdout)["schema"] == SCHEMA


def test_describe_of_an_invalid_ssot_is_trouble_with_a_json_document(repo: Path, run_cli: RunCli) -> None:
    edit(repo / "ssot/env.yaml", "    scope: shared              #", "    scope: global              #")
    result = run_cli("describe", "--format", "json", "--root", repo)
    assert result.code == 2, result
    document = json.loads(result.stdout)
    assert document["ok"] is False
    assert document["findings"][0]["code"] == "invalid-ssot"
    assert document["findings"][0]["file"] == "ssot/env.yaml" and document["findings"][0]["line"] > 0

    text = run_cli("describe", "--root", repo)
    assert text.code == 2 and text.stderr.startswith("ssot/env.yaml:"), text
    assert "Traceback" not in text.stderr


def test_describe_of_environments_with_only_names_has_no_domains_and_no_var_file(
    tmp_path: Path, run_cli: RunCli
) -> None:
    (tmp_path / "ssot").mkdir()
    (tmp_path / "ssot" / "env.yaml").write_text(
        "layers:\n  app: {name: App, scope: per-env, managed_by: github-actions, components: [Web]}\n"
        "isolation: {shared: none, per_env: one account each}\nenvironments:\n  dev: {}\n"
        "layout:\n  tfvars: []\n",
        encoding="utf-8",
    )
    document = _described(run_cli, tmp_path)
    assert document["environments"] == [{"name": "dev", "title": "Dev", "var_file": None, "domains": None}]
    assert document["instances"][0]["domains"] is None
    text = run_cli("describe", "--root", tmp_path)
    assert text.code == 0, text
    assert "  dev (Dev): var-file -\n" in text.stdout
