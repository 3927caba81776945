"""atlantis.yaml: rendered from the SSOT (compiler/render/atlantis.py), compared as data
(compiler/compare/yaml_data.py), written and checked through the registry only when a project has a directory.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

import pytest
import yaml
from conftest import RunCli, edit, line_of

from compiler import codes
from compiler.app.engine import build, check_repository
from compiler.artifacts.registry import generated_paths, render_generated_files
from compiler.compare.yaml_data import compare_yaml
from compiler.core.facts import Facts, compile_text
from compiler.core.layout import ATLANTIS_CONFIG, SSOT_PATH
from compiler.render.atlantis import HEADER, relative, render_atlantis_yaml, yaml_scalar

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
    managed_by: github-actions
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
    # L2 and L4 are no Atlantis layers: no project, though L2 has a root
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


@pytest.mark.parametrize(
    "current",
    [
        "<<<<<<< HEAD\nversion: [\n",
        "a: 1\n---\nb: 2\n",
        "? [a]\n: 1\n",
        # past the SSOT's budgets: deeper than Python's stack, and aliases that expand past a billion values
        "version: 3\nextra: " + "[" * 5000 + "]" * 5000 + "\n",
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
            for p, c in zip("abcdefgh", "bcdefghi")
        ),
    ],
    ids=["conflict", "two-documents", "unhashable-key", "too-deep", "alias-bomb"],
)
def test_a_file_that_is_no_single_yaml_document_is_stale(current: str) -> None:
    [finding] = compare_yaml(ATLANTIS_CONFIG, current, render_atlantis_yaml(_facts()))
    assert finding.code == codes.STALE_ARTIFACT


#: the example repository's Atlantis layers, and where each gets a root
_PROJECTS = {"platform": "terraform/platform", "data-{env}": "terraform/data", "apps-{env}": "terraform/apps"}


def with_atlantis_roots(repo: Path) -> Path:
    """The example repository with a terraform_dir on each Atlantis-managed layer (roots not on disk)."""
    for project, directory in _PROJECTS.items():
        anchor = f"    atlantis_project: {project}\n"
        edit(repo / SSOT_PATH, anchor, f"{anchor}    terraform_dir: {directory}\n")
    return repo


def test_check_finds_a_changed_workspace_at_its_line_and_build_restores_it(repo: Path) -> None:
    with_atlantis_roots(repo)
    assert not (repo / ATLANTIS_CONFIG).exists()
    build(repo)
    written = (repo / ATLANTIS_CONFIG).read_text(encoding="utf-8")
    assert not [f for f in check_repository(repo).findings if f.file == ATLANTIS_CONFIG]

    edit(repo / ATLANTIS_CONFIG, "name: data-staging\n    dir: terraform/data\n    workspace: staging",
         "name: data-staging\n    dir: terraform/data\n    workspace: prod")  # fmt: skip
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


# -- workflow and Terraform version --

WORKFLOWS = """\
atlantis:
  workflow: terragrunt
  terraform_version: v1.7.5
