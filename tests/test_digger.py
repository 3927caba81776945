"""Digger: `managed_by: digger` with `digger_project`; digger.yml generated whole when no file exists, and a
team's own digger.yml (or digger.yaml) edited in place: only each project's name, dir and workspace."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from compiler import codes
from compiler.app.engine import build, check_repository
from compiler.core.facts import compile_text
from compiler.core.layout import SSOT_PATH
from compiler.errors import SsotError
from compiler.findings import Finding
from compiler.render.blocks import render_layers_block
from compiler.render.digger import HEADER, render_digger_yml

SSOT = """\
layers:
  data-shared:
    name: Data Shared
    scope: shared
    managed_by: digger
    digger_project: data-shared
    terraform_dir: envs/data-shared
    components: [Buckets]
  app:
    name: App
    scope: per-env
    managed_by: digger
    digger_project: "app-{env}"
    terraform_dir: "envs/{env}/app"
    components: [Service]
isolation: {shared: one account, per_env: one directory per environment}
environments:
  dev: {base_domain: example.org, env_prefix: dev}
  prod: {base_domain: example.org, env_prefix: ""}
variables:
  environment: {type: string, description: Name.}
"""

#: A team's digger.yml, in the shape of public Terragrunt + Digger repositories.
TEAM = """\
# Digger: plans on pull requests, applies after approval
generate_projects:
  blocks: []

projects:
- name: data-shared
  dir: envs/data-shared
  terragrunt: true
  include_patterns: ["envs/_templates/**"]
- name: app-dev
  dir: envs/dev/app
  workspace: dev
  terragrunt: true
  workflow: with-backend
- name: app-prod
  dir: envs/prod/app
  workspace: prod
  terragrunt: true
  workflow: with-backend   # prod needs approval

workflows:
  with-backend:
    plan:
      steps:
      - init:
          extra_args: ["-backend-config=../../backend.hcl"]
      - plan
"""


def _repository(root: Path, name: str | None = None, text: str | None = None) -> Path:
    (root / "ssot").mkdir()
    (root / SSOT_PATH).write_text(SSOT, encoding="utf-8")
    build(root)
    if name is not None and text is not None:
        (root / "digger.yml").unlink()
        (root / name).write_bytes(text.encode("utf-8"))
    return root


def _findings(root: Path, name: str = "digger.yml") -> list[Finding]:
    return [f for f in check_repository(root).findings if f.file == name]


def test_without_a_file_digger_yml_is_generated_with_the_header(tmp_path: Path) -> None:
    root = _repository(tmp_path)

    text = (root / "digger.yml").read_text(encoding="utf-8")

    assert text.startswith(HEADER)
    assert yaml.safe_load(text) == {
        "projects": [
            {"name": "data-shared", "dir": "envs/data-shared"},
            {"name": "app-dev", "dir": "envs/dev/app", "workspace": "dev"},
            {"name": "app-prod", "dir": "envs/prod/app", "workspace": "prod"},
        ]
    }
    assert _findings(root) == []


def test_a_team_digger_yml_that_agrees_is_left_byte_for_byte(tmp_path: Path) -> None:
    root = _repository(tmp_path, "digger.yml", TEAM)

    assert _findings(root) == []
    build(root)

    assert (root / "digger.yml").read_text(encoding="utf-8") == TEAM


def test_a_team_digger_yml_is_checked_and_edited_for_name_dir_and_workspace_only(tmp_path: Path) -> None:
    drifted = TEAM.replace("dir: envs/prod/app", "dir: envs/production/app").replace(
        "workflow: with-backend   #", "workflow: other   #"
    )
    root = _repository(tmp_path, "digger.yml", drifted)

    found = [(f.code, f.line, f.found, f.expected) for f in _findings(root)]
    build(root)

    # the workflow is the team's: not compared, not changed
    assert found == [(codes.PROJECT_VALUE, 16, "envs/production/app", "envs/prod/app")]
    assert (root / "digger.yml").read_text(encoding="utf-8") == drifted.replace("envs/production/app", "envs/prod/app")


def test_an_existing_digger_yaml_is_the_file(tmp_path: Path) -> None:
    without_dev = TEAM.replace(
        "- name: app-dev\n  dir: envs/dev/app\n  workspace: dev\n  terragrunt: true\n  workflow: with-backend\n", ""
    )
    root = _repository(tmp_path, "digger.yaml", without_dev)

    (finding,) = _findings(root, "digger.yaml")
    build(root)

    assert finding.code == codes.PROJECT_MISSING
    assert not (root / "digger.yml").exists()
    added = "- name: app-dev\n  dir: envs/dev/app\n  workspace: dev\n- name: app-prod"
    assert (root / "digger.yaml").read_text(encoding="utf-8") == without_dev.replace("- name: app-prod", added)


def test_a_generated_digger_yml_goes_when_no_layer_is_managed_by_digger(tmp_path: Path) -> None:
    root = _repository(tmp_path)
    (root / SSOT_PATH).write_text(
        SSOT.replace("managed_by: digger", "managed_by: none").replace("    digger_project:", "    # was:"),
        encoding="utf-8",
    )

    build(root)

    assert not (root / "digger.yml").exists()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    digger_project: data-shared\n", "", "layer data-shared is managed by digger but names no digger_project"),
        (
            "managed_by: digger\n    digger_project: data",
            "managed_by: atlantis\n    atlantis_project: x\n    digger_project: data",
            "is managed by atlantis, so it has no digger_project",
        ),
        (
            'digger_project: "{env}"',
            "digger_project: app",
            "digger_project 'app' of per-env layer app must contain {env}",
        ),
        ("digger_project: data-shared", "digger_project: prod", "digger_project 'prod' is produced twice"),
    ],
)
def test_digger_rules_mirror_atlantis(old: str, new: str, message: str) -> None:
    with pytest.raises(SsotError) as raised:
        compile_text(SSOT.replace('"app-{env}"', '"{env}"').replace(old, new), SSOT_PATH)
    assert any(message in problem.message for problem in raised.value.problems), raised.value.problems


def test_the_rendered_file_quotes_what_yaml_would_misread() -> None:
    ssot = SSOT.replace('"app-{env}"', '"{env}"').replace("  dev: {", '  "no": {')
    # a project named `no` must read back as the string "no", not as false
    projects = yaml.safe_load(render_digger_yml(compile_text(ssot, SSOT_PATH)))["projects"]
    assert [project["name"] for project in projects] == ["data-shared", "no", "prod"]


def test_the_layer_table_names_the_digger_project_and_a_layer_nothing_applies() -> None:
    ssot = SSOT.replace("managed_by: digger\n    digger_project: data-shared\n", "managed_by: none\n")
    facts = compile_text(ssot, SSOT_PATH)

    table = render_layers_block(facts)

    managed_by = [row.split("|")[4].strip() for row in table.splitlines()[2:]]
    assert managed_by == ["None", "Digger (`app-<env>`)"]


def test_a_digger_yml_that_generates_its_projects_is_left_as_it_is(tmp_path: Path) -> None:
    generating = "generate_projects:\n  terragrunt_parsing:\n    parallel: true\n    createProjectName: true\n"
    root = _repository(tmp_path, "digger.yml", generating)

    assert _findings(root) == []
    build(root)

    assert (root / "digger.yml").read_text(encoding="utf-8") == generating
