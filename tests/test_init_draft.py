"""What `ssot init` drafts from a repository's shape, in-process: each drafting rule on a small repository
written in tmp_path, asserted on the facts of the drafted YAML (compiler/app/init/)."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from compiler.app.init import Draft, _refused_values, draft_repository
from compiler.app.init.draft import draft
from compiler.app.init.repository import read_repository
from compiler.core.facts import compile_text
from compiler.errors import SsotError

APP_MODULE = 'variable "instance_type" {\n  type = string\n}\n\nvariable "ami" {\n  type = string\n}\n'
ENV_ROOT = """
module "app" {
  source        = "../../modules/app"
  instance_type = var.instance_type
  ami           = "ami-123"
}

variable "instance_type" {
  type        = string
  description = "Size of the app's instances."
}

variable "region" {
  type    = string
  default = "eu-west-1"
}
"""
ONE_DIR_PER_ENV_ATLANTIS = """
version: 3
automerge: true
projects:
  - name: dev
    dir: infra/environments/dev
    workspace: default
    autoplan:
      when_modified: ["*.tf", "../../modules/**/*.tf"]
  - name: prod
    dir: infra/environments/prod
    workspace: default
    apply_requirements: [approved, mergeable]
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


def drafted(root: Path) -> tuple[dict[str, Any], Draft]:
    result = draft_repository(root)
    data = yaml.safe_load(result.text)
    assert isinstance(data, dict)
    return data, result


def one_dir_per_env(root: Path) -> Path:
    """infra/environments/{dev,prod} calling infra/modules/app, one Atlantis project each, default workspace."""
    return write(
        root,
        {
            "atlantis.yaml": ONE_DIR_PER_ENV_ATLANTIS,
            "infra/modules/app/variables.tf": APP_MODULE,
            "infra/environments/dev/main.tf": ENV_ROOT,
            "infra/environments/prod/main.tf": ENV_ROOT,
            "infra/environments/dev/terraform.tfvars": 'instance_type = "t3.small"\n',
            "infra/environments/prod/terraform.tfvars": 'instance_type = "m5.large"\n',
        },
    )


# 1. a file init cannot parse is listed for review; the draft goes on


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("envs/prod.tfvars.example", "region = \"eu\"\nstartup = <<'KEY'\necho hi\nKEY\n"),
        ("terraform/data/broken.tf", 'variable "x" {\n  type = \n'),
        ("mkdocs.yml", "site_name: [unclosed\n"),
    ],
)
def test_a_file_init_cannot_parse_is_listed_for_review_and_the_draft_goes_on(
    tmp_path: Path, path: str, text: str
) -> None:
    write(
        tmp_path,
        {
            "terraform/data/variables.tf": 'variable "region" {\n  type = string\n}\n',
            "envs/staging.tfvars.example": 'region = "eu"\n',
            "envs/prod.tfvars.example": 'region = "us"\n',
            path: text,
        },
    )
    data, result = drafted(tmp_path)
    assert any(line.startswith(f"{path} could not be read") for line in result.review)
    assert f"# TODO review: {path} could not be read" in result.text
    assert list(data["environments"]) == ["staging", "prod"]  # the file's name is still evidence
    assert [layer["terraform_dir"] for layer in data["layers"].values()] == ["terraform/data"]
    compile_text(result.text, "ssot/env.yaml")  # the draft validates


def test_an_unparsable_atlantis_yaml_is_listed_and_the_roots_drafted(tmp_path: Path) -> None:
    write(tmp_path, {"atlantis.yaml": "projects: [\n", "platform/main.tf": 'variable "a" {\n  type = string\n}\n'})
    data, result = drafted(tmp_path)
    assert "atlantis.yaml could not be read: not valid YAML (line 2); nothing was drafted from it" in result.review
    assert [layer["terraform_dir"] for layer in data["layers"].values()] == ["platform"]


# 2. one directory per environment: one per-env layer, in the projects' default workspace