"""


def test_workflow_and_terraform_version_come_from_the_defaults_unless_a_layer_sets_its_own() -> None:
    text = SSOT.replace("isolation:", WORKFLOWS + "isolation:").replace(
        "    atlantis_project: data-{env}\n",
        "    atlantis_project: data-{env}\n    atlantis_workflow: apply-{env}\n    terraform_version: 1.8.0\n",
    )
    projects = yaml.safe_load(render_atlantis_yaml(_facts(text)))["projects"]
    assert [(p["name"], p["workflow"], p["terraform_version"]) for p in projects] == [
        ("bootstrap", "terragrunt", "v1.7.5"),
        ("data-staging", "apply-staging", "1.8.0"),
        ("data-no", "apply-no", "1.8.0"),
    ]
    assert "workflow" not in render_atlantis_yaml(_facts())  # unset: Atlantis' own default, not written


def test_a_changed_workflow_is_a_finding_at_its_line(repo: Path) -> None:
    with_atlantis_roots(repo)
    edit(repo / SSOT_PATH, "\nisolation:", "\n" + WORKFLOWS + "isolation:")
    build(repo)
    edit(repo / ATLANTIS_CONFIG, "workflow: terragrunt", "workflow: custom", count=5)
    changed = (repo / ATLANTIS_CONFIG).read_text(encoding="utf-8")
    findings = [f for f in check_repository(repo).findings if f.file == ATLANTIS_CONFIG]
    assert (findings[0].code, findings[0].line, findings[0].expected, findings[0].found) == (
        codes.YAML_VALUE,
        line_of(changed, "workflow: custom"),
        '"terragrunt"',
        '"custom"',
    )
    assert len(findings) == 5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (
                "    atlantis_project: data-{env}\n",
                "    atlantis_project: data-{env}\n    terraform_dir: terraform/data\n",
            ),
            (
                "layer L2 is managed by atlantis but names no terraform_dir, while L3 does: atlantis.yaml would "
                "have no project for L2; add its terraform_dir"
            ),
        ),
        (
            ("    managed_by: github-actions #", "    terraform_version: v1.7.5\n    managed_by: github-actions #"),
            "layer L1 is managed by github-actions: terraform_version goes to atlantis.yaml only, so it has none",
        ),
        (
            (
                "    atlantis_project: platform\n",
                "    atlantis_project: platform\n    atlantis_workflow: apply-{env}\n",
            ),
            "atlantis_workflow 'apply-{env}' of shared layer L2 must not contain {env}: a shared layer is a singleton",
        ),
        (
            ("\nisolation:", "\natlantis:\n  workflow: apply-{env}\nisolation:"),
            "atlantis.workflow 'apply-{env}' holds a placeholder; only a layer's atlantis_workflow may hold {env}",
        ),
    ],
    ids=["atlantis-layer-without-root", "version-on-github-actions", "env-in-shared-workflow", "env-in-default"],
)
def test_atlantis_settings_the_file_could_not_say_are_refused_at_their_line(
    repo: Path, run_cli: RunCli, change: tuple[str, str], message: str
) -> None:
    edit(repo / SSOT_PATH, *change)
    text = (repo / SSOT_PATH).read_text(encoding="utf-8")
    where = {"L2": "  L2:", "L1": "    terraform_version:"}
    result = run_cli("check", "--root", repo)
    assert result.code == 2, result
    assert message in result.stderr
    [line] = [ln for ln in result.stderr.splitlines() if message in ln]
    if "L2 is managed by atlantis" in message:
        assert line.startswith(f"{SSOT_PATH}:{line_of(text, '  L2:') + 3}:")  # its managed_by line
    elif "github-actions" in message:
        assert line.startswith(f"{SSOT_PATH}:{line_of(text, where['L1'])}:")


# -- an atlantis.yaml the SSOT no longer generates --


def _without_roots(repo: Path) -> None:
    for directory in _PROJECTS.values():
        edit(repo / SSOT_PATH, f"    terraform_dir: {directory}\n", "")


def test_a_generated_atlantis_yaml_goes_when_no_layer_calls_for_it(repo: Path, run_cli: RunCli) -> None:
    build(with_atlantis_roots(repo))
    assert (repo / ATLANTIS_CONFIG).read_text(encoding="utf-8").startswith(HEADER + " sha256:")
    _without_roots(repo)

    checked = run_cli("check", "--root", repo)
    assert checked.code == 1, checked
    assert (
        f"{ATLANTIS_CONFIG}: is ssot build's atlantis.yaml, which ssot/env.yaml no longer generates (no layer "
        "managed by atlantis names a terraform_dir); ssot build removes it"
    ) in checked.stdout
    built = run_cli("build", "--root", repo)
    assert built.code == 0 and f"removed {ATLANTIS_CONFIG}" in built.stdout, built
    assert not (repo / ATLANTIS_CONFIG).exists()
    assert run_cli("check", "--root", repo).code == 0


def test_an_edited_atlantis_yaml_is_kept_and_reported(repo: Path, run_cli: RunCli) -> None:
    build(with_atlantis_roots(repo))
    config = repo / ATLANTIS_CONFIG
    config.write_text(config.read_text(encoding="utf-8") + "    workflow: ours\n", encoding="utf-8")
    text = config.read_text(encoding="utf-8")
    _without_roots(repo)

    checked = run_cli("check", "--root", repo)
    assert checked.code == 1, checked
    assert (
        f"{ATLANTIS_CONFIG}:1: starts as ssot build's atlantis.yaml, which ssot/env.yaml no longer generates (no "
        "layer managed by atlantis names a terraform_dir), but was edited since; ssot build keeps it"
    ) in checked.stdout
    assert run_cli("build", "--root", repo).code == 0
    assert config.read_text(encoding="utf-8") == text


def test_a_hand_written_atlantis_yaml_is_none_of_its_business(repo: Path, run_cli: RunCli) -> None:
    hand_written = "version: 3\nprojects:\n  - dir: terraform/data\n"
    (repo / ATLANTIS_CONFIG).write_text(hand_written, encoding="utf-8")

    assert run_cli("check", "--root", repo).code == 0
    assert run_cli("build", "--root", repo).code == 0
    assert (repo / ATLANTIS_CONFIG).read_text(encoding="utf-8") == hand_written


# -- one set of facts for the docs and atlantis.yaml --


def test_the_docs_and_atlantis_yaml_show_the_same_workspaces_and_var_files(repo: Path) -> None:
    """For each project, the environment page's row of its layer names the same workspace, and the var-file
    its autoplan watches; the state key shown is the instance's, which no other renderer computes."""
    with_atlantis_roots(repo)
    edit(repo / SSOT_PATH, "    atlantis_project: apps-{env}\n", "    atlantis_project: apps-{env}\n"
         "    state_key: k3s/apps-{env}.tfstate\n")  # fmt: skip
    build(repo)
    facts = compile_text((repo / SSOT_PATH).read_text(encoding="utf-8"), SSOT_PATH)
    projects = {p["name"]: p for p in yaml.safe_load((repo / ATLANTIS_CONFIG).read_text(encoding="utf-8"))["projects"]}
    for env in facts.environments:
        page = (repo / f"docs/ssot/environments/{env.name}.md").read_text(encoding="utf-8")
        for instance in env.layers:
            project = projects[instance.atlantis_project]
            row = next(line for line in page.splitlines() if line.startswith("|") and f"`{instance.workspace}`" in line
                       and instance.layer.name in line)  # fmt: skip
            assert project["workspace"] == instance.workspace
            watched = [p for p in project["autoplan"]["when_modified"] if p.endswith(".tfvars") and p != "*.tfvars"]
            assert [posixpath.normpath(posixpath.join(project["dir"], p)) for p in watched] == [instance.var_file]
            assert f"`{instance.var_file}`" in row and f"`{instance.state_key}`" in row
    assert "k3s/apps-prod.tfstate" in (repo / "docs/ssot/environments/prod.md").read_text(encoding="utf-8")
