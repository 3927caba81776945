"""atlantis.yaml: rendered from the SSOT (compiler/render/atlantis.py), compared as data
(compiler/compare/yaml_data.py), written and checked through the registry only when a project has a directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import edit, line_of

from compiler import codes
from compiler.app.engine import build, check_repository
from compiler.artifacts.registry import generated_paths, render_generated_files
from compiler.compare.yaml_data import compare_yaml
from compiler.core.facts import Facts, compile_text
from compiler.core.layout import ATLANTIS_CONFIG, SSOT_PATH
from compiler.render.atlantis import relative, render_atlantis_yaml, yaml_scalar

SSOT = """\
layers:
  L1:
    name: Bootstrap
    scope: shared
    managed_by: atlantis
    atlantis_project: bootstrap
    terraform_dir: ./terraform/bootstrap/
    components: [Network]
  L2:
    name: Tools
    scope: shared
    managed_by: github-actions
    terraform_dir: terraform/tools
    components: [Runner]
  L3:
    name: Data
    scope: per-env
    managed_by: atlantis
    atlantis_project: data-{env}
    terraform_dir:
      - envs/{env}/data
      - modules/data
    components: [Postgres]
  L4:
    name: Apps
    scope: per-env
    managed_by: atlantis
    atlantis_project: apps-{env}
    components: [Web]
isolation: {shared: one cluster, per_env: namespaces}
environments:
  staging: {base_domain: example.org, env_prefix: staging}
  "no": {base_domain: example.org, env_prefix: ""}
variables:
  environment: {type: string, description: Name.}
  base_domain: {type: string, description: Apex.}
  internal_domain: {type: string, required: false, default_from: base_domain, description: Internal.}
  env_prefix: {type: string, description: Prefix.}