def test_one_directory_per_environment_is_one_per_env_layer_in_the_default_workspace(tmp_path: Path) -> None:
    data, _ = drafted(one_dir_per_env(tmp_path))
    assert list(data["layers"]) == ["L1"]
    layer = data["layers"]["L1"]
    assert (layer["scope"], layer["terraform_dir"], layer["workspace"]) == (
        "per-env",
        "infra/environments/{env}",
        "default",
    )
    assert (layer["managed_by"], layer["atlantis_project"]) == ("atlantis", "{env}")
    assert list(data["environments"]) == ["dev", "prod"]


@pytest.mark.parametrize(
    ("dirs", "pattern", "envs"),
    [
        (["envs/staging/data", "envs/prod/data"], "envs/{env}/data", ["staging", "prod"]),
        (["live/prod/app"], "live/{env}/app", ["prod"]),
        (["stacks/qa/net", "stacks/dev/net"], "stacks/{env}/net", ["dev", "qa"]),
    ],
)
def test_env_named_directories_without_a_project_file_are_one_per_env_layer(
    tmp_path: Path, dirs: list[str], pattern: str, envs: list[str]
) -> None:
    write(tmp_path, {f"{d}/main.tf": 'variable "a" {\n  type = string\n}\n' for d in dirs})
    data, _ = drafted(tmp_path)
    assert [(layer["scope"], layer["terraform_dir"]) for layer in data["layers"].values()] == [("per-env", pattern)]
    assert data["layers"]["L1"]["workspace"] == "default"
    assert list(data["environments"]) == envs


def test_the_one_directory_per_environment_draft_validates(tmp_path: Path) -> None:
    facts = compile_text(draft_repository(one_dir_per_env(tmp_path)).text, "ssot/env.yaml")
    assert [(i.atlantis_project, i.workspace) for e in facts.environments for i in e.layers] == [
        ("dev", "default"),
        ("prod", "default"),
    ]


def test_projects_that_are_not_one_per_environment_stay_shared_layers_as_written(tmp_path: Path) -> None:
    atlantis = """
    version: 3
    projects:
      - {name: data-staging, dir: envs/staging/data}
      - {name: data-prod, dir: envs/prod/data}
      - {name: apps-prod, dir: envs/prod/apps}
    """
    write(tmp_path, {"atlantis.yaml": atlantis, **{f"envs/{e}/data/main.tf": "" for e in ("staging", "prod")}})
    data, result = drafted(tmp_path)
    layers = list(data["layers"].values())
    assert [(layer["scope"], layer["atlantis_project"]) for layer in layers] == [
        ("per-env", "data-{env}"),
        ("shared", "apps-prod"),
    ]
    assert (layers[1]["terraform_dir"], layers[1].get("workspace")) == ("envs/prod/apps", None)  # as it is
    assert "projects apps-prod look alike but not one per environment (none for staging)" in "\n".join(result.review)


# 3. a folder the roots link into, or call as a module, is no layer


def test_a_folder_linked_into_every_root_is_a_further_root_not_a_layer(tmp_path: Path) -> None:
    write(tmp_path, {"envs/data-shared/variables.tf": 'variable "replicas" {\n  type = number\n}\n'})
    for env in ("dev", "prod"):
        (tmp_path / f"envs/{env}/data").mkdir(parents=True)
        os.symlink("../../data-shared/variables.tf", tmp_path / f"envs/{env}/data/variables.tf")
    data, _ = drafted(tmp_path)
    assert [(layer["scope"], layer["terraform_dir"]) for layer in data["layers"].values()] == [
        ("per-env", ["envs/{env}/data", "envs/data-shared"])
    ]
    assert list(data["environments"]) == ["dev", "prod"]  # data-shared is no environment


def test_a_folder_called_as_a_module_is_no_layer_and_its_inputs_are_no_contract(tmp_path: Path) -> None:
    data, result = drafted(one_dir_per_env(tmp_path))
    assert all("modules" not in str(layer["terraform_dir"]) for layer in data["layers"].values())
    assert set(data["variables"]) == {"instance_type", "region"}  # the roots'; not the module's ami
    assert not any("modules" in line for line in result.review)


# 4. environments on evidence, never a placeholder