decisions: []
"""


def _facts(text: str = SSOT) -> Facts:
    return compile_text(text, SSOT_PATH)


def test_one_project_per_managed_instance_with_a_directory_read_back_as_intended() -> None:
    config = yaml.safe_load(render_atlantis_yaml(_facts()))
    assert config["version"] == 3
    # L2 is no Atlantis layer; L4 has no terraform_dir, so no dir to plan in: neither is a project
    assert config["projects"] == [
        {
            "name": "bootstrap",
            "dir": "terraform/bootstrap",
            "workspace": "default",
            "execution_order_group": 0,
            "autoplan": {"enabled": True, "when_modified": ["*.tf", "*.tfvars", ".terraform.lock.hcl"]},
        },
        *(
            {
                "name": f"data-{env}",
                "dir": f"envs/{env}/data",
                "workspace": env,
                "execution_order_group": 2,
                "autoplan": {
                    "enabled": True,
                    "when_modified": [
                        "*.tf",
                        "*.tfvars",
                        ".terraform.lock.hcl",
                        "../../../modules/data/*.tf",
                        f"../../{env}.tfvars",
                    ],
                },
            }
            for env in ("staging", "no")
        ),
    ]


@pytest.mark.parametrize("text", ["no", "3", "*.tf", "a: b", "#x", "data-{env}", "'q'", "é", "", "null", "- x"])
def test_a_scalar_reads_back_as_the_same_string(text: str) -> None:
    assert yaml.safe_load(f"key: {yaml_scalar(text)}") == {"key": text}


@pytest.mark.parametrize(
    ("target", "start", "expected"),
    [
        ("envs/dev.tfvars", "terraform/data", "../../envs/dev.tfvars"),
        ("envs/dev.tfvars", "envs/dev/data", "../../dev.tfvars"),
        ("envs/dev.tfvars", ".", "envs/dev.tfvars"),
        ("dev.tfvars", "terraform", "../dev.tfvars"),
    ],
)
def test_paths_are_relative_to_the_project_directory(target: str, start: str, expected: str) -> None:
    assert relative(target, start) == expected


def test_not_generated_when_no_managed_layer_has_a_directory() -> None:
    facts = _facts(
        SSOT.replace("    terraform_dir: ./terraform/bootstrap/\n", "").replace(
            "    terraform_dir:\n      - envs/{env}/data\n      - modules/data\n", ""
        )
    )
    assert ATLANTIS_CONFIG not in generated_paths(facts)
    assert ATLANTIS_CONFIG not in render_generated_files(facts)
    assert ATLANTIS_CONFIG in generated_paths(_facts())


def test_layout_quoting_and_project_order_are_no_drift() -> None:
    expected = render_atlantis_yaml(_facts())
    config = yaml.safe_load(expected)
    config["projects"].reverse()
    current = yaml.safe_dump(config, default_flow_style=True)
    assert compare_yaml(ATLANTIS_CONFIG, current, expected) == []


def test_a_changed_value_is_a_finding_at_its_line_with_expected_and_found() -> None:
    expected = render_atlantis_yaml(_facts())
    current = expected.replace("workspace: staging", "workspace: prod")
    [finding] = compare_yaml(ATLANTIS_CONFIG, current, expected)
    assert (finding.code, finding.line) == (codes.YAML_VALUE, line_of(current, "workspace: prod"))
    assert finding.message == '\'projects[data-staging].workspace\': expected "staging", found "prod"'
    assert (finding.expected, finding.found) == ('"staging"', '"prod"')


def test_missing_and_extra_keys_and_projects_are_findings() -> None:
    expected = render_atlantis_yaml(_facts())
    current = expected.replace("    workspace: default\n", "    workflow: custom\n").replace(
        "name: data-no", "name: data-yes"
    )
    found = sorted((f.line, f.message.split(";")[0]) for f in compare_yaml(ATLANTIS_CONFIG, current, expected))
    assert found == [
        # a missing key is reported at its mapping, a missing project where the list starts
        (line_of(current, "name: bootstrap"), "'projects[bootstrap].workspace' is missing"),
        (line_of(current, "name: bootstrap"), "'projects[data-no]' is missing"),
        (line_of(current, "workflow: custom"), "'projects[bootstrap].workflow' is not generated"),
        (line_of(current, "name: data-yes"), "'projects[data-yes]' is not generated"),
    ]


@pytest.mark.parametrize("current", ["<<<<<<< HEAD\nversion: [\n", "a: 1\n---\nb: 2\n", "? [a]\n: 1\n"])
def test_a_file_that_is_no_single_yaml_document_is_stale(current: str) -> None:
    [finding] = compare_yaml(ATLANTIS_CONFIG, current, render_atlantis_yaml(_facts()))
    assert finding.code == codes.STALE_ARTIFACT


def test_check_finds_a_changed_workspace_at_its_line_and_build_restores_it(repo: Path) -> None:
    edit(
        repo / SSOT_PATH,
        "    atlantis_project: data-{env}\n",
        "    atlantis_project: data-{env}\n    terraform_dir: terraform/data\n",
    )
    assert not (repo / ATLANTIS_CONFIG).exists()
    build(repo)
    written = (repo / ATLANTIS_CONFIG).read_text(encoding="utf-8")
    assert not [f for f in check_repository(repo).findings if f.file == ATLANTIS_CONFIG]

    edit(repo / ATLANTIS_CONFIG, "workspace: staging", "workspace: prod")
    findings = [f for f in check_repository(repo).findings if f.file == ATLANTIS_CONFIG]
    changed = (repo / ATLANTIS_CONFIG).read_text(encoding="utf-8")
    assert [(f.code, f.line, f.expected, f.found) for f in findings] == [
        (codes.YAML_VALUE, line_of(changed, "workspace: prod"), '"staging"', '"prod"')
    ]
    # the workspace is the environment's name: the finding says where that is written
    ssot = (repo / SSOT_PATH).read_text(encoding="utf-8")
    assert findings[0].source is not None
    assert (findings[0].source.path, findings[0].source.line) == ("environments.staging", line_of(ssot, "  staging:"))
    build(repo)
    assert (repo / ATLANTIS_CONFIG).read_text(encoding="utf-8") == written