@pytest.mark.parametrize(
    ("files", "envs"),
    [
        (
            {"atlantis.yaml": "projects:\n  - {dir: tf, workspace: qa}\n  - {dir: tf, workspace: prod}\n"},
            ["qa", "prod"],
        ),
        ({"digger.yml": "projects:\n  - {name: net-dev, dir: tf}\n  - {name: net-uat, dir: tf2}\n"}, ["dev", "uat"]),
        ({"envs/prod.tfvars.example": "", "envs/staging.tfvars": "", "envs/x.backend.tfvars": ""}, ["staging", "prod"]),
        ({"vars/eu1.tfvars": "", "vars/us1.tfvars": "", "tf/terraform.tfvars": ""}, ["eu1", "us1"]),
        ({}, ["default"]),
        ({"live/dns/main.tf": "", "live/net/main.tf": ""}, ["default"]),  # live/ may hold components
        ({"live/blue/app/main.tf": "", "live/prod/app/main.tf": ""}, ["prod", "blue"]),  # beside a known name
    ],
)
def test_environments_come_from_evidence(tmp_path: Path, files: dict[str, str], envs: list[str]) -> None:
    write(tmp_path, {"tf/main.tf": "", "tf2/main.tf": "", **files})
    data, result = drafted(tmp_path)
    assert list(data["environments"]) == envs
    assert "staging" in envs or "staging" not in result.text
    assert ("no environment found" in "\n".join(result.review)) == (envs == ["default"])


# 5. the contract: the variables of the roots tfvars files feed; values where a tfvars file states them


def test_the_contract_is_the_fed_roots_variables_with_each_environments_stated_values(tmp_path: Path) -> None:
    data, _ = drafted(one_dir_per_env(tmp_path))
    assert data["variables"]["instance_type"] == {"type": "string", "description": "Size of the app's instances."}
    assert data["variables"]["region"]["required"] is False  # Terraform gives it a default
    values = {env: fields.get("values") for env, fields in data["environments"].items()}
    assert values == {"dev": {"instance_type": "t3.small"}, "prod": {"instance_type": "m5.large"}}
    assert data["layout"]["tfvars"] == [{"file": "infra/environments/{env}/terraform.tfvars", "feeds": ["L1"]}]


def test_a_shared_roots_variables_are_no_contract_when_no_tfvars_feeds_it(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "platform/main.tf": 'variable "admin_email" {\n  type = string\n}\n',
            "data/main.tf": 'variable "replicas" {\n  type = number\n}\n',
            "atlantis.yaml": "projects:\n  - {name: platform, dir: platform}\n"
            "  - {name: data-staging, dir: data, workspace: staging}\n  - {name: data-prod, dir: data, workspace: prod}\n",
            "envs/staging.tfvars.example": "replicas = 1.5\n",
        },
    )
    data, result = drafted(tmp_path)
    assert set(data["variables"]) == {"replicas"}
    assert data["environments"]["staging"]["values"] == {"replicas": 1.5}
    assert data["environments"]["prod"]["values"] == {"replicas": 0}  # a placeholder, marked for review
    assert "      replicas: 0  # TODO review" in result.text
    assert "layout" not in data  # envs/{env}.tfvars feeding the per-env layers is the default
    compile_text(result.text, "ssot/env.yaml")


def test_a_repository_without_tfvars_has_no_tfvars_and_no_contract(tmp_path: Path) -> None:
    write(tmp_path, {"envs/dev/main.tf": 'variable "a" {\n  type = string\n}\n', "envs/prod/main.tf": ""})
    data, _ = drafted(tmp_path)
    assert data["layout"] == {"tfvars": []}
    assert data["variables"] == {}


def test_no_environment_field_is_invented(tmp_path: Path) -> None:
    data, result = drafted(one_dir_per_env(tmp_path))
    for fields in data["environments"].values():
        assert set(fields) <= {"values"}
    assert "example.com" not in result.text


def test_a_domain_a_tfvars_file_states_is_drafted_as_stated(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "data/main.tf": 'variable "base_domain" {\n  type = string\n}\n',
            "atlantis.yaml": "projects:\n  - {name: data-dev, dir: data, workspace: dev}\n",
            "envs/dev.tfvars.example": 'base_domain = "dev.example.org"\n',
        },
    )
    data, _ = drafted(tmp_path)
    dev = data["environments"]["dev"]
    assert dev.get("base_domain", dev.get("values", {}).get("base_domain")) == "dev.example.org"


def test_a_prefix_glued_before_host_names_is_drafted_as_the_team_wrote_it(tmp_path: Path) -> None:
    """`env_prefix = "dev-"` without a base_domain is the team's own value, not a domain of ours to refuse."""
    write(
        tmp_path,
        {
            "app/main.tf": 'variable "env_prefix" {\n  type = string\n}\n',
            "atlantis.yaml": "projects:\n  - {name: app-dev, dir: app, workspace: dev}\n  - {name: app-prod, dir: app, workspace: prod}\n",
            "envs/dev.tfvars.example": 'env_prefix = "dev-"\n',
            "envs/prod.tfvars.example": 'env_prefix = ""\n',
        },
    )
    data, result = drafted(tmp_path)
    assert data["environments"]["dev"]["values"]["env_prefix"] == "dev-"
    assert data["environments"]["prod"]["values"]["env_prefix"] == ""
    assert not [line for line in result.review if "rules accept" in line]
    compile_text(result.text, "ssot/env.yaml")  # the draft validates as it is


# 6. layer ids in the repository's own order


def test_numbered_roots_keep_their_order_and_ids_run_from_l1(tmp_path: Path) -> None:
    atlantis = "projects:\n" + "".join(
        f"  - {{name: {name}, dir: terraform/{name}}}\n" for name in ("20-apps", "00-bootstrap", "10-platform")
    )
    write(
        tmp_path,
        {
            "atlantis.yaml": atlantis,
            **{f"terraform/{n}/main.tf": "" for n in ("00-bootstrap", "10-platform", "20-apps", "9-x")},
        },
    )
    data, _ = drafted(tmp_path)
    assert [(key, layer["name"]) for key, layer in data["layers"].items()] == [
        ("L1", "Bootstrap"),
        ("L2", "X"),  # 9 before 10; no project runs it, but it is numbered among them: a layer
        ("L3", "Platform"),
        ("L4", "Apps"),
    ]


def test_roots_sort_as_people_number_them(tmp_path: Path) -> None:
    write(tmp_path, {f"{n}/main.tf": "" for n in ("10-apps", "2-data", "1-bootstrap")})
    data, _ = drafted(tmp_path)
    assert [layer["terraform_dir"] for layer in data["layers"].values()] == ["1-bootstrap", "2-data", "10-apps"]
    assert list(data["layers"]) == ["L1", "L2", "L3"]


def test_unnumbered_projects_keep_the_project_files_order(tmp_path: Path) -> None:
    atlantis = "projects:\n  - {name: network, dir: network}\n  - {name: cluster, dir: cluster}\n"
    write(tmp_path, {"atlantis.yaml": atlantis, "network/main.tf": "", "cluster/main.tf": ""})
    data, _ = drafted(tmp_path)
    assert [layer["atlantis_project"] for layer in data["layers"].values()] == ["network", "cluster"]


# 7. docs_dir from mkdocs.yml


@pytest.mark.parametrize(
    ("files", "docs_dir"),
    [
        ({"mkdocs.yml": "site_name: x\ndocs_dir: documentation\n"}, "documentation"),
        ({"website/mkdocs.yml": "site_name: x\n"}, "website/docs"),
        (
            {"website/mkdocs.yml": "docs_dir: pages/\ntheme:\n  name: !ENV [THEME, material]\n"},
            "website/pages",
        ),
        ({"mkdocs.yml": "site_name: x\n"}, None),
        ({}, None),
    ],
)
def test_docs_dir_comes_from_mkdocs_yml(tmp_path: Path, files: dict[str, str], docs_dir: str | None) -> None:
    write(tmp_path, {"tf/main.tf": "", **files})
    data, result = drafted(tmp_path)
    assert data["layout"].get("docs_dir") == docs_dir
    if docs_dir is not None:
        assert f"docs_dir {docs_dir} (from {next(iter(files))})" in result.inferred
    compile_text(result.text, "ssot/env.yaml")


# 8. Digger's projects


DIGGER = """
projects:
  - name: data-staging
    dir: envs/staging/data
    terragrunt: true
    workflow: terragrunt
  - name: data-prod
    dir: envs/prod/data
    terragrunt: true
    workflow: terragrunt
  - name: platform
    dir: platform
workflows:
  terragrunt:
    plan:
      steps: [init, plan]
"""


def digger_repository(root: Path) -> Path:
    return write(
        root,
        {
            "digger.yml": DIGGER,
            "platform/main.tf": "",
            "envs/staging/data/main.tf": "",
            "envs/prod/data/main.tf": "",
            "envs/staging/data/terragrunt.hcl": "",
            "envs/prod/data/terragrunt.hcl": "",
        },
    )


@pytest.mark.parametrize("name", ["digger.yml", "digger.yaml"])
def test_digger_projects_are_drafted_as_digger_layers(tmp_path: Path, name: str) -> None:
    digger_repository(tmp_path)
    if name != "digger.yml":
        (tmp_path / "digger.yml").rename(tmp_path / name)
    data, result = drafted(tmp_path)
    data_layer, platform = data["layers"].values()
    assert (data_layer["managed_by"], data_layer["digger_project"], data_layer["scope"]) == (
        "digger",
        "data-{env}",
        "per-env",
    )
    assert (data_layer["terraform_dir"], data_layer["workspace"]) == ("envs/{env}/data", "default")
    assert (platform["managed_by"], platform["digger_project"], platform["scope"]) == ("digger", "platform", "shared")
    assert "atlantis" not in data  # digger's workflow is no Atlantis default
    assert any("workflow stays in digger.yml" in line for line in result.review)


def test_the_digger_draft_validates(tmp_path: Path) -> None:
    facts = compile_text(draft_repository(digger_repository(tmp_path)).text, "ssot/env.yaml")
    assert [layer.managed_by for layer in facts.ssot.layers.values()] == ["digger", "digger"]


# 9. the draft restates the repository's facts exactly


def test_the_draft_restates_every_atlantis_project_as_it_is(tmp_path: Path) -> None:
    atlantis = """
    version: 3
    projects:
      - {name: bootstrap, dir: terraform/00-bootstrap, workflow: custom, terraform_version: v1.7.5}
      - {name: data-staging, dir: terraform/20-data, workspace: staging, workflow: custom, terraform_version: v1.7.5}
      - {name: data-prod, dir: terraform/20-data, workspace: prod, workflow: deploy-prod, terraform_version: v1.7.5}
    workflows:
      custom: {plan: {steps: [init, plan]}}
    """
    roots = {"terraform/00-bootstrap/main.tf": "", "terraform/20-data/main.tf": ""}
    write(tmp_path, {"atlantis.yaml": atlantis, **roots})
    projects = yaml.safe_load((tmp_path / "atlantis.yaml").read_text(encoding="utf-8"))["projects"]
    result = draft_repository(tmp_path)
    facts = compile_text(result.text, "ssot/env.yaml")
    by_name = {p["name"]: p for p in projects}
    instances = [*facts.shared, *(i for env in facts.environments for i in env.layers)]
    assert sorted(str(i.atlantis_project) for i in instances) == sorted(by_name)
    for instance in instances:
        project = by_name[str(instance.atlantis_project)]
        assert (instance.layer.terraform_dir, instance.workspace) == (
            project["dir"],
            project.get("workspace", "default"),
        )
        # what the draft states is what the file has; what it cannot state as one pattern it leaves out
        assert instance.workflow in (project["workflow"], None)
        assert instance.terraform_version == project["terraform_version"]
    assert [i.workflow for i in instances] == ["custom", None, None]
    assert "projects data-<env> differ in workflow or Terraform version: the draft states neither for them" in (
        result.review
    )


def test_a_root_no_project_runs_is_a_layer_in_its_place_when_numbered_or_applied_by_ci(tmp_path: Path) -> None:
    """Numbered roots where Atlantis runs 2 and 3 and a manual workflow applies 1: L1 is the bootstrap, not
    a platform shifted into its place; an unnumbered root a CI workflow names is a layer too."""
    atlantis = "projects:\n  - {name: platform, dir: terraform/2-platform}\n  - {name: data, dir: terraform/3-data}\n"
    workflow = "jobs:\n  apply:\n    defaults:\n      run:\n        working-directory: dns\n"
    roots = ("terraform/1-bootstrap", "terraform/2-platform", "terraform/3-data", "dns", "scripts/tf")
    write(
        tmp_path,
        {"atlantis.yaml": atlantis, ".github/workflows/dns.yml": workflow, **{f"{r}/main.tf": "" for r in roots}},
    )
    data, result = drafted(tmp_path)
    assert [(key, layer["terraform_dir"], layer["managed_by"]) for key, layer in data["layers"].items()] == [
        ("L1", "terraform/1-bootstrap", "github-actions"),
        ("L2", "terraform/2-platform", "atlantis"),
        ("L3", "terraform/3-data", "atlantis"),
        ("L4", "dns", "github-actions"),
    ]
    assert "managed_by: github-actions  # TODO review: no project runs it" in result.text  # 1-bootstrap: a guess
    assert "scripts/tf holds .tf files but is no project of atlantis.yaml" in "\n".join(result.review)
    compile_text(result.text, "ssot/env.yaml")


def test_unnamed_projects_in_workspaces_are_one_per_env_layer_named_for_review(tmp_path: Path) -> None:
    write(tmp_path, {"atlantis.yaml": "projects:\n  - {dir: tf, workspace: qa}\n  - {dir: tf, workspace: prod}\n"})
    write(tmp_path, {"tf/main.tf": ""})
    data, result = drafted(tmp_path)
    assert [(layer["scope"], layer["atlantis_project"]) for layer in data["layers"].values()] == [
        ("per-env", "tf-{env}")
    ]
    assert (
        "projects without a name: tf (qa), tf (prod); the draft names them, and build adds the names" in result.review
    )
    compile_text(result.text, "ssot/env.yaml")


def test_a_folder_a_terragrunt_unit_sources_is_no_layer_and_the_unit_needs_no_tf_file(tmp_path: Path) -> None:
    unit = 'terraform {\n  source = "../../../modules//data"\n}\n'
    digger = "projects:\n  - {name: data-dev, dir: envs/dev/data, terragrunt: true}\n  - {name: data-prod, dir: envs/prod/data}\n"
    write(
        tmp_path,
        {
            "digger.yml": digger,
            "terragrunt.hcl": 'remote_state {\n  backend = "s3"\n}\n',
            "envs/dev/data/terragrunt.hcl": unit,
            "envs/prod/data/terragrunt.hcl": unit,
            "modules/data/main.tf": "",
            "tools/data/main.tf": "",
        },
    )
    data, result = drafted(tmp_path)
    assert [layer["terraform_dir"] for layer in data["layers"].values()] == ["envs/{env}/data"]
    review = "\n".join(result.review)
    assert "holds no .tf file" not in review  # a Terragrunt unit's Terraform is its source's
    assert "modules/data" not in review and "tools/data holds .tf files but is no project of digger.yml" in review


def test_a_project_without_a_dir_is_listed_and_the_others_drafted(tmp_path: Path) -> None:
    write(tmp_path, {"atlantis.yaml": "projects:\n  - {name: ghost}\n  - {name: net, dir: net}\n", "net/main.tf": ""})
    data, result = drafted(tmp_path)
    assert [layer["atlantis_project"] for layer in data["layers"].values()] == ["net"]
    assert "atlantis.yaml projects[0] could not be read: it has no dir; nothing was drafted from it" in result.review


def test_a_real_tfvars_file_git_ignores_is_evidence_of_an_environment_but_its_values_stay_out(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".gitignore": "*.tfvars\n",
            "data/main.tf": 'variable "region" {\n  type = string\n}\n',
            "atlantis.yaml": "projects:\n  - {name: data-dev, dir: data, workspace: dev}\n",
            "envs/dev.tfvars": 'region = "private-value"\n',
        },
    )
    data, result = drafted(tmp_path)
    assert list(data["environments"]) == ["dev"]
    assert "private-value" not in result.text
    assert data["environments"]["dev"]["values"] == {"region": "todo"}  # marked for review


def test_a_file_name_with_a_line_break_stays_inside_the_drafts_comment(tmp_path: Path) -> None:
    write(tmp_path, {"tf/main.tf": "", "envs/dev.tfvars.example": 'a = "1"\n'})
    (tmp_path / "envs/x\nlayers: {}\n.tfvars.example").write_text("a = <<'K'\n", encoding="utf-8")
    data, result = drafted(tmp_path)
    assert list(data["layers"]) == ["L1"]  # the name ended no comment
    assert "# TODO review: envs/x\\nlayers: {}\\n.tfvars.example could not be read" in result.text


def test_one_per_env_tfvars_file_outside_the_layers_feeds_the_per_env_layers(tmp_path: Path) -> None:
    atlantis = "projects:\n  - {name: data-dev, dir: data, workspace: dev}\n  - {name: data-prod, dir: data, workspace: prod}\n"
    write(
        tmp_path,
        {
            "atlantis.yaml": atlantis,
            "data/main.tf": 'variable "size" {\n  type = string\n}\n',
            "vars/dev.tfvars.example": 'size = "s"\n',
            "vars/prod.tfvars.example": 'size = "l"\n',
        },
    )
    data, result = drafted(tmp_path)
    assert data["layout"]["tfvars"] == [
        {"file": "vars/{env}.tfvars", "example": "vars/{env}.tfvars.example", "feeds": ["L1"]}
    ]
    assert {env: fields["values"] for env, fields in data["environments"].items()} == {
        "dev": {"size": "s"},
        "prod": {"size": "l"},
    }
    compile_text(result.text, "ssot/env.yaml")


def test_an_atlantis_yaml_past_the_budgets_stops_init_where_an_unparsable_one_is_listed(tmp_path: Path) -> None:
    """Past the SSOT's budgets (issue 19: nesting, aliases, size) is trouble, exit 2; broken YAML is listed."""
    write(tmp_path, {"atlantis.yaml": "projects: " + "[" * 5000 + "]" * 5000 + "\n", "net/main.tf": ""})
    with pytest.raises(SsotError) as raised:
        drafted(tmp_path)
    assert "atlantis.yaml:1:" in str(raised.value) and "nesting is too deep" in str(raised.value)
    write(tmp_path, {"atlantis.yaml": "projects: [\n"})
    data, result = drafted(tmp_path)
    assert [layer["terraform_dir"] for layer in data["layers"].values()] == ["net"]
    assert any(line.startswith("atlantis.yaml could not be read: ") for line in result.review)


def test_a_second_tfvars_file_of_a_layer_feeds_no_other_layer(tmp_path: Path) -> None:
    files = {f"envs/{e}/{layer}/main.tf": "" for e in ("dev", "prod") for layer in ("data", "apps")}
    files |= {f"envs/{e}/data/{name}": "" for e in ("dev", "prod") for name in ("terraform.tfvars", "extra.tfvars")}
    write(tmp_path, files)
    data, result = drafted(tmp_path)
    layers = {layer["terraform_dir"]: key for key, layer in data["layers"].items()}
    assert data["layout"]["tfvars"] == [
        {"file": "envs/{env}/data/terraform.tfvars", "feeds": [layers["envs/{env}/data"]]}
    ]
    assert "envs/<env>/data/extra.tfvars: which layers read it? Add it under layout.tfvars" in result.review


def test_a_digger_terragrunt_project_needs_no_tf_file_in_its_directory(tmp_path: Path) -> None:
    digger = "projects:\n  - {name: dns, dir: live/dns, terragrunt: true}\n  - {name: net, dir: live/net}\n"
    write(tmp_path, {"digger.yml": digger, "other/main.tf": ""})
    _, result = drafted(tmp_path)
    assert "layer L2: live/net holds no .tf file; correct terraform_dir" in result.review
    assert not any("live/dns holds no .tf file" in line for line in result.review)


def test_tests_and_examples_are_neither_layers_nor_environments(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "net/main.tf": "",
            "examples/complete/main.tf": "",
            "tests/fixtures/envs/qa.tfvars": "",
            "test/integration/main.tf": "",
            "environments/test/main.tf": "",
        },
    )
    data, _ = drafted(tmp_path)
    assert [layer["terraform_dir"] for layer in data["layers"].values()] == ["environments/{env}", "net"]
    assert list(data["environments"]) == ["test"]  # environments/test is one; the top test/ is no repository part


def test_a_value_the_rules_refuse_is_drafted_as_a_placeholder_to_review(tmp_path: Path) -> None:
    """A tfvars file may state what the SSOT's rules refuse (an env_prefix of `staging-`, say): the first
    draft's refused value lines are drafted again as placeholders, and the maintainer is told why."""
    inputs = read_repository(one_dir_per_env(tmp_path))
    first = draft(inputs)
    line = next(n for n, where in first.value_lines.items() if where == ("dev", "instance_type"))
    assert first.text.splitlines()[line - 1] == '      instance_type: "t3.small"'

    again = draft(inputs, {("dev", "instance_type"): "too small for the rules"})

    assert yaml.safe_load(again.text)["environments"]["dev"]["values"] == {"instance_type": "todo"}
    assert "dev's value of 'instance_type' is not one the rules accept (too small for the rules): set it" in (
        again.review
    )


def test_only_a_draft_refused_on_value_lines_alone_is_drafted_again() -> None:
    text = textwrap.dedent(
        """
        layers:
          L1: {name: Net, scope: shared, managed_by: github-actions, components: [Net]}
        isolation: {shared: one., per_env: none.}
        environments:
          dev:
            base_domain: example.org
            env_prefix: ""
            values:
              stray: 1
        variables: {}
        """
    ).lstrip()
    refused = _refused_values(Draft(text, [], [], (), {9: ("dev", "stray")}))
    assert list(refused) == [("dev", "stray")]  # a value of no declared variable
    assert (
        _refused_values(Draft(text.replace("shared, managed", "sideways, managed"), [], [], (), {7: ("dev", "stray")}))
        == {}
    )


def test_several_per_env_files_and_a_layer_that_reads_none_still_make_a_valid_draft(tmp_path: Path) -> None:
    files = {f"envs/{e}/{layer}/main.tf": "" for e in ("dev", "prod") for layer in ("apps", "data", "net")}
    files |= {f"envs/{e}/{layer}/terraform.tfvars": "" for e in ("dev", "prod") for layer in ("apps", "data")}
    result = draft_repository(write(tmp_path, files))
    assert [entry["file"] for entry in yaml.safe_load(result.text)["layout"]["tfvars"]] == [
        "envs/{env}/apps/terraform.tfvars"
    ]
    assert any(line.startswith("envs/<env>/data/terraform.tfvars feeds L2, left out") for line in result.review)
    compile_text(result.text, "ssot/env.yaml")


def test_digger_generated_projects_are_listed_and_the_roots_drafted(tmp_path: Path) -> None:
    digger = "generate_projects:\n  include: envs/**\n"
    write(tmp_path, {"digger.yml": digger, "envs/dev/app/main.tf": "", "envs/prod/app/main.tf": ""})
    data, result = drafted(tmp_path)
    assert [layer["terraform_dir"] for layer in data["layers"].values()] == ["envs/{env}/app"]
    assert any(line.startswith("digger.yml generate_projects could not be read") for line in result.review)


def test_a_shared_layers_tfvars_file_is_listed_not_drafted(tmp_path: Path) -> None:
    write(tmp_path, {"bootstrap/main.tf": 'variable "token_ttl" {\n  type = number\n}\n'})
    write(tmp_path, {"bootstrap/terraform.tfvars": "token_ttl = 3600\n"})
    data, result = drafted(tmp_path)
    assert (data["variables"], data["layout"]) == ({}, {"tfvars": []})
    assert (
        "bootstrap/terraform.tfvars: a tfvars file of a shared layer; add it under layout.tfvars if the contract owns it"
        in (result.review)
    )
